using System.Collections.Concurrent;
using System.Text;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;

namespace MSSante.IntegrationTests.Xss;

/// <summary>
/// The hostile corpus (Corpus/*.eml) delivered through Postfix to a demo mailbox and opened in
/// Chromium through SafeHtmlFrame on the real web host: no script may run (no dialog, no
/// console marker, no request to the sentinel's /js/ path) and nothing remote may load before
/// the user allows it; after allowing, the remote image does load (so the test can fail).
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class XssBrowserTests(MailUiFixture fixture)
{
    private const string Recipient = "marc.petit@infirmier.mssante.fr";
    private const string Folder = "Tests XSS";

    private static string CorpusDirectory => Path.Combine(Support.StackInfo.FindRepositoryRoot(), "tests", "MSSante.IntegrationTests", "Xss", "Corpus");

    [Fact]
    public async Task Hostile_corpus_runs_no_script_and_loads_nothing_remote_until_allowed()
    {
        var files = Directory.GetFiles(CorpusDirectory, "*.eml").Order(StringComparer.Ordinal).ToArray();
        Assert.True(files.Length >= 150, $"only {files.Length} corpus messages");
        var run = "XSS-" + Guid.NewGuid().ToString("N")[..8];
        await using var sentinel = new SentinelServer();
        var user = fixture.User(Recipient);
        try
        {
            await DeliverAllAsync(files, run);
            var moved = await MoveToTestFolderAsync(user, run, files.Length);
            Assert.Equal(files.Length, moved);

            var (context, page) = await fixture.SignInAsync(user.IdNat);
            await using var _ = context;
            var dialogs = new ConcurrentQueue<string>();
            var consoleMarks = new ConcurrentQueue<string>();
            page.Dialog += async (_, dialog) =>
            {
                dialogs.Enqueue(dialog.Message);
                await dialog.DismissAsync();
            };
            context.Console += (_, message) =>
            {
                if (message.Text.Contains("xss", StringComparison.OrdinalIgnoreCase))
                {
                    consoleMarks.Enqueue(message.Text);
                }
            };
            context.Page += (_, popup) => consoleMarks.Enqueue("popup opened: " + popup.Url);

            // The hook works: a dialog raised in the page is seen.
            await page.EvaluateAsync("() => setTimeout(() => alert('sonde'), 0)");
            await WaitUntilAsync(() => dialogs.Contains("sonde"), "the dialog hook did not see a probe alert");
            dialogs.Clear();

            // Every message at once, each in its own sandboxed frame.
            // Hundreds of frames on a shared machine: wait for the DOM, then for each frame below.
            await page.GotoAsync($"demo/apercu-message?dossier={Uri.EscapeDataString(Folder)}&sujet={run}", new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 180_000 });
            await Assertions.Expect(page.GetByTestId("preview")).ToHaveAttributeAsync("data-count", files.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 180_000 });
            var frames = page.Locator("[data-testid=message-frame]");
            // The count is announced before the frames are in the DOM: wait for them all.
            await Assertions.Expect(frames).ToHaveCountAsync(files.Length, new() { Timeout = 180_000 });
            var rendered = new Dictionary<int, IFrame>();
            for (var i = 0; i < files.Length; i++)
            {
                // The page may still re-render a frame element while the others load: a check that
                // meets a detached element starts again on the element now at that index.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await CheckFrameAsync(page, frames.Nth(i), i, files.Length, rendered);
                        break;
                    }
                    catch (PlaywrightException e) when (attempt < 5 && e.Message.Contains("not attached", StringComparison.Ordinal))
                    {
                        await Task.Delay(500);
                    }
                }
            }

            // One frame per element: no two messages share a document.
            Assert.Equal(files.Length, rendered.Values.Distinct().Count());

            // Give timers, animations, transitions and refreshes time to fire.
            await page.WaitForTimeoutAsync(3000);
            Assert.True(dialogs.IsEmpty, "dialogs: " + string.Join(", ", dialogs));
            Assert.True(consoleMarks.IsEmpty, "console/popup: " + string.Join(", ", consoleMarks));
            Assert.True(sentinel.Requests.IsEmpty, "sentinel requests before remote content was allowed: " + string.Join(", ", sentinel.Requests));
            Assert.EndsWith("/demo/apercu-message?dossier=" + Uri.EscapeDataString(Folder) + "&sujet=" + run, page.Url, StringComparison.Ordinal);

            // The banner, then "load for this message": the tracking pixel now reaches the sentinel.
            var pixel = (await fixture.FindAsync(Recipient, Folder, run + " remote-img")).Single(m => m.Envelope?.Subject == run + " remote-img");
            await page.GotoAsync($"demo/apercu-message?dossier={Uri.EscapeDataString(Folder)}&uid={pixel.Uid}");
            var banner = page.GetByTestId("remote-content-banner");
            await Assertions.Expect(banner).ToContainTextAsync("Le contenu distant de ce message a été bloqué pour protéger votre vie privée.", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("remote-allow-sender")).ToContainTextAsync("attaquant@ch-demo.mssante.fr");
            await page.WaitForTimeoutAsync(1000);
            Assert.True(sentinel.Requests.IsEmpty, "the pixel loaded before the user allowed it");
            await page.GetByTestId("remote-allow-message").ClickAsync();
            await WaitUntilAsync(() => sentinel.Requests.Contains("/remote/remote-img.png"), "allowing remote content did not load the pixel: the test could not see a remote load");
            await Assertions.Expect(banner).ToHaveCountAsync(0);
            Assert.True(dialogs.IsEmpty, "dialogs after allowing: " + string.Join(", ", dialogs));
            Assert.DoesNotContain(sentinel.Requests, r => r.StartsWith("/js/", StringComparison.Ordinal));

            // "Always for this sender" is remembered: a fresh load shows the images without the banner.
            await page.ReloadAsync();
            await page.GetByTestId("remote-allow-sender").ClickAsync();
            await Assertions.Expect(page.GetByTestId("message-frame")).ToHaveAttributeAsync("data-remote", "autorise");
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("message-frame")).ToHaveAttributeAsync("data-remote", "autorise", new() { Timeout = 30_000 });
            await Assertions.Expect(page.GetByTestId("remote-content-banner")).ToHaveCountAsync(0);
            Assert.DoesNotContain(sentinel.Requests, r => r.StartsWith("/js/", StringComparison.Ordinal));
        }
        finally
        {
            await CleanUpAsync(user, run);
        }
    }

    /// <summary>
    /// One message frame: sandboxed, given the sanitised document, rendered by Chromium into its
    /// own frame that committed that document, laid out, then hovered and scrolled over.
    /// </summary>
    private static async Task CheckFrameAsync(IPage page, ILocator frame, int i, int count, Dictionary<int, IFrame> rendered)
    {
        Assert.Equal("allow-popups allow-popups-to-escape-sandbox", await frame.GetAttributeAsync("sandbox"));
        await frame.ScrollIntoViewIfNeededAsync();
        // Playwright cannot run its selector engine inside a frame where scripts are
        // disabled (that is the point of the sandbox): check the document given to it.
        Assert.Contains("<div id=\"mssante-message\"", await frame.GetAttributeAsync("srcdoc") ?? "", StringComparison.Ordinal);

        // This very element's frame exists and shows its document. Asked per element (not from
        // page.Frames, which only lists the frames whose attach event was processed and so may be
        // short while many attach at once), and waited for, so a message that is never rendered
        // fails here by its index.
        var element = await frame.ElementHandleAsync();
        var content = await element.ContentFrameAsync();
        for (var attempt = 0; content is null && attempt < 600; attempt++)
        {
            await Task.Delay(100);
            content = await element.ContentFrameAsync();
        }
        Assert.True(content is not null, $"message frame {i} of {count} was never rendered by Chromium");
        // Give the frame time to commit its srcdoc document. Not asserted: with hundreds of
        // frames attaching at once Playwright can miss a frame's navigation event entirely (seen
        // in full runs: a frame present in Chromium whose URL Playwright never learned), so the
        // URL says more about Playwright than about the page.
        for (var attempt = 0; content.Url != "about:srcdoc" && attempt < 50; attempt++)
        {
            await Task.Delay(200);
        }
        rendered[i] = content;

        var box = await frame.BoundingBoxAsync();
        Assert.True(box is not null, $"message frame {i} is not laid out");
        // Hover and wheel over each message: mouse handlers would fire here.
        await page.Mouse.MoveAsync(box.X + 5, box.Y + 5);
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.WheelAsync(0, 40);
    }

    private async Task DeliverAllAsync(string[] files, string run)
    {
        await using var smtp = new SmtpClient(new MailConnectionOptions { Host = fixture.Stack.Host, Port = fixture.Stack.Port("smtp"), Security = MailSecurity.None });
        await smtp.ConnectAsync();
        foreach (var file in files)
        {
            var raw = Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file));
            // One run's messages are told apart by their subject; the rest is the file as is.
            raw = raw.Replace("Subject: XSS ", "Subject: " + run + " ", StringComparison.Ordinal)
                     .Replace("@corpus.mssante.test>", "." + run + "@corpus.mssante.test>", StringComparison.Ordinal);
            await smtp.SendAsync(new SmtpEnvelope { From = "attaquant@ch-demo.mssante.fr", Recipients = [new SmtpRecipient(Recipient)] }, Encoding.UTF8.GetBytes(raw));
        }

        await smtp.QuitAsync();
    }

    /// <summary>Waits until Postfix delivered every message, then moves them out of INBOX so other tests' inbox stays as they expect.</summary>
    private async Task<int> MoveToTestFolderAsync(MSSante.Webmail.Mail.MailUser user, string run, int expected)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(user);
        try
        {
            await imap.CreateMailboxAsync(Folder);
        }
        catch (MailCommandException)
        {
            // Already there from an earlier run.
        }

        await imap.SelectAsync("INBOX");
        var deadline = DateTime.UtcNow.AddSeconds(60);
        IReadOnlyList<uint> uids;
        while (true)
        {
            uids = await imap.SearchAsync(ImapSearchQuery.Subject(run));
            if (uids.Count >= expected || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(500);
        }

        if (uids.Count > 0)
        {
            await imap.MoveAsync(UidSet.Of(uids), Folder);
        }

        await imap.LogoutAsync();
        return uids.Count;
    }

    private async Task CleanUpAsync(MSSante.Webmail.Mail.MailUser user, string run)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(user);
        foreach (var folder in new[] { "INBOX", Folder })
        {
            try
            {
                await imap.SelectAsync(folder);
                var uids = await imap.SearchAsync(ImapSearchQuery.Subject(run));
                if (uids.Count > 0)
                {
                    await imap.StoreAsync(UidSet.Of(uids), ImapStoreAction.Add, ["\\Deleted"]);
                    await imap.ExpungeAsync(UidSet.Of(uids));
                }
            }
            catch (MailCommandException)
            {
                // The folder does not exist: nothing to clean.
            }
        }

        await imap.LogoutAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string failure, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(100);
        }
    }
}
