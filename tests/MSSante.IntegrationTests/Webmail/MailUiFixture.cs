using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Support;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;
using MSSante.Webmail.Mail;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The real webmail (build output of src/MSSante.Webmail, demo environment, against the running
/// operator stack) as a child process on a free loopback port, plus Debian's Chromium, plus
/// direct IMAP/SMTP access to the stack so a test can seed mail and check what the webmail did
/// the way another client (Thunderbird) would see it.
/// </summary>
public sealed class MailUiFixture : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _dataDirectory;

    public StackInfo Stack { get; private set; } = default!;
    public Uri BaseAddress { get; private set; } = default!;
    public IBrowser Browser => _browser!;
    public MailConnector Connector { get; private set; } = default!;
    public string Output => string.Join('\n', _output);

    public async Task InitializeAsync()
    {
        Stack = StackInfo.Load();
        var settings = Path.Combine(Stack.StateDirectory, "settings");
        Connector = CreateConnector(Path.Combine(settings, "operator.json"));
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _dataDirectory = Directory.CreateTempSubdirectory("mssante-mailui-").FullName;
        var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var webmail = Path.Combine(Stack.RepositoryRoot, "src", "MSSante.Webmail", "bin", tfm.Parent!.Name, tfm.Name);
        if (!File.Exists(Path.Combine(webmail, "MSSante.Webmail.dll")))
        {
            throw new InvalidOperationException($"The webmail is not built in {webmail}: dotnet build src/MSSante.Webmail first.");
        }
        var start = new ProcessStartInfo("dotnet", "MSSante.Webmail.dll")
        {
            WorkingDirectory = webmail,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Demo";
        start.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        start.Environment["MSSANTE_SETTINGS_DIR"] = settings;
        start.Environment["Demo__DevelopmentSignIn"] = "true";
        start.Environment["Database__Provider"] = "Sqlite";
        start.Environment["Database__ConnectionString"] = "Data Source=" + Path.Combine(_dataDirectory, "webmail.db");
        start.Environment["Mail__DraftSaveSeconds"] = "2";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { _output.Enqueue(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The webmail exited with code {_process.ExitCode}:\n{Output}");
            }
            try
            {
                using var response = await http.GetAsync("_framework/blazor.web.js");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The webmail did not serve within 60 s:\n{Output}");
            }
            await Task.Delay(200);
        }
        // The machine is shared by parallel builds: generous waits, never fixed sleeps.
        Assertions.SetDefaultExpectTimeout(20000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = "/usr/bin/chromium", Headless = true, Args = ChromiumArgs });
    }

    /// <summary>
    /// A new browser context (own cookies) signed in as the demo identity <paramref name="idNat"/>,
    /// on the mail page. <paramref name="prepare"/> runs on the context before its first page
    /// (e.g. to route the circuit's WebSocket).
    /// </summary>
    public async Task<(IBrowserContext Context, IPage Page)> SignInAsync(string idNat, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(),
            Locale = "fr-FR",
            ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
        });
        if (prepare is not null)
        {
            await prepare(context);
        }
        return (context, await DemoSignInAsync(context, idNat));
    }

    /// <summary>Signs <paramref name="context"/> in as the demo identity <paramref name="idNat"/> and opens the mail page.</summary>
    public static async Task<IPage> DemoSignInAsync(IBrowserContext context, string idNat)
    {
        context.SetDefaultTimeout(60000);
        context.SetDefaultNavigationTimeout(60000);
        var page = await context.NewPageAsync();
        await page.GotoAsync("demo/connexion");
        await page.Locator($"button[data-idnat='{idNat}']").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/demo/connexion", StringComparison.Ordinal));
        await OpenMailAsync(page);
        return page;
    }

    /// <summary>Goes to the mail page and waits until the session is connected.</summary>
    public static async Task OpenMailAsync(IPage page)
    {
        await page.GotoAsync("courrier");
        await page.Locator("[data-testid=mail-shell][data-ready=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 60000 });
    }

    /// <summary>The list row showing <paramref name="subject"/>.</summary>
    public static ILocator Row(IPage page, string subject) =>
        page.Locator("[data-testid=message-row]").Filter(new LocatorFilterOptions { HasText = subject });

    /// <summary>
    /// Opens the message of the row showing <paramref name="subject"/>, as a click on that row
    /// element itself. A pointer click lands wherever the rows are at that instant, and on this
    /// shared stack tests running in parallel deliver mail to the same demo users: a message
    /// arriving between Playwright's aim and its click pushes the rows down and the neighbour opens.
    /// What a click opens while the list moves under it is RowClickTests' subject.
    /// </summary>
    public static async Task OpenRowAsync(IPage page, string subject)
    {
        var row = Row(page, subject);
        await Assertions.Expect(row).ToBeVisibleAsync();
        await row.DispatchEventAsync("click");
    }

    /// <summary>The demo user with this address.</summary>
    public MailUser User(string address)
    {
        foreach (var user in Stack.Json.GetProperty("users").EnumerateArray())
        {
            if (user.GetProperty("address").GetString() == address)
            {
                return new MailUser(user.GetProperty("idNat").GetString()!, address);
            }
        }
        throw new InvalidOperationException("No demo user " + address);
    }

    /// <summary>Puts a message straight into a folder (IMAP APPEND as its owner).</summary>
    public async Task<uint> AppendAsync(string address, string folder, string raw, params string[] flags)
    {
        await using var imap = await Connector.OpenImapAsync(User(address));
        var mapping = await imap.AppendAsync(folder, System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")), flags);
        await imap.LogoutAsync();
        return mapping?.DestinationUids.Single() ?? throw new InvalidOperationException("no APPENDUID");
    }

    /// <summary>Delivers through Postfix's inbound SMTP, as a message from another operator would arrive.</summary>
    public async Task DeliverAsync(string from, string to, string raw)
    {
        await using var smtp = new SmtpClient(new MailConnectionOptions { Host = Stack.Host, Port = Stack.Port("smtp"), Security = MailSecurity.None });
        await smtp.ConnectAsync();
        await smtp.SendAsync(new SmtpEnvelope { From = from, Recipients = [new SmtpRecipient(to)] }, System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));
        await smtp.QuitAsync();
    }

    /// <summary>UIDs and flags of the messages of <paramref name="folder"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<IReadOnlyList<ImapMessage>> FindAsync(string address, string folder, string subject)
    {
        await using var imap = await Connector.OpenImapAsync(User(address));
        await imap.SelectAsync(folder, readOnly: true);
        var uids = await imap.SearchAsync(ImapSearchQuery.Subject(subject));
        var result = uids.Count == 0 ? [] : await imap.FetchAsync(UidSet.Of(uids), ImapFetchItems.Flags | ImapFetchItems.Envelope | ImapFetchItems.BodyStructure);
        await imap.LogoutAsync();
        return result;
    }

    /// <summary>Polls <see cref="FindAsync"/> until a message shows up (delivery through Postfix is asynchronous).</summary>
    public async Task<IReadOnlyList<ImapMessage>> WaitForAsync(string address, string folder, string subject, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var found = await FindAsync(address, folder, subject);
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(300);
        }
    }

    /// <summary>
    /// Imports national directory rows (pipe-separated, the extraction's 31 columns, no header)
    /// into the webmail's database, the way the scheduled import would.
    /// </summary>
    public async Task ImportDirectoryAsync(params string[] rows)
    {
        var services = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        Microsoft.Extensions.DependencyInjection.LoggingServiceCollectionExtensions.AddLogging(services);
        MSSante.Infrastructure.Persistence.PersistenceServiceCollectionExtensions.AddMSSanteDbContextFactory(services,
            new MSSante.Infrastructure.Persistence.DatabaseOptions { ConnectionString = "Data Source=" + Path.Combine(_dataDirectory!, "webmail.db") },
            _dataDirectory!);
        Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<MSSante.Infrastructure.NationalDirectory.DirectoryImporter>(services);
        await using var provider = Microsoft.Extensions.DependencyInjection.ServiceCollectionContainerBuilderExtensions.BuildServiceProvider(services);
        var importer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<MSSante.Infrastructure.NationalDirectory.DirectoryImporter>(provider);
        var text = MSSante.Domain.NationalDirectory.DirectoryGenerator.Header + "\n" + string.Join("\n", rows) + "\n";
        await importer.ImportAsync(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text)), "tests.txt");
    }

    public static string Unique(string prefix) => prefix + " " + Guid.NewGuid().ToString("N")[..8];

    /// <summary>A simple text message as another operator's software would send it.</summary>
    public static string TextMessage(string from, string to, string subject, string body, string? extraHeaders = null, DateTimeOffset? date = null) =>
        $"From: {from}\nTo: {to}\nSubject: {subject}\nDate: {date ?? DateTimeOffset.Now:ddd, dd MMM yyyy HH:mm:ss zzz}\nMessage-ID: <{Guid.NewGuid():N}@ch-demo.mssante.fr>\nMIME-Version: 1.0\n{extraHeaders}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n"
            .Replace("+01:00", "+0100", StringComparison.Ordinal).Replace("+00:00", "+0000", StringComparison.Ordinal);

    /// <summary>The webmail's mail connector, configured from the stack's operator.json.</summary>
    internal static MailConnector CreateConnector(string operatorJson)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(operatorJson));
        var op = doc.RootElement.GetProperty("Operator");
        var token = doc.RootElement.GetProperty("OperatorToken");
        OperatorServerOptions Server(JsonElement e) => new()
        {
            Host = e.GetProperty("Host").GetString()!,
            Port = e.GetProperty("Port").GetInt32(),
            Security = e.GetProperty("Security").GetString()!,
        };
        var mail = new OperatorMailOptions
        {
            Imap = Server(op.GetProperty("Imap")),
            Smtp = Server(op.GetProperty("Smtp")),
            TrustedCaFiles = op.GetProperty("TrustedCaFiles").EnumerateArray().Select(x => x.GetString()!).ToList(),
        };
        var tokens = new OperatorTokenSource(Microsoft.Extensions.Options.Options.Create(new MSSante.Infrastructure.Operator.OperatorTokenOptions
        {
            SigningKeyFile = token.GetProperty("SigningKeyFile").GetString()!,
            Issuer = token.GetProperty("Issuer").GetString()!,
            Audience = token.GetProperty("Audience").GetString()!,
            KeyId = token.GetProperty("KeyId").GetString(),
            LifetimeSeconds = 300,
        }));
        return new MailConnector(Microsoft.Extensions.Options.Options.Create(mail), tokens);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        if (_dataDirectory is not null)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                // best effort
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MailUiCollection : ICollectionFixture<MailUiFixture>
{
    public const string Name = "Webmail mail UI (real stack, Chromium)";
}
