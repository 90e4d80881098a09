using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Web;

/// <summary>/health against the real operator: up, Dovecot stopped, Dovecot back.</summary>
[Collection(BrowserCollection.Name)]
public sealed class HealthTests
{
    [Fact]
    public async Task Health_reports_every_service_up_without_secrets()
    {
        var stack = StackInfo.Load();
        await using var host = await WebHost.StartDemoAsync(stack);
        using var client = host.CreateClient();

        using var response = await client.GetAsync("health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("up", json.RootElement.GetProperty("status").GetString());
        foreach (var check in new[] { "imap", "smtp", "database" })
        {
            Assert.Equal("up", json.RootElement.GetProperty("checks").GetProperty(check).GetProperty("status").GetString());
        }
        Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(stack.StateDirectory, body, StringComparison.Ordinal);
        Assert.DoesNotContain(stack.Port("imaps").ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_reports_a_stopped_Dovecot_as_down_and_up_again_after_restart()
    {
        var stack = StackInfo.Load();
        await using var host = await WebHost.StartDemoAsync(stack, new Dictionary<string, string> { ["Health__TimeoutSeconds"] = "15" });
        using var client = host.CreateClient();
        var dovecot = new PrivateDovecot(stack);
        await WaitForHealthAsync(client, HttpStatusCode.OK);

        await dovecot.StopAsync();
        try
        {
            var downBody = await WaitForHealthAsync(client, HttpStatusCode.ServiceUnavailable);
            using var json = JsonDocument.Parse(downBody);
            var checks = json.RootElement.GetProperty("checks");
            Assert.Equal("down", json.RootElement.GetProperty("status").GetString());
            Assert.Equal("down", checks.GetProperty("imap").GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(checks.GetProperty("imap").GetProperty("reason").GetString()));
            // The database does not depend on Dovecot. (SMTP is not asserted: Postfix's submission
            // authenticates through Dovecot's auth socket, so its smtpd may give up too.)
            Assert.Equal("up", checks.GetProperty("database").GetProperty("status").GetString());
        }
        finally
        {
            await dovecot.StartAsync();
        }

        await WaitForHealthAsync(client, HttpStatusCode.OK);
    }

    /// <summary>
    /// Polls /health until it answers <paramref name="expected"/> (a loaded machine may need a few
    /// tries right after a change); fails with the last body otherwise.
    /// </summary>
    private static async Task<string> WaitForHealthAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var response = await client.GetAsync("health");
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == expected)
            {
                return body;
            }
            Assert.True(DateTime.UtcNow < deadline, $"/health never answered {(int)expected} within 60 s; last: {(int)response.StatusCode} {body}");
            await Task.Delay(500);
        }
    }

    /// <summary>The Dovecot instance deploy/stack.sh started (its master.pid under base_dir).</summary>
    private sealed class PrivateDovecot(StackInfo stack)
    {
        private readonly string _config = stack.PathOf("dovecotConfig");

        public async Task StopAsync()
        {
            var pidFile = Path.Combine(BaseDirectory(), "master.pid");
            Assert.True(File.Exists(pidFile), $"Dovecot is not running ({pidFile} missing): deploy/stack.sh start");
            var pid = int.Parse((await File.ReadAllLinesAsync(pidFile))[0].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            using var process = Process.GetProcessById(pid);
            await RunAsync("kill", pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(cts.Token);
            await WaitForPortAsync(listening: false);
        }

        public async Task StartAsync()
        {
            // Dovecot daemonizes: its master would hold any pipe we gave it open for ever, so it
            // gets /dev/null instead (as deploy/stack.sh starts it).
            await RunAsync("/bin/sh", "-c", "exec dovecot -c \"$1\" </dev/null >/dev/null 2>&1", "sh", _config);
            await WaitForPortAsync(listening: true);
        }

        private string BaseDirectory()
        {
            foreach (var line in File.ReadLines(_config))
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("base_dir", StringComparison.Ordinal) && trimmed.Contains('=', StringComparison.Ordinal))
                {
                    return trimmed[(trimmed.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim();
                }
            }
            throw new InvalidOperationException($"no base_dir in {_config}");
        }

        private async Task WaitForPortAsync(bool listening)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (DateTime.UtcNow < deadline)
            {
                using var tcp = new TcpClient();
                var open = true;
                try
                {
                    await tcp.ConnectAsync(stack.Host, stack.Port("imaps"));
                }
                catch (SocketException)
                {
                    open = false;
                }
                if (open == listening)
                {
                    return;
                }
                await Task.Delay(100);
            }
            throw new TimeoutException($"Dovecot's IMAPS port is still {(listening ? "closed" : "open")} after 20 s");
        }

        private static async Task RunAsync(string file, params string[] arguments)
        {
            var start = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', arguments)} failed: {error}");
        }
    }
}
