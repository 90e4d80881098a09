using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The Blazor circuit's own connection (the SignalR WebSocket between Chromium and the webmail)
/// is cut, as a dropped Wi-Fi or a proxy restart would: the page shows the French reconnect UI,
/// and once the network is back it resumes the same circuit (no reload) with what happened
/// meanwhile, and keeps what was typed during the cut.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class CircuitDropTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string MarcId = "899700100049";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";
    private const string ClaireId = "899700100031";

    [Fact]
    public async Task A_dropped_circuit_shows_the_french_reconnect_ui_then_resumes_on_the_same_message_with_mail_that_arrived_meanwhile()
    {
        var opened = MailUiFixture.Unique("Compte rendu opératoire");
        var other = MailUiFixture.Unique("Bilan biologique");
        var meanwhile = MailUiFixture.Unique("Arrivé pendant la coupure");
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, other, "Bilan du jour."));
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, opened, "Intervention sans complication."));
        var network = new CircuitNetwork();
        var (context, page) = await network.SignInAsync(fixture, MarcId);
        await using var _ = context;
        try
        {
            await OpenAsync(page, opened);
            // A mark only this document carries: a reload after the cut would lose it.
            await page.EvaluateAsync("() => { window.mssCircuitDropMark = 'même page'; }");

            await network.CutAsync(context);
            var modal = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(modal).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
            await Assertions.Expect(modal).ToContainTextAsync("Connexion au serveur perdue. Reconnexion en cours…");

            // Mail arrives while the page is cut off; the circuit's IMAP session still sees it.
            await fixture.DeliverAsync(Paul, Marc, MailUiFixture.TextMessage(Paul, Marc, meanwhile, "Nouveau résultat."));
            Assert.Single(await fixture.WaitForAsync(Marc, "INBOX", meanwhile, seconds: 60));
            Assert.True(network.Cuts > 0, "no circuit connection was cut");

            await network.RestoreAsync(context);
            await Assertions.Expect(modal).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 90000 });
            Assert.Equal("même page", await page.EvaluateAsync<string?>("() => window.mssCircuitDropMark ?? null"));
            Assert.True(network.Connections >= 2, "the page did not open a new circuit connection");
            await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(opened);
            await Assertions.Expect(MailUiFixture.Row(page, meanwhile)).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });

            // The resumed circuit answers clicks: the list opens other messages.
            await OpenAsync(page, other);
            await OpenAsync(page, meanwhile);
            await Assertions.Expect(page.Locator("[data-testid=reading-pane]")).ToContainTextAsync("Nouveau résultat.");
        }
        catch (PlaywrightException e)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Support.BrowserFixture.ScreenshotDirectory, "circuit-drop-reading.png") });
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + Tail(), e);
        }
    }

    [Fact]
    public async Task A_draft_typed_while_the_circuit_is_down_reaches_the_drafts_folder_once_it_resumes()
    {
        var subject = MailUiFixture.Unique("Courrier d'adressage");
        var subjectDuringCut = subject + " (complété hors ligne)";
        var before = "avantcoupure" + Guid.NewGuid().ToString("N")[..8];
        var during = "pendantcoupure" + Guid.NewGuid().ToString("N")[..8];
        var network = new CircuitNetwork();
        var (context, page) = await network.SignInAsync(fixture, ClaireId);
        await using var _ = context;
        try
        {
            await page.Locator("[data-testid=compose-new]").ClickAsync();
            await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
            await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
            var editor = page.Locator("[data-testid=compose-body] .rz-html-editor-content");
            await editor.ClickAsync();
            await page.Keyboard.TypeAsync("Je vous adresse ma patiente " + before + ".");
            await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToContainTextAsync("Brouillon enregistré", new LocatorAssertionsToContainTextOptions { Timeout = 60000 });

            await network.CutAsync(context);
            var modal = page.Locator("#components-reconnect-modal");
            await Assertions.Expect(modal).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
            // The person keeps typing: the keys reach the page, not the server.
            await page.Locator("[data-testid=compose-subject]").FillAsync(subjectDuringCut);
            await editor.FocusAsync();
            await page.Keyboard.PressAsync("Control+End");
            await page.Keyboard.TypeAsync(" Merci de la recevoir " + during + ".");

            await network.RestoreAsync(context);
            await Assertions.Expect(modal).ToBeHiddenAsync(new LocatorAssertionsToBeHiddenOptions { Timeout = 90000 });
            await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync(subjectDuringCut);
            await Assertions.Expect(editor).ToContainTextAsync(during);

            // The autosave after the resumption stores what the page shows, typed during the cut included.
            var saved = await WaitForDraftAsync(Claire, subjectDuringCut, during);
            Assert.True(saved.Count == 1, $"no single draft with the subject and text typed during the cut ({saved.Count} found)");
            var draft = Assert.Single(await fixture.FindAsync(Claire, "Drafts", subjectDuringCut));
            Assert.Contains(ImapFlags.Draft, draft.Flags!);
            Assert.Single(await SearchDraftsAsync(Claire, ImapSearchQuery.And(ImapSearchQuery.Subject(subjectDuringCut), ImapSearchQuery.Body(before))));
            await page.Locator("[data-testid=compose-discard]").ClickAsync();
        }
        catch (PlaywrightException e)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Support.BrowserFixture.ScreenshotDirectory, "circuit-drop-draft.png") });
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + Tail(), e);
        }
    }

    /// <summary>Clicks the row until its message opens: a click on a row the list is repainting (new mail) is lost.</summary>
    private static async Task OpenAsync(IPage page, string subject)
    {
        for (var attempt = 0; ; attempt++)
        {
            await MailUiFixture.OpenRowAsync(page, subject);
            try
            {
                await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subject, new LocatorAssertionsToHaveTextOptions { Timeout = 15000 });
                return;
            }
            catch (PlaywrightException) when (attempt < 4)
            {
                // clicked a row that was being replaced: click the new one
            }
        }
    }

    private async Task<IReadOnlyList<uint>> WaitForDraftAsync(string address, string subject, string bodyText)
    {
        var query = ImapSearchQuery.And(ImapSearchQuery.Subject(subject), ImapSearchQuery.Body(bodyText));
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            var found = await SearchDraftsAsync(address, query);
            if (found.Count == 1 || DateTime.UtcNow > deadline)
            {
                return found;
            }
            await Task.Delay(300);
        }
    }

    private async Task<IReadOnlyList<uint>> SearchDraftsAsync(string address, ImapSearchQuery query)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(address));
        await imap.SelectAsync("Drafts", readOnly: true);
        var uids = await imap.SearchAsync(query);
        await imap.LogoutAsync();
        return uids;
    }

    private string Tail()
    {
        var log = fixture.Output;
        return log[Math.Max(0, log.Length - 6000)..];
    }

    /// <summary>
    /// Stands between the page and the webmail for the circuit's WebSocket (Playwright routes
    /// it). Chromium's offline emulation alone leaves an open WebSocket working, so a cut both
    /// closes the open circuit sockets and turns the context offline (the reconnect's negotiate
    /// request fails), and refuses new sockets until the network is restored.
    /// </summary>
    private sealed class CircuitNetwork
    {
        private readonly List<(IWebSocketRoute Page, IWebSocketRoute Server)> _open = [];
        private volatile bool _cut;
        private int _connections;
        private int _cuts;

        public int Connections => Volatile.Read(ref _connections);
        public int Cuts => Volatile.Read(ref _cuts);

        /// <summary>A context whose circuit sockets pass through here, signed in as <paramref name="idNat"/> on the mail page.</summary>
        public Task<(IBrowserContext Context, IPage Page)> SignInAsync(MailUiFixture fixture, string idNat) =>
            fixture.SignInAsync(idNat, context => context.RouteWebSocketAsync(new Regex("/_blazor"), Route));

        private void Route(IWebSocketRoute page)
        {
            if (_cut)
            {
                _ = page.CloseAsync(new WebSocketRouteCloseOptions { Code = 4000, Reason = "network down" });
                return;
            }
            var server = page.ConnectToServer();
            Interlocked.Increment(ref _connections);
            lock (_open)
            {
                _open.Add((page, server));
            }
        }

        public async Task CutAsync(IBrowserContext context)
        {
            _cut = true;
            await context.SetOfflineAsync(true);
            List<(IWebSocketRoute Page, IWebSocketRoute Server)> open;
            lock (_open)
            {
                open = [.. _open];
                _open.Clear();
            }
            foreach (var (page, server) in open)
            {
                // Both ends, as a broken network path would end them: the page sees its socket
                // close, the webmail sees the circuit's connection go (the circuit is kept).
                await CloseQuietlyAsync(page);
                await CloseQuietlyAsync(server);
                Interlocked.Increment(ref _cuts);
            }
        }

        public async Task RestoreAsync(IBrowserContext context)
        {
            _cut = false;
            await context.SetOfflineAsync(false);
        }

        private static async Task CloseQuietlyAsync(IWebSocketRoute socket)
        {
            try
            {
                await socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 4000, Reason = "network down" });
            }
            catch (PlaywrightException)
            {
                // the other end's close already ended it
            }
        }
    }
}
