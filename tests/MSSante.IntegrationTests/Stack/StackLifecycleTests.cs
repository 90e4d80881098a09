using System.Net.Sockets;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Stack;

/// <summary>
/// stop leaves no listening port and no process behind; start brings everything back. The test
/// always restarts the stack, whatever happens, so the tests after it find it running.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class StackLifecycleTests
{
    [Fact]
    public async Task Stop_leaves_nothing_running_and_start_brings_the_stack_back()
    {
        var before = StackFacts.Load();
        var ports = before.Info.Json.GetProperty("ports").EnumerateObject().Select(p => p.Value.GetInt32()).ToList();
        var state = before.Info.StateDirectory;
        var restarted = false;
        try
        {
            var stop = await StackScript.RunAsync("stop", TimeSpan.FromMinutes(2));
            Assert.True(stop.ExitCode == 0, stop.ToString());

            Assert.False(File.Exists(Path.Combine(state, "stack.json")), "stack.json must disappear with the stack");
            foreach (var port in ports)
            {
                Assert.False(await AcceptsAsync(port), $"port {port} still accepts connections after stop");
            }
            Assert.Empty(ProcessesUnder(state));
            var status = await StackScript.RunAsync("status", TimeSpan.FromSeconds(30));
            Assert.True(status.ExitCode != 0, "status must fail when the stack is down:\n" + status);

            var start = await StackScript.RunAsync("start", TimeSpan.FromMinutes(12));
            restarted = true;
            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Contains("demo mail already seeded", start.Output, StringComparison.Ordinal);

            var again = await StackScript.RunAsync("start", TimeSpan.FromMinutes(5));
            Assert.True(again.ExitCode == 0, "a second start must be harmless:\n" + again);

            var after = await StackScript.RunAsync("status", TimeSpan.FromSeconds(60));
            Assert.True(after.ExitCode == 0, after.ToString());
            var stack = StackFacts.Load();
            await using var imap = await RawImap.ConnectAsync(stack);
            await imap.LoginAsync(stack, StackFacts.Jeanne);
        }
        finally
        {
            if (!restarted || !File.Exists(Path.Combine(state, "stack.json")))
            {
                await StackScript.RunAsync("start", TimeSpan.FromMinutes(12));
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var tcp = new TcpClient();
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await tcp.ConnectAsync("127.0.0.1", port, cts.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Processes whose command line or working directory is inside the state directory
    /// (Dovecot and PostgreSQL name it on their command line; Postfix's master works in its queue).</summary>
    private static List<string> ProcessesUnder(string state)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(dir);
            if (!int.TryParse(name, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var cwd = new FileInfo(Path.Combine(dir, "cwd")).LinkTarget ?? "";
                if (cmdline.Contains(state, StringComparison.Ordinal) || cwd.StartsWith(state, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {cmdline.Trim()} (cwd {cwd})");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while being looked at.
            }
        }
        return found;
    }
}
