using System.Diagnostics;
using System.Text.Json;

namespace MSSante.Benchmarks.Shared;

/// <summary>One measurement of the floor: wall and CPU seconds as Python measured them, bytes received.</summary>
public sealed record FloorResult(double Seconds, double Cpu, long Bytes, long Items);

/// <summary>
/// Python's imaplib on one open authenticated IMAPS connection (imap_floor.py), driven line by
/// line so the floor runs interleaved with our client in the same run.
/// </summary>
public sealed class PythonFloor : IAsyncDisposable
{
    private readonly Process _process;

    private PythonFloor(Process process, string version)
    {
        _process = process;
        PythonVersion = version;
    }

    public string PythonVersion { get; }

    public static async Task<PythonFloor> StartAsync(BenchStack stack, BenchUser user)
    {
        var script = Path.Combine(stack.RepositoryRoot, "bench", "MSSante.Mail.Benchmarks", "imap_floor.py");
        var start = new ProcessStartInfo("python3", [script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.Environment["HOST"] = stack.Host;
        start.Environment["PORT"] = stack.ImapsPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["CA"] = stack.CaFile;
        start.Environment["USER_ADDR"] = user.Address;
        start.Environment["TOKEN"] = stack.Token(user);
        var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var line = await process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("imap_floor.py failed to connect");
        using var doc = JsonDocument.Parse(line);
        return new PythonFloor(process, doc.RootElement.GetProperty("version").GetString()!);
    }

    /// <summary>Runs the steps (e.g. ["select","INBOX"], ["uid","FETCH","1:*","(FLAGS)"]) once.</summary>
    public async Task<FloorResult> RunAsync(IReadOnlyList<string[]> steps, bool parse = false)
    {
        var request = JsonSerializer.Serialize(new { steps, parse });
        await _process.StandardInput.WriteLineAsync(request);
        await _process.StandardInput.FlushAsync();
        var line = await _process.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("imap_floor.py stopped");
        using var doc = JsonDocument.Parse(line);
        var r = doc.RootElement;
        return new FloorResult(r.GetProperty("seconds").GetDouble(), r.GetProperty("cpu").GetDouble(), r.GetProperty("bytes").GetInt64(), r.GetProperty("items").GetInt64());
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("{\"quit\": true}");
            await _process.StandardInput.FlushAsync();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
