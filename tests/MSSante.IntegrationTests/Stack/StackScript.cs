using System.Diagnostics;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Stack;

/// <summary>Runs deploy/stack.sh as the README tells people to.</summary>
internal static class StackScript
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}:\n{Output}";
    }

    public static async Task<Result> RunAsync(string command, TimeSpan timeout)
    {
        var root = StackInfo.FindRepositoryRoot();
        var psi = new ProcessStartInfo("bash", [Path.Combine(root, "deploy", "stack.sh"), command])
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("bash did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/stack.sh {command} did not finish within {timeout}");
        }
        // A daemon started by the script could keep the pipes open: the script's own exit is
        // what counts, its output is collected for a few more seconds at most.
        var output = Task.WhenAll(stdout, stderr);
        if (await Task.WhenAny(output, Task.Delay(TimeSpan.FromSeconds(5))) != output)
        {
            return new Result(process.ExitCode, "(output still held open by a child process after exit)");
        }
        return new Result(process.ExitCode, await stdout + await stderr);
    }
}
