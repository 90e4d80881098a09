using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.CardLogin;

/// <summary>
/// End-to-end set-up: the card bridge published by deploy/cards.sh, on the stack's SoftHSM2
/// test cards, and the real web host, both on free loopback ports and configured for each
/// other (the webmail origin is the only one the bridge accepts). Plus Chromium.
/// </summary>
public sealed class CardBrowserFixture : IAsyncLifetime
{
    private readonly List<Process> _processes = [];
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "mssante-card-e2e-" + Guid.NewGuid().ToString("N")[..8]);

    public BrowserFixture Browser { get; } = new();

    public StackInfo Stack { get; private set; } = null!;

    public Uri WebmailAddress { get; private set; } = null!;

    public Uri BridgeAddress { get; private set; } = null!;

    public string Output => string.Join('\n', _output);

    /// <summary>The SoftHSM2 token directory of the test card labelled <paramref name="label"/>.</summary>
    public string TokenDirectory(string label)
    {
        var tokens = Path.Combine(Stack.StateDirectory, "softhsm", "tokens");
        var padded = System.Text.Encoding.ASCII.GetBytes(label.PadRight(32));
        foreach (var directory in Directory.GetDirectories(tokens))
        {
            var token = Path.Combine(directory, "token.object");
            // CKA_LABEL of the token is stored as the 32 blank-padded bytes of CK_TOKEN_INFO.label.
            if (File.Exists(token) && File.ReadAllBytes(token).AsSpan().IndexOf(padded) >= 0)
            {
                return directory;
            }
        }
        throw new InvalidOperationException($"No SoftHSM2 token labelled '{label}' under {tokens}: run deploy/cards.sh start");
    }

    public async Task InitializeAsync()
    {
        Stack = StackInfo.Load();
        var cardsJson = Path.Combine(Stack.StateDirectory, "cards.json");
        var bridgeDll = Path.Combine(Stack.StateDirectory, "bridge", "mssante-card-bridge.dll");
        if (!File.Exists(cardsJson) || !File.Exists(bridgeDll))
        {
            throw new InvalidOperationException($"The test cards are missing ({cardsJson}, {bridgeDll}). Run: deploy/cards.sh start (deploy/stack.sh start does it)");
        }
        using var cards = JsonDocument.Parse(await File.ReadAllTextAsync(cardsJson));
        var webPort = WebHost.FreePort();
        var bridgePort = WebHost.FreePort();
        WebmailAddress = new Uri($"http://127.0.0.1:{webPort}/");
        BridgeAddress = new Uri($"http://127.0.0.1:{bridgePort}");
        var origin = $"http://127.0.0.1:{webPort}";

        var bridge = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        bridge.ArgumentList.Add(bridgeDll);
        bridge.Environment["SOFTHSM2_CONF"] = cards.RootElement.GetProperty("softhsmConf").GetString();
        bridge.Environment["CardBridge__ModulePath"] = cards.RootElement.GetProperty("module").GetString();
        bridge.Environment["CardBridge__Port"] = bridgePort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bridge.Environment["CardBridge__AllowedOrigins__0"] = origin;
        // deploy/cards.sh renew elsewhere replaces the tokens: SoftHSM2 sees them after a rescan.
        bridge.Environment["CardBridge__RescanByReinitialize"] = "true";
        Start(bridge);

        Directory.CreateDirectory(_dataDirectory);
        var directory = WebHost.WebmailDirectory(Stack);
        var web = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        web.ArgumentList.Add(Path.Combine(directory, "MSSante.Webmail.dll"));
        web.ArgumentList.Add("--urls");
        web.ArgumentList.Add(origin);
        web.Environment.Remove("ASPNETCORE_URLS");
        web.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        web.Environment["MSSANTE_SETTINGS_DIR"] = Path.Combine(Stack.StateDirectory, "settings");
        web.Environment["Database__Provider"] = "Sqlite";
        web.Environment["Database__ConnectionString"] = $"Data Source={Path.Combine(_dataDirectory, "webmail.db")}";
        web.Environment["Session__RequireHttps"] = "false";
        web.Environment["CardLogin__AllowedOrigins__0"] = origin;
        web.Environment["CardLogin__AllowedOrigins__1"] = origin;
        web.Environment["CardLogin__BridgeUrl"] = BridgeAddress.ToString().TrimEnd('/');
        // The database-backed challenges and ended sessions (what several hosts use), on SQLite here.
        web.Environment["CardLogin__Store"] = "Database";
        web.Environment["Logging__LogLevel__Default"] = "Warning";
        Start(web);

        await WaitAsync(new Uri(BridgeAddress, "/v1/status"), origin);
        await WaitAsync(new Uri(WebmailAddress, "/connexion"), null);
        await Browser.InitializeAsync();
    }

    private void Start(ProcessStartInfo start)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
    }

    private async Task WaitAsync(Uri address, string? origin)
    {
        using var client = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            if (_processes.Any(p => p.HasExited))
            {
                throw new InvalidOperationException("A process exited before serving:\n" + Output);
            }
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, address);
                if (origin is not null)
                {
                    request.Headers.Add("Origin", origin);
                }
                using var response = await client.SendAsync(request);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{address} did not answer within 90 s:\n{Output}");
            }
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        foreach (var p in _processes)
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            p.Dispose();
        }
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("card-browser")]
public sealed class CardBrowserCollection : ICollectionFixture<CardBrowserFixture>;
