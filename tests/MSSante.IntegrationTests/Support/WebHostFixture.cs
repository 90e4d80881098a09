using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MSSante.IntegrationTests.Support;

/// <summary>
/// Runs the real web host (src/MSSante.Webmail build output, Kestrel) as a child process on a
/// free loopback port, so a real browser can reach it. Settings come from the operator stack
/// (MSSANTE_SETTINGS_DIR = .state/settings) plus per-test overrides passed as environment
/// variables; the database is a throwaway SQLite file unless overridden.
/// </summary>
public sealed class WebHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output;
    private readonly string _dataDirectory;

    private WebHost(Process process, ConcurrentQueue<string> output, Uri baseAddress, string dataDirectory)
    {
        _process = process;
        _output = output;
        BaseAddress = baseAddress;
        _dataDirectory = dataDirectory;
    }

    /// <summary>e.g. http://127.0.0.1:41234/</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the host wrote to stdout and stderr so far (for failure messages).</summary>
    public string Output => string.Join('\n', _output);

    public HttpClient CreateClient(bool followRedirects = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true }) { BaseAddress = BaseAddress };

    /// <summary>The demo environment with the demo sign-in, against the running operator stack.</summary>
    public static Task<WebHost> StartDemoAsync(StackInfo stack, IDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Demo",
            ["Demo__DevelopmentSignIn"] = "true",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        return StartAsync(stack, environment);
    }

    /// <summary>Starts the host with these environment variables and waits until it serves.</summary>
    public static async Task<WebHost> StartAsync(StackInfo stack, IDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var (process, output, port, dataDirectory) = Launch(stack, environment);
        var host = new WebHost(process, output, new Uri($"http://127.0.0.1:{port}/"), dataDirectory);
        using var client = host.CreateClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (process.HasExited)
            {
                await host.DisposeAsync();
                throw new InvalidOperationException($"The web host exited with code {process.ExitCode} before serving:\n{host.Output}");
            }
            try
            {
                using var response = await client.GetAsync("_framework/blazor.web.js");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return host;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            if (DateTime.UtcNow > deadline)
            {
                await host.DisposeAsync();
                throw new TimeoutException($"The web host did not serve within 60 s:\n{host.Output}");
            }
            await Task.Delay(200);
        }
    }

    /// <summary>Starts the host and waits for it to exit by itself (start-up refusals); returns exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(StackInfo stack, IDictionary<string, string> environment, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var (process, output, _, dataDirectory) = Launch(stack, environment);
        await using var host = new WebHost(process, output, new Uri("http://127.0.0.1/"), dataDirectory);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The web host was expected to stop by itself but still runs after {timeout}:\n{host.Output}");
        }
        return (process.ExitCode, host.Output);
    }

    /// <summary>The build output of src/MSSante.Webmail matching this test build's configuration.</summary>
    public static string WebmailDirectory(StackInfo stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        var overridden = Environment.GetEnvironmentVariable("MSSANTE_WEBMAIL_DIR");
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }
        // tests/MSSante.IntegrationTests/bin/<Configuration>/<tfm>/
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfm.Parent!.Name;
        var directory = Path.Combine(stack.RepositoryRoot, "src", "MSSante.Webmail", "bin", configuration, tfm.Name);
        if (!File.Exists(Path.Combine(directory, "MSSante.Webmail.dll")))
        {
            throw new InvalidOperationException($"The web host is not built in {directory}: dotnet build src/MSSante.Webmail -c {configuration}");
        }
        return directory;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static (Process, ConcurrentQueue<string>, int, string) Launch(StackInfo stack, IDictionary<string, string> environment)
    {
        var directory = WebmailDirectory(stack);
        var port = FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "mssante-web-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(directory, "MSSante.Webmail.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["MSSANTE_SETTINGS_DIR"] = Path.Combine(stack.StateDirectory, "settings");
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "webmail.db")}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        // Inherited variables must not change what the test asked for.
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }
        var output = new ConcurrentQueue<string>();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return (process, output, port, dataDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>One demo web host shared by the tests of a class.</summary>
public sealed class DemoWebHostFixture : IAsyncLifetime
{
    private WebHost? _host;

    public WebHost Host => _host ?? throw new InvalidOperationException("The web host is not started.");

    public async Task InitializeAsync() => _host = await WebHost.StartDemoAsync(StackInfo.Load());

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
