using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;
using MSSante.IntegrationTests.Support;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Webmail.Mail;
using MSSante.Tests.Shared;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// The real webmail (demo environment, running operator stack) on a database prepared the way an
/// operator's would be: the published whitelist imported (../shared/data, read in place) and a
/// small fictitious national directory, so the compose check and its suggestions are the real
/// ones. Plus Chromium and direct IMAP/SMTP access to the stack.
/// </summary>
public sealed class TrustSpaceUiFixture : IAsyncLifetime
{
    private readonly BrowserFixture _browser = new();
    private string? _dataDirectory;
    private WebHost? _host;

    public StackInfo Stack { get; private set; } = default!;
    public WebHost Host => _host ?? throw new InvalidOperationException("not started");
    public MailConnector Connector { get; private set; } = default!;

    /// <summary>The directory rows the suggestions can come from (fictitious people of the demo).</summary>
    public static readonly string[] DirectoryRows =
    [
        Row("PER", "paul.durand@ch-demo.mssante.fr", "DURAND", "Paul", "Médecin", "Pneumologie (SM)", "899700100023"),
        Row("PER", "jeanne.martin@medecin.mssante.fr", "MARTIN", "Jeanne", "Médecin", "Médecine générale (SM)", "899700100015"),
        Row("PER", "sophie.bernard@ch-demo.mssante.fr", "BERNARD", "Sophie", "Secrétaire médicale", "", ""),
        Row("ORG", "pneumologie@ch-demo.mssante.fr", "", "", "", "", ""),
    ];

    public async Task InitializeAsync()
    {
        Stack = StackInfo.Load();
        Connector = MailUiFixture.CreateConnector(Path.Combine(Stack.StateDirectory, "settings", "operator.json"));
        _dataDirectory = Directory.CreateTempSubdirectory("mssante-trustspace-").FullName;
        var database = Path.Combine(_dataDirectory, "webmail.db");
        await PrepareDatabaseAsync(database);
        _host = await WebHost.StartDemoAsync(Stack, new Dictionary<string, string>
        {
            ["Database__ConnectionString"] = "Data Source=" + database,
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await _browser.InitializeAsync();
        Assertions.SetDefaultExpectTimeout(30000);
    }

    private async Task PrepareDatabaseAsync(string database)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMSSanteDbContextFactory(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = "Data Source=" + database }, _dataDirectory!);
        services.AddMSSanteTrustSpace(new ConfigurationBuilder().Build(), scheduled: false);
        await using var provider = services.BuildServiceProvider();
        await using (var context = await provider.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync())
        {
            await context.Database.MigrateAsync();
        }
        var whitelist = Stack.Json.GetProperty("trustSpace").GetProperty("whitelistFile").GetString()
            ?? throw new InvalidOperationException("The stack names no published whitelist (../shared/data).");
        var outcome = await provider.GetRequiredService<WhitelistImporter>().ImportAsync(whitelist);
        if (!outcome.Accepted)
        {
            throw new InvalidOperationException("Whitelist import refused: " + outcome.Reason);
        }
        var text = DirectoryGenerator.Header + "\n" + string.Join("\n", DirectoryRows) + "\n";
        await provider.GetRequiredService<DirectoryImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "trust-space-test");
    }

    /// <summary>A new browser context signed in as the demo identity <paramref name="idNat"/>, on the mail page.</summary>
    public async Task<(IBrowserContext Context, IPage Page)> SignInAsync(string idNat)
    {
        var context = await _browser.NewContextAsync(Host.BaseAddress);
        return (context, await MailUiFixture.DemoSignInAsync(context, idNat));
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

    /// <summary>Messages of <paramref name="folder"/> whose subject contains <paramref name="subject"/>, polled until one shows up.</summary>
    public async Task<IReadOnlyList<ImapMessage>> WaitForAsync(string address, string folder, string subject, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            await using var imap = await Connector.OpenImapAsync(User(address));
            await imap.SelectAsync(folder, readOnly: true);
            var uids = await imap.SearchAsync(ImapSearchQuery.Subject(subject));
            var found = uids.Count == 0 ? [] : await imap.FetchAsync(UidSet.Of(uids), ImapFetchItems.Envelope | ImapFetchItems.Flags);
            await imap.LogoutAsync();
            if (found.Count > 0 || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(300);
        }
    }

    /// <summary>The last lines the web host wrote, for failure messages.</summary>
    public string Tail => Host.Output.Length > 6000 ? Host.Output[^6000..] : Host.Output;

    private static string Row(string type, string address, string last, string first, string profession, string specialty, string idNat) =>
        new DirectoryTestRow(type, address)
        {
            IdNat = idNat, Civility = last.Length > 0 ? "DR" : "", LastName = last, FirstName = first, Profession = profession,
            Specialty = specialty, Dematerialisation = "true", Structure = "CH DÉMO", PostalCode = "69003", Town = "LYON",
        }.ToLine();

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        if (_dataDirectory is not null && Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
    }
}

/// <summary>
/// Alone, after the parallel collections: the delegation journey takes Sophie BERNARD's access
/// to the service mailbox away for a while, which other tests rely on.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrustSpaceUiCollection : ICollectionFixture<TrustSpaceUiFixture>
{
    public const string Name = "Trust space in the webmail (real stack, Chromium)";
}
