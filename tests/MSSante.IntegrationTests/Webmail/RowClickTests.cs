using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// A click or a tick on a message row acts on the message the row showed in the browser at that
/// instant, even when the list moved on the server in between: a message deleted above it by
/// another client re-renders the rows, and the event, sent from the page before that render
/// reached it, must not open, select or then delete whatever the server now holds at that place
/// (another patient's letter). The same for a folder button when the folder list moves.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class RowClickTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string MarcId = "899700100049";

    [Fact]
    public async Task A_click_opens_the_message_the_row_showed_even_when_another_client_moved_the_list_before_the_click_reached_the_server()
    {
        var list = await ListMovingUnderAsync("Compte rendu de consultation");
        await using var _ = list.Context;
        await list.Row.ClickAsync();
        list.Link.Release();

        await Assertions.Expect(list.Page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(list.Target);
        await Assertions.Expect(list.Page.Locator("[data-testid=message-row].mail-open")).ToHaveAttributeAsync("data-uid", list.TargetUid);
        await Assertions.Expect(MailUiFixture.Row(list.Page, list.Above)).ToHaveCountAsync(0);
        await Assertions.Expect(MailUiFixture.Row(list.Page, list.Below)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_ticked_row_selects_the_message_it_showed_and_deleting_then_removes_that_message_only()
    {
        var list = await ListMovingUnderAsync("Résultat à supprimer");
        await using var _ = list.Context;
        await list.Row.Locator("[data-testid=select]").CheckAsync();
        list.Link.Release();

        var ticked = list.Page.Locator("[data-testid=message-row].mail-selected");
        await Assertions.Expect(ticked).ToHaveCountAsync(1);
        await Assertions.Expect(ticked).ToHaveAttributeAsync("data-uid", list.TargetUid);
        await list.Page.Locator("[data-testid=delete]").ClickAsync();
        await Assertions.Expect(list.Page.Locator("[data-testid=notice]")).ToHaveTextAsync("Déplacé dans la corbeille.");

        Assert.Empty(await fixture.FindAsync(Marc, "INBOX", list.Target));
        Assert.Single(await fixture.FindAsync(Marc, "Trash", list.Target));
        Assert.Single(await fixture.FindAsync(Marc, "INBOX", list.Below));
    }

    [Fact]
    public async Task A_folder_click_opens_the_folder_the_button_showed_even_when_the_folder_list_moved_before_the_click_reached_the_server()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var target = "Zz-cible-" + suffix;
        var inserted = "Aa-nouveau-" + suffix;
        await using (var setup = await fixture.Connector.OpenImapAsync(fixture.User(Marc)))
        {
            await setup.CreateMailboxAsync(target);
            await setup.LogoutAsync();
        }
        try
        {
            var link = new HeldCircuit();
            var (context, page) = await link.SignInAsync(fixture, MarcId);
            await using var _ = context;
            var button = page.Locator($"[data-testid=folder][data-folder='{target}']");
            await Assertions.Expect(button).ToBeVisibleAsync();
            await link.WaitForQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

            link.Hold();
            // Another client creates a folder listed above the target, then mail arrives, which
            // makes the session list the folders again: every button from there moves down one place.
            await using (var other = await fixture.Connector.OpenImapAsync(fixture.User(Marc)))
            {
                await other.CreateMailboxAsync(inserted);
                await other.LogoutAsync();
            }
            await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, MailUiFixture.Unique("Relance"), "Nouveau message."));
            Assert.True(await link.WaitForHeldAsync(inserted, TimeSpan.FromSeconds(60)), "the server never listed the new folder");
            await Assertions.Expect(page.Locator($"[data-testid=folder][data-folder='{inserted}']")).ToHaveCountAsync(0);
            await button.ClickAsync();
            link.Release();

            await Assertions.Expect(page.Locator("[data-testid=folder-title]")).ToHaveTextAsync(target);
            await Assertions.Expect(button).ToHaveAttributeAsync("aria-current", "true");
            await Assertions.Expect(page.Locator($"[data-testid=folder][data-folder='{inserted}']")).ToBeVisibleAsync();
        }
        finally
        {
            await using var cleanup = await fixture.Connector.OpenImapAsync(fixture.User(Marc));
            foreach (var name in new[] { target, inserted })
            {
                try
                {
                    await cleanup.DeleteMailboxAsync(name);
                }
                catch (MSSante.Mail.ImapCommandException)
                {
                    // not created
                }
            }
            await cleanup.LogoutAsync();
        }
    }

    private sealed record MovingList(HeldCircuit Link, IBrowserContext Context, IPage Page, ILocator Row, string Target, string TargetUid, string Above, string Below);

    /// <summary>
    /// Three messages, newest first: above, target, below. Signs Marc in, then holds what the server
    /// sends while another client (Thunderbird, a colleague) deletes "above", until the server has
    /// re-rendered the list (a held render batch carries the target's subject into another row).
    /// The page still shows the old list; the caller acts on the target's row, then releases.
    /// </summary>
    private async Task<MovingList> ListMovingUnderAsync(string subject)
    {
        var now = DateTimeOffset.Now;
        var below = MailUiFixture.Unique("Bilan biologique");
        var target = MailUiFixture.Unique(subject);
        var above = MailUiFixture.Unique("Courrier de sortie");
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, below, "Bilan du jour.", date: now.AddMinutes(-2)));
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, target, "Consultation du jour.", date: now.AddMinutes(-1)));
        var aboveUid = await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, above, "Sortie du service.", date: now));
        var link = new HeldCircuit();
        var (context, page) = await link.SignInAsync(fixture, MarcId);
        try
        {
            var row = MailUiFixture.Row(page, target);
            await Assertions.Expect(row).ToBeVisibleAsync();
            await Assertions.Expect(MailUiFixture.Row(page, above)).ToBeVisibleAsync();
            var targetUid = await row.GetAttributeAsync("data-uid");
            await link.WaitForQuietAsync(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));

            link.Hold();
            await using (var other = await fixture.Connector.OpenImapAsync(fixture.User(Marc)))
            {
                await other.SelectAsync("INBOX");
                await other.StoreAsync(UidSet.Of(aboveUid), ImapStoreAction.Add, [ImapFlags.Deleted]);
                await other.ExpungeAsync(UidSet.Of(aboveUid));
                await other.LogoutAsync();
            }
            Assert.True(await link.WaitForHeldAsync(target, TimeSpan.FromSeconds(60)), "the server never re-rendered the list after the deletion");
            await Assertions.Expect(MailUiFixture.Row(page, above)).ToHaveCountAsync(1);
            return new MovingList(link, context, page, row, target, targetUid!, above, below);
        }
        catch
        {
            await context.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Stands between the page and the webmail on the circuit's WebSocket (Playwright routes it)
    /// and can hold what the server sends, as a slow network delays a render batch, while the
    /// page's own events still go through.
    /// </summary>
    internal sealed class HeldCircuit
    {
        private readonly Lock _lock = new();
        private readonly List<(IWebSocketRoute Page, IWebSocketFrame Frame)> _held = [];
        private bool _holding;
        private DateTime _lastRender = DateTime.UtcNow;

        public Task<(IBrowserContext Context, IPage Page)> SignInAsync(MailUiFixture fixture, string idNat) =>
            fixture.SignInAsync(idNat, context => context.RouteWebSocketAsync(new Regex("/_blazor"), Route));

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
