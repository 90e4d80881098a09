using System.Diagnostics;
using Microsoft.Playwright;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>Writing mail in Chromium: reply, forward, drafts, limits, failures, against the real stack.</summary>
[Collection(MailUiCollection.Name)]
public sealed class ComposeJourneyTests(MailUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string PaulId = "899700100023";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";

    /// <summary>Waits for the send to finish; on failure, the French error shown is the assertion message.</summary>
    private static async Task ExpectSentAsync(IPage page)
    {
        var outcome = page.Locator("[data-testid=notice], [data-testid=compose-error]");
        await outcome.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30000 });
        var error = page.Locator("[data-testid=compose-error]");
        Assert.True(await error.CountAsync() == 0, "send failed: " + (await error.CountAsync() > 0 ? await error.InnerTextAsync() : ""));
        await Assertions.Expect(page.Locator("[data-testid=notice]")).ToHaveTextAsync("Message envoyé.");
    }

    private static async Task TypeBodyAsync(IPage page, string text)
    {
        var editor = page.Locator("[data-testid=compose-body] .rz-html-editor-content");
        await editor.ClickAsync();
        await page.Keyboard.TypeAsync(text);
    }

    [Fact]
    public async Task A_reply_with_an_attachment_arrives_live_in_the_colleagues_inbox()
    {
        var subject = MailUiFixture.Unique("Avis pneumologique");
        var original = MailUiFixture.TextMessage($"\"Dr Paul DURAND\" <{Paul}>", Jeanne, subject, "Pouvez-vous me transmettre la dernière spirométrie ?");
        await fixture.AppendAsync(Jeanne, "INBOX", original);
        var originalId = System.Text.RegularExpressions.Regex.Match(original, "Message-ID: <([^>]+)>").Groups[1].Value;

        var (paulContext, paulPage) = await fixture.SignInAsync(PaulId);
        await using var _ = paulContext;
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var __ = context;

        await MailUiFixture.OpenRowAsync(page, subject);
        await page.Locator("[data-testid=reply]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=compose-to]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(Paul));
        await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync("RE : " + subject);
        await TypeBodyAsync(page, "Voici la spirométrie du 3 mars. ");
        await page.Locator("[data-testid=compose-files]").SetInputFilesAsync(new FilePayload
        {
            Name = "spirométrie.pdf",
            MimeType = "application/pdf",
            Buffer = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"),
        });
        try
        {
            await Assertions.Expect(page.Locator("[data-testid=compose-attachments]")).ToContainTextAsync("spirométrie.pdf");
        }
        catch (PlaywrightException e)
        {
            var log = fixture.Output;
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + log[Math.Max(0, log.Length - 6000)..], e);
        }
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        await ExpectSentAsync(page);

        // Paul's open page shows it without reload (IMAP IDLE pushed to his circuit).
        await Assertions.Expect(MailUiFixture.Row(paulPage, "RE : " + subject)).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 30000 });
        await Assertions.Expect(MailUiFixture.Row(paulPage, "RE : " + subject).Locator("[data-testid=attachment-marker]")).ToBeVisibleAsync();

        var received = Assert.Single(await fixture.FindAsync(Paul, "INBOX", "RE : " + subject));
        Assert.Equal("<" + originalId + ">", received.Envelope!.InReplyTo);
        Assert.Contains(received.BodyStructure!.Descendants(), p => p.FileName is not null);
        Assert.Single(await fixture.FindAsync(Jeanne, "Sent", "RE : " + subject));
        var answered = Assert.Single(await fixture.FindAsync(Jeanne, "INBOX", subject));
        Assert.Contains(ImapFlags.Answered, answered.Flags!);
    }

    [Fact]
    public async Task A_forward_reaches_the_pharmacist_with_the_original_text()
    {
        var subject = MailUiFixture.Unique("Ordonnance à dispenser");
        await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Paul, Jeanne, subject, "Amoxicilline 1 g, 3 fois par jour, 7 jours."));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await MailUiFixture.OpenRowAsync(page, subject);
        await page.Locator("[data-testid=forward]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync("TR : " + subject);
        await page.Locator("[data-testid=compose-to]").FillAsync(Claire);
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        await ExpectSentAsync(page);
        var received = await fixture.WaitForAsync(Claire, "INBOX", "TR : " + subject);
        Assert.Single(received);
        await PythonImap.RunAsync(fixture, Claire,
            $"c.select('INBOX'); t, d = c.uid('SEARCH', 'BODY', 'Amoxicilline'); assert d[0].split(), 'forwarded text missing'");
    }

    [Fact]
    public async Task A_draft_survives_closing_the_browser_mid_typing()
    {
        var subject = MailUiFixture.Unique("Brouillon courrier adressage");
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
        await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
        await TypeBodyAsync(page, "Je vous adresse Mme X pour avis concernant");
        await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToContainTextAsync("Brouillon enregistré", new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        // The browser goes away without closing the form.
        await context.CloseAsync();

        // The last save (on circuit end) appends the new version before expunging the old one,
        // so for an instant two may exist; what matters is that exactly one remains.
        IReadOnlyList<ImapMessage> drafts = [];
        for (var i = 0; i < 50 && drafts.Count != 1; i++)
        {
            drafts = await fixture.FindAsync(Jeanne, "Drafts", subject);
            await Task.Delay(200);
        }
        var draft = Assert.Single(drafts);
        Assert.Contains(ImapFlags.Draft, draft.Flags!);

        var (again, page2) = await fixture.SignInAsync(JeanneId);
        await using var _ = again;
        await page2.Locator("[data-testid=folder][data-role=drafts]").First.ClickAsync();
        await MailUiFixture.OpenRowAsync(page2, subject);
        await page2.Locator("[data-testid=edit-draft]").ClickAsync();
        await Assertions.Expect(page2.Locator("[data-testid=compose-subject]")).ToHaveValueAsync(subject);
        await Assertions.Expect(page2.Locator("[data-testid=compose-to]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(Paul));
        await Assertions.Expect(page2.Locator("[data-testid=compose-body]")).ToContainTextAsync("pour avis concernant");
    }

    [Fact]
    public async Task An_11_MB_attachment_is_refused_with_the_french_message()
    {
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-files]").SetInputFilesAsync(new FilePayload
        {
            Name = "imagerie.zip",
            MimeType = "application/zip",
            Buffer = new byte[11 * 1024 * 1024],
        });
        await Assertions.Expect(page.Locator("[data-testid=compose-error]"))
            .ToHaveTextAsync("La pièce jointe « imagerie.zip » dépasse la taille maximale autorisée de 10 Mo par fichier.");
        Assert.Equal(0, await page.Locator("[data-testid=compose-attachments]").CountAsync());
    }

    [Fact]
    public async Task Sending_while_postfix_is_stopped_fails_in_french_and_succeeds_on_retry()
    {
        var subject = MailUiFixture.Unique("Envoi différé");
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
        await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
        await TypeBodyAsync(page, "Message important à ne pas perdre.");
        var postfixDir = fixture.Stack.PathOf("postfixConfigDir");
        try
        {
            await PostfixAsync(postfixDir, "stop", fixture.Stack.Port("submissions"));
            await page.Locator("[data-testid=compose-send]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=compose-error]")).ToContainTextAsync("Le serveur d'envoi est injoignable", new LocatorAssertionsToContainTextOptions { Timeout = 60000 });
            await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync(subject);
        }
        finally
        {
            await PostfixAsync(postfixDir, "start", fixture.Stack.Port("submissions"));
        }
        await page.Locator("[data-testid=compose-retry]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=notice]")).ToHaveTextAsync("Message envoyé.", new LocatorAssertionsToHaveTextOptions { Timeout = 30000 });
        var received = await fixture.WaitForAsync(Paul, "INBOX", subject);
        Assert.Single(received);
        // Nothing left behind: no stale draft once sent.
        Assert.Empty(await fixture.FindAsync(Jeanne, "Drafts", subject));
    }

    private static async Task PostfixAsync(string configDirectory, string verb, int port)
    {
        var start = new ProcessStartInfo("postfix", ["-c", configDirectory, verb]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"postfix {verb} failed: {error}");
        // postfix stop/start return before the listeners are gone/up.
        for (var i = 0; i < 100; i++)
        {
            var open = await IsOpenAsync(port);
            if (open == (verb == "start"))
            {
                return;
            }
            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsOpenAsync(int port)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
