using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.CardLogin;

/// <summary>
/// A practitioner in Chromium: the login page, the card bridge on a SoftHSM2 test card, the
/// webmail's verification, and the session. Refusals show their French message and leave no
/// session cookie.
/// </summary>
[Collection("card-browser")]
public sealed partial class CardLoginBrowserTests(CardBrowserFixture fixture)
{
    private const string Pin = "1234";

    private async Task<(IBrowserContext Context, IPage Page)> OpenLoginAsync(string cardLabel)
    {
        var context = await fixture.Browser.NewContextAsync(fixture.WebmailAddress);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/connexion");
        var select = page.Locator("#mss-card-select");
        await Assertions.Expect(page.Locator("#mss-card-form")).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await select.SelectOptionAsync(new SelectOptionValue { Label = cardLabel });
        await Assertions.Expect(page.GetByTestId("holder")).ToContainTextAsync("Titulaire");
        return (context, page);
    }

    private static async Task<bool> HasSessionCookieAsync(IBrowserContext context) =>
        (await context.CookiesAsync()).Any(c => c.Name.Contains("mssante", StringComparison.Ordinal));

    [Fact]
    public async Task Practitioner_logs_in_with_card_and_PIN_and_sees_identity_and_mailbox()
    {
        var (context, page) = await OpenLoginAsync("CPS JEANNE MARTIN");
        await using var _ = context;
        await Assertions.Expect(page.GetByTestId("holder")).ToContainTextAsync("JEANNE MARTIN, Médecin généraliste (899700100015)");
        await Assertions.Expect(page.GetByTestId("tries")).ToHaveTextAsync("Essais restants : 3");
        await page.Locator("#mss-pin").FillAsync(Pin);
        await page.Locator("#mss-submit").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"), new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Jeanne MARTIN");
        await Assertions.Expect(page.GetByTestId("mailbox-title")).ToHaveTextAsync("jeanne.martin@medecin.mssante.fr");
        Assert.True(await HasSessionCookieAsync(context));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "card-login-signed-in.png") });
    }

    [Fact]
    public async Task Removing_the_card_returns_the_page_to_the_login_and_the_server_refuses_the_cookie()
    {
        // A card no other test uses: its token leaves the SoftHSM2 token directory for a while.
        const string card = "CPS SOPHIE BERNARD";
        var token = fixture.TokenDirectory(card);
        var (context, page) = await OpenLoginAsync(card);
        await using var _ = context;
        await page.Locator("#mss-pin").FillAsync(Pin);
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Sophie BERNARD", new() { Timeout = 20_000 });
        // The session cookie as anyone who copied it would hold it.
        var copied = (await context.CookiesAsync()).Where(c => c.Name.Contains("mssante", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(copied);
        using (var before = await GetWithCookiesAsync("/courrier", copied))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        // Out of the token directory (not beside the other tokens: SoftHSM2 would still see it).
        var aside = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(token))!, "removed-" + Path.GetFileName(token));
        Directory.Move(token, aside);
        try
        {
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/connexion\\?motif=retrait$"), new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("removed-notice"))
                .ToHaveTextAsync("Votre carte a été retirée du lecteur : vous avez été déconnecté.");
        }
        finally
        {
            Directory.Move(aside, token);
        }

        Assert.False(await HasSessionCookieAsync(context));
        // Ended on the server, not only forgotten by this browser: the copy opens nothing.
        using var after = await GetWithCookiesAsync("/courrier", copied);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        // To the sign-in page (the demo environment serves it as /demo/connexion).
        Assert.Matches("^/(demo/)?connexion\\?ReturnUrl=%2Fcourrier$", after.Headers.Location!.IsAbsoluteUri ? after.Headers.Location.PathAndQuery : after.Headers.Location.OriginalString);

        // The card back in the reader, a new login shows the removal in the access journal.
        var (again, journal) = await OpenLoginAsync(card);
        await using var __ = again;
        await journal.Locator("#mss-pin").FillAsync(Pin);
        await journal.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(journal.GetByTestId("identity")).ToContainTextAsync("Sophie BERNARD", new() { Timeout = 20_000 });
        await journal.GotoAsync("/journal");
        await Assertions.Expect(journal.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(journal.Locator("[data-testid=audit-row][data-action=Deconnexion][data-success=true][data-mailbox='sophie.bernard@ch-demo.mssante.fr']")
            .Filter(new() { HasText = "methode=cps; motif=retrait-carte" })).ToHaveCountAsync(1);
    }

    private async Task<HttpResponseMessage> GetWithCookiesAsync(string path, IEnumerable<BrowserContextCookiesResult> cookies)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = fixture.WebmailAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => c.Name + "=" + c.Value)));
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task Service_mailbox_of_the_responsible_practitioner_is_listed_after_card_login()
    {
        var (context, page) = await OpenLoginAsync("CPS PAUL DURAND");
        await using var _ = context;
        await page.Locator("#mss-pin").FillAsync(Pin);
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("identity")).ToContainTextAsync("Paul DURAND", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator(".mss-mailbox-name")).ToContainTextAsync(["paul.durand@ch-demo.mssante.fr", "pneumologie@ch-demo.mssante.fr"]);
    }

    [Fact]
    public async Task Wrong_PIN_shows_the_tries_left_and_issues_no_session()
    {
        var (context, page) = await OpenLoginAsync("CPS MARC PETIT");
        await using var _ = context;
        await page.Locator("#mss-pin").FillAsync("0000");
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToHaveTextAsync("Code PIN incorrect. Il vous reste 2 essais.");
        await Assertions.Expect(page.GetByTestId("tries")).ToHaveTextAsync("Essais restants : 2");
        await Assertions.Expect(page.Locator("#mss-pin")).ToHaveValueAsync("");
        Assert.False(await HasSessionCookieAsync(context));
    }

    [Fact]
    public async Task Third_wrong_PIN_locks_the_card_and_disables_the_form()
    {
        var (context, page) = await OpenLoginAsync("CPS CLAIRE LEROY");
        await using var _ = context;
        await page.Locator("#mss-pin").FillAsync("0000");
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tries")).ToHaveTextAsync("Essais restants : 2");
        await page.Locator("#mss-pin").FillAsync("0001");
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("tries")).ToHaveTextAsync("Attention : dernier essai avant blocage de la carte.");
        await page.Locator("#mss-pin").FillAsync("0002");
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("bloqué");
        await Assertions.Expect(page.Locator("#mss-pin")).ToBeDisabledAsync();
        Assert.False(await HasSessionCookieAsync(context));
    }

    [Theory]
    [InlineData("CPS TEST EXPIREE", "Votre carte a expiré le ")]
    [InlineData("CPS TEST PAS ENCORE VALIDE", "Le certificat de votre carte ne sera valide qu'à partir du ")]
    [InlineData("CPS TEST REVOQUEE", "Cette carte a été révoquée (mise en opposition). Connexion refusée.")]
    [InlineData("CPS TEST AUTRE AC", "Cette carte n'a pas été émise par une autorité de confiance IGC-Santé. Connexion refusée.")]
    [InlineData("CPS TEST AUTO-SIGNEE", "Ce certificat est auto-signé : il ne provient pas d'une carte CPS. Connexion refusée.")]
    [InlineData("CPS TEST USAGE CLE", "Ce certificat ne permet pas l'authentification (usage de clé incorrect).")]
    public async Task Defective_test_card_with_the_right_PIN_is_refused_with_its_reason(string cardLabel, string messageStart)
    {
        var (context, page) = await OpenLoginAsync(cardLabel);
        await using var _ = context;
        await page.Locator("#mss-pin").FillAsync(Pin);
        await page.Locator("#mss-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync(messageStart, new() { Timeout = 20_000 });
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/connexion$"));
        Assert.False(await HasSessionCookieAsync(context));
    }

    [Fact]
    public async Task PIN_typed_while_the_chosen_card_is_still_loading_never_goes_to_the_previous_card()
    {
        await using var context = await fixture.Browser.NewContextAsync(fixture.WebmailAddress);
        var page = await context.NewPageAsync();
        // A slow reader: every certificate listing takes 1.5 s, so the user picks the revoked
        // card and types the PIN while the first card listed is still the one on screen.
        await page.RouteAsync(fixture.BridgeAddress.GetLeftPart(UriPartial.Authority) + "/v1/certificates**", async route =>
        {
            await Task.Delay(1_500);
            await route.ContinueAsync();
        });
        await page.GotoAsync("/connexion");
        await Assertions.Expect(page.Locator("#mss-card-form")).ToBeVisibleAsync(new() { Timeout = 40_000 });
        await page.Locator("#mss-card-select").SelectOptionAsync(new SelectOptionValue { Label = "CPS TEST REVOQUEE" });
        await page.Locator("#mss-pin").FillAsync(Pin);
        await page.Locator("#mss-submit").ClickAsync();

        await Assertions.Expect(page.GetByTestId("login-error")).ToContainTextAsync("Cette carte a été révoquée", new() { Timeout = 20_000 });
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/connexion$"));
        Assert.False(await HasSessionCookieAsync(context));
    }

    [Fact]
    public async Task Page_explains_how_to_install_the_bridge_and_allow_local_network_access_when_it_is_absent()
    {
        await using var context = await fixture.Browser.NewContextAsync(fixture.WebmailAddress);
        var page = await context.NewPageAsync();
        // The same page, pointed at a port where no bridge listens.
        await page.RouteAsync(fixture.BridgeAddress.GetLeftPart(UriPartial.Authority) + "/**", route => route.AbortAsync("connectionrefused"));
        await page.GotoAsync("/connexion");
        var missing = page.GetByTestId("bridge-missing");
        await Assertions.Expect(missing).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Assertions.Expect(missing).ToContainTextAsync("Le module de carte CPS (« pont carte ») ne répond pas sur ce poste.");
        await Assertions.Expect(missing).ToContainTextAsync("appareils du réseau local");
        await Assertions.Expect(missing).ToContainTextAsync("mssante-card-bridge");
        await Assertions.Expect(page.Locator("#mss-card-form")).ToBeHiddenAsync();
    }
}
