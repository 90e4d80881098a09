using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
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
    private const int SliceSize = 30;

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

            // Every message, in slices of a few dozen frames per page: all of them at once made
            // Chromium and Playwright crawl on a slow machine (54 min in CI, past the session's
            // idle timeout). Chromium's own frame tree (DevTools protocol) says which frames exist
            // and what they committed, in one call per slice.
            var cdp = await context.NewCDPSessionAsync(page);
            var browserCdp = await context.Browser!.NewBrowserCDPSessionAsync();
            var frames = page.Locator("[data-testid=message-frame]");
            var checkedFrames = 0;
            var lastSlice = "";
            for (var skip = 0; skip < files.Length; skip += SliceSize)
            {
                var expected = Math.Min(SliceSize, files.Length - skip);
                lastSlice = PreviewUrl(run) + $"&debut={skip}&nombre={SliceSize}";
                await page.GotoAsync(lastSlice, new() { WaitUntil = WaitUntilState.DOMContentLoaded, Timeout = 120_000 });
                await Assertions.Expect(page.GetByTestId("preview")).ToHaveAttributeAsync("data-count", expected.ToString(CultureInfo.InvariantCulture), new() { Timeout = 120_000 });
                await Assertions.Expect(frames).ToHaveCountAsync(expected, new() { Timeout = 120_000 });
                checkedFrames += await CheckSliceAsync(page, cdp, browserCdp, skip, expected);
            }

            Assert.Equal(files.Length, checkedFrames);
            Assert.True(dialogs.IsEmpty, "dialogs: " + string.Join(", ", dialogs));
            Assert.True(consoleMarks.IsEmpty, "console/popup: " + string.Join(", ", consoleMarks));
            Assert.True(sentinel.Requests.IsEmpty, "sentinel requests before remote content was allowed: " + string.Join(", ", sentinel.Requests));
            // No message navigated the page away.
            Assert.EndsWith("/" + lastSlice, page.Url, StringComparison.Ordinal);

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
    /// One slice of message frames: every element sandboxed and given the sanitised document;
    /// Chromium holds exactly one child frame per element, each having committed its srcdoc
    /// document and holding no frame of its own (no iframe survived sanitising); each frame is
    /// laid out, then hovered and scrolled over so mouse handlers would fire; then timers,
    /// animations and refreshes get time to fire before the page is left.
    /// </summary>
    private static async Task<int> CheckSliceAsync(IPage page, ICDPSession cdp, ICDPSession browserCdp, int skip, int expected)
    {
        // Playwright cannot run its selector engine inside a frame where scripts are disabled
        // (that is the point of the sandbox): the elements are read from the parent page.
        var elements = JsonSerializer.Deserialize<string[][]>(await page.EvaluateAsync<string>(
            "() => JSON.stringify([...document.querySelectorAll('[data-testid=message-frame]')].map(f => [f.getAttribute('sandbox') ?? '', f.getAttribute('srcdoc') ?? '']))"))!;
        Assert.Equal(expected, elements.Length);
        for (var i = 0; i < elements.Length; i++)
        {
            Assert.True(elements[i][0] == "allow-popups allow-popups-to-escape-sandbox", $"message {skip + i}: sandbox '{elements[i][0]}'");
            Assert.True(elements[i][1].Contains("<div id=\"mssante-message\"", StringComparison.Ordinal), $"message {skip + i}: no sanitised document");
        }

        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            var children = await ChildFramesAsync(cdp, browserCdp);
            var committed = children.Count(c => c.Url == "about:srcdoc");
            if (committed == expected && children.Count == expected)
            {
                Assert.Equal(expected, children.Select(c => c.Id).Distinct().Count());
                Assert.All(children, c => Assert.Equal(0, c.Children));
                break;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var targets = (await browserCdp.SendAsync("Target.getTargets"))!.Value.ToString();
                Assert.Fail($"messages {skip}..{skip + expected - 1}: Chromium holds {children.Count} frames, {committed} of them committed, for {expected} elements; targets: {targets[..Math.Min(3000, targets.Length)]}");
            }

            await Task.Delay(250);
        }

        for (var i = 0; i < expected; i++)
        {
            var box = await page.EvaluateAsync<double[]>(
                "i => { const f = document.querySelectorAll('[data-testid=message-frame]')[i]; f.scrollIntoView({ block: 'center' }); const r = f.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }", i);
            Assert.True(box[2] > 0 && box[3] > 0, $"message frame {skip + i} is not laid out");
            await page.Mouse.MoveAsync((float)box[0] + 5, (float)box[1] + 5);
            await page.Mouse.MoveAsync((float)(box[0] + box[2] / 2), (float)(box[1] + box[3] / 2));
            await page.Mouse.WheelAsync(0, 40);
        }

        await page.WaitForTimeoutAsync(1500);
        return expected;
    }

    /// <summary>
    /// The main frame's child frames as Chromium has them: id, committed URL, and how many frames
    /// each holds. Chromium may keep a sandboxed frame in the page's process (then it is in the
    /// page's frame tree) or isolate it in its own process (then it is a separate "iframe"
    /// target whose parent is the main frame): both are counted.
    /// </summary>
    private static async Task<List<(string Id, string Url, int Children)>> ChildFramesAsync(ICDPSession page, ICDPSession browser)
    {
        var tree = (await page.SendAsync("Page.getFrameTree"))!.Value.GetProperty("frameTree");
        var mainId = tree.GetProperty("frame").GetProperty("id").GetString();
        var frames = new List<(string Id, string Parent, string Url, int InProcessChildren)>();
        if (tree.TryGetProperty("childFrames", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                var frame = child.GetProperty("frame");
                var inner = child.TryGetProperty("childFrames", out var g) ? g.GetArrayLength() : 0;
                frames.Add((frame.GetProperty("id").GetString() ?? "", mainId ?? "", frame.GetProperty("url").GetString() ?? "", inner));
            }
        }

        var targets = (await browser.SendAsync("Target.getTargets"))!.Value.GetProperty("targetInfos");
        foreach (var target in targets.EnumerateArray())
        {
            if (target.GetProperty("type").GetString() == "iframe" && target.TryGetProperty("parentFrameId", out var parent))
            {
                frames.Add((target.GetProperty("targetId").GetString() ?? "", parent.GetString() ?? "", target.GetProperty("url").GetString() ?? "", 0));
            }
        }

        return frames
            .Where(f => f.Parent == mainId)
            .Select(f => (f.Id, f.Url, f.InProcessChildren + frames.Count(g => g.Parent == f.Id)))
            .ToList();
    }

    private static string PreviewUrl(string run) => $"demo/apercu-message?dossier={Uri.EscapeDataString(Folder)}&sujet={run}";

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
