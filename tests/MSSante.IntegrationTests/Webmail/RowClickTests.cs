using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// A click on a message row opens the message the row showed in the browser at the click, even
/// when the list moved on the server in between: a message deleted above it by another client
/// re-renders the rows, and the click, sent from the page before that render reached it, must not
/// open whatever the server now holds at that place (another patient's letter).
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class RowClickTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string MarcId = "899700100049";

    private static ILocator Row(IPage page, string subject) =>
        page.Locator("[data-testid=message-row]").Filter(new LocatorFilterOptions { HasText = subject });

    [Fact]
    public async Task A_click_opens_the_message_the_row_showed_even_when_another_client_moved_the_list_before_the_click_reached_the_server()
    {
        // Newest first: "above" is listed above "clicked", which is above "below".
        var now = DateTimeOffset.Now;
        var below = MailUiFixture.Unique("Bilan biologique");
        var clicked = MailUiFixture.Unique("Compte rendu de consultation");
        var above = MailUiFixture.Unique("Courrier de sortie");
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, below, "Bilan du jour.", date: now.AddMinutes(-2)));
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, clicked, "Consultation du jour.", date: now.AddMinutes(-1)));
        var aboveUid = await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, above, "Sortie du service.", date: now));
        var link = new HeldCircuit();
        var (context, page) = await link.SignInAsync(fixture, MarcId);
        await using var _ = context;
        var row = Row(page, clicked);
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(Row(page, above)).ToBeVisibleAsync();
        var clickedUid = await row.GetAttributeAsync("data-uid");
        await link.WaitForQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

        // From here the page receives nothing from the server until the click has been sent.
        link.Hold();
        // Another client (Thunderbird, a colleague) deletes the message above: every row below it moves up one place.
        await using (var other = await fixture.Connector.OpenImapAsync(fixture.User(Marc)))
        {
            await other.SelectAsync("INBOX");
            await other.StoreAsync(UidSet.Of(aboveUid), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await other.ExpungeAsync(UidSet.Of(aboveUid));
            await other.LogoutAsync();
        }
        // The server has moved the clicked message into the row above: a render batch the page
        // has not applied yet carries its subject into another row.
        Assert.True(await link.WaitForHeldAsync(clicked, TimeSpan.FromSeconds(60)), "the server never re-rendered the list after the deletion");
        await Assertions.Expect(Row(page, above)).ToHaveCountAsync(1);
        await row.ClickAsync();
        link.Release();

        await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(clicked);
        await Assertions.Expect(page.Locator("[data-testid=message-row].mail-open")).ToHaveAttributeAsync("data-uid", clickedUid!);
        await Assertions.Expect(Row(page, above)).ToHaveCountAsync(0);
        await Assertions.Expect(Row(page, below)).ToBeVisibleAsync();
    }

    /// <summary>
    /// Stands between the page and the webmail on the circuit's WebSocket (Playwright routes it)
    /// and can hold what the server sends, as a slow network delays a render batch, while the
    /// page's own events still go through.
    /// </summary>
    private sealed class HeldCircuit
    {
        private readonly Lock _lock = new();
        private readonly List<(IWebSocketRoute Page, IWebSocketFrame Frame)> _held = [];
        private bool _holding;
        private DateTime _lastRender = DateTime.UtcNow;

        public async Task<(IBrowserContext Context, IPage Page)> SignInAsync(MailUiFixture fixture, string idNat)
        {
            var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = fixture.BaseAddress.ToString(),
                Locale = "fr-FR",
                ViewportSize = new ViewportSize { Width = 1440, Height = 900 },
            });
            context.SetDefaultTimeout(60000);
            context.SetDefaultNavigationTimeout(60000);
            await context.RouteWebSocketAsync(new Regex("/_blazor"), Route);
            var page = await context.NewPageAsync();
            await page.GotoAsync("demo/connexion");
            await page.Locator($"button[data-idnat='{idNat}']").ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("/demo/connexion", StringComparison.Ordinal));
            await MailUiFixture.OpenMailAsync(page);
            return (context, page);
        }

        private void Route(IWebSocketRoute page)
        {
            var server = page.ConnectToServer();
            server.OnMessage(frame =>
            {
                lock (_lock)
                {
                    if (frame.Binary is { Length: > 200 } || frame.Text is { Length: > 200 })
                    {
                        _lastRender = DateTime.UtcNow; // a render batch or a JS call, not a ping
                    }
                    if (_holding)
                    {
                        _held.Add((page, frame));
                        return;
                    }
                }
                Forward(page, frame);
            });
        }

        /// <summary>
        /// Waits until the server has sent nothing but pings for <paramref name="quiet"/>: the list
        /// has stopped growing to fill the pane (Virtualize measures in the browser, then renders more).
        /// </summary>
        public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (_lock)
                {
                    if (DateTime.UtcNow - _lastRender >= quiet)
                    {
                        return;
                    }
                }
                await Task.Delay(50);
            }
            throw new TimeoutException("the page kept receiving renders");
        }

        public void Hold()
        {
            lock (_lock)
            {
                _holding = true;
            }
        }

        /// <summary>Waits until a held frame from the server carries <paramref name="text"/> (UTF-8, as render batches hold strings).</summary>
        public async Task<bool> WaitForHeldAsync(string text, TimeSpan timeout)
        {
            var needle = Encoding.UTF8.GetBytes(text);
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                lock (_lock)
                {
                    if (_held.Any(h => (h.Frame.Binary ?? Encoding.UTF8.GetBytes(h.Frame.Text ?? "")).AsSpan().IndexOf(needle) >= 0))
                    {
                        return true;
                    }
                }
                await Task.Delay(50);
            }
            return false;
        }

        /// <summary>Delivers what was held, in order, and lets everything through again.</summary>
        public void Release()
        {
            lock (_lock)
            {
                foreach (var (page, frame) in _held)
                {
                    Forward(page, frame);
                }
                _held.Clear();
                _holding = false;
            }
        }

        private static void Forward(IWebSocketRoute page, IWebSocketFrame frame)
        {
            if (frame.Binary is { } binary)
            {
                page.Send(binary);
            }
            else
            {
                page.Send(frame.Text!);
            }
        }
    }
}
