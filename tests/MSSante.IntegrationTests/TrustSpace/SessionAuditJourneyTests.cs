using Microsoft.Playwright;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// The real webmail in Chromium, its token meant for another audience than the one Dovecot
/// accepts (as when the operator has revoked the webmail's registration): the mail page's IMAP
/// login is refused and the access journal shows that failed login with Dovecot's answer; an
/// explicit logout is journalled too.
/// </summary>
public sealed class SessionAuditJourneyTests(SessionAuditJourneyTests.RefusedTokenHost fixture) : IClassFixture<SessionAuditJourneyTests.RefusedTokenHost>
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";

    [Fact]
    public async Task A_login_refused_by_the_imap_server_and_a_logout_are_in_the_journal()
    {
        var context = await fixture.Browser.NewContextAsync(fixture.Host.BaseAddress);
        await using var _ = context;
        context.SetDefaultTimeout(60000);
        context.SetDefaultNavigationTimeout(60000);
        var page = await context.NewPageAsync();
        try
        {
            await SignInAsync(page);
            await page.GotoAsync("courrier");
            await Assertions.Expect(page.Locator("[data-testid=mail-shell][data-ready=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
            await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("motif du serveur");

            await page.GotoAsync("journal");
            await Assertions.Expect(page.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
            var refused = JournalRow(page, "EchecConnexion", false).Filter(new LocatorFilterOptions { HasText = "protocole=imap" }).First;
            await Assertions.Expect(refused).ToContainTextAsync("methode=oauthbearer");
            await Assertions.Expect(refused).ToContainTextAsync("NO [AUTHENTICATIONFAILED]");

            // Logout: the form in the header, then a new sign-in to read the journal.
            await page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Se déconnecter" }).ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("/journal", StringComparison.Ordinal));
            // Signed out for real: the journal now sends to the sign-in page.
            await page.GotoAsync("journal");
            await page.WaitForURLAsync(u => u.Contains("/connexion", StringComparison.Ordinal));
            await SignInAsync(page);
            await page.GotoAsync("journal");
            await Assertions.Expect(page.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
            await Assertions.Expect(JournalRow(page, "Deconnexion", true)).ToHaveCountAsync(1);
            await Assertions.Expect(JournalRow(page, "Deconnexion", true)).ToContainTextAsync("methode=demo; motif=deconnexion");
            await Assertions.Expect(JournalRow(page, "Connexion", true)).ToHaveCountAsync(2);
        }
        catch (PlaywrightException e)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "session-audit.png") });
            var log = fixture.Host.Output;
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + log[Math.Max(0, log.Length - 6000)..], e);
        }
    }

    private static async Task SignInAsync(IPage page)
    {
        await page.GotoAsync("demo/connexion");
        await page.Locator($"button[data-idnat='{JeanneId}']").ClickAsync();
        await page.WaitForURLAsync(u => !u.Contains("/demo/connexion", StringComparison.Ordinal));
    }

    private static ILocator JournalRow(IPage page, string action, bool success) =>
        page.Locator($"[data-testid=audit-row][data-action={action}][data-author='{JeanneId}'][data-mailbox='{Jeanne}'][data-success={(success ? "true" : "false")}]");

    /// <summary>A demo webmail whose operator tokens name an audience Dovecot does not accept, plus Chromium.</summary>
    public sealed class RefusedTokenHost : IAsyncLifetime
    {
        private readonly BrowserFixture _browser = new();
        private WebHost? _host;

        public WebHost Host => _host ?? throw new InvalidOperationException("not started");
        public BrowserFixture Browser => _browser;

        public async Task InitializeAsync()
        {
            _host = await WebHost.StartDemoAsync(StackInfo.Load(), new Dictionary<string, string>
            {
                ["OperatorToken__Audience"] = "service-inconnu-de-l-operateur",
            });
            await _browser.InitializeAsync();
        }

        public async Task DisposeAsync()
        {
            await _browser.DisposeAsync();
            if (_host is not null)
            {
                await _host.DisposeAsync();
            }
        }
    }
}
