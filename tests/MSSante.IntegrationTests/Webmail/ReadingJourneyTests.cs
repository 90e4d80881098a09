using System.Text;
using Microsoft.Playwright;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>Reading and organising mail in Chromium against the real Dovecot and Postfix.</summary>
[Collection(MailUiCollection.Name)]
public sealed class ReadingJourneyTests(MailUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";
    private const string Hospital = "paul.durand@ch-demo.mssante.fr";

    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    private static string DischargeLetter(string subject) =>
        $"From: \"Dr Paul DURAND\" <{Hospital}>\nTo: {Jeanne}\nSubject: {subject}\nDate: {DateTimeOffset.UtcNow:ddd, dd MMM yyyy HH:mm:ss} +0000\n" +
        $"Message-ID: <{Guid.NewGuid():N}@ch-demo.mssante.fr>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"b1\"\n\n" +
        "--b1\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" +
        "Chère consœur,\nVeuillez trouver ci-joint le compte rendu d'hospitalisation de votre patiente.\nConfraternellement.\n" +
        "--b1\nContent-Type: application/pdf; name=\"CRH séjour.pdf\"\nContent-Transfer-Encoding: base64\n" +
        "Content-Disposition: attachment; filename*=utf-8''CRH%20s%C3%A9jour.pdf\n\n" +
        Convert.ToBase64String(Pdf, Base64FormattingOptions.InsertLineBreaks) + "\n--b1--\n";

    [Fact]
    public async Task A_discharge_letter_is_read_in_one_click_and_its_pdf_opens()
    {
        var subject = MailUiFixture.Unique("Compte rendu d'hospitalisation");
        await fixture.DeliverAsync(Hospital, Jeanne, DischargeLetter(subject));
        Assert.NotEmpty(await fixture.WaitForAsync(Jeanne, "INBOX", subject));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;

        var row = MailUiFixture.Row(page, subject);
        try
        {
            await row.WaitForAsync(new LocatorWaitForOptions { Timeout = 20000 });
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = "/tmp/h_ui_shot.png" });
            throw;
        }
        Assert.Equal("false", await row.GetAttributeAsync("data-seen"));
        await Assertions.Expect(row.Locator("[data-testid=attachment-marker]")).ToBeVisibleAsync();
        await row.ClickAsync();

        var pane = page.Locator("[data-testid=reading-pane]");
        await Assertions.Expect(pane.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subject);
        await Assertions.Expect(pane.Locator("[data-testid=message-body]")).ToContainTextAsync("Chère consœur");
        await Assertions.Expect(pane.Locator("[data-testid=attachment]")).ToContainTextAsync("CRH séjour.pdf");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-seen", "true");

        // One click on the document opens it in a new tab, as a PDF.
        var popupTask = page.WaitForPopupAsync();
        await pane.Locator("[data-testid=attachment-open]").ClickAsync();
        var popup = await popupTask;
        var previewUrl = await pane.Locator("[data-testid=attachment-open]").GetAttributeAsync("href");
        var preview = await context.APIRequest.GetAsync(previewUrl!);
        Assert.True(preview.Status == 200, $"{previewUrl} answered {preview.Status}");
        Assert.Equal("application/pdf", preview.Headers["content-type"]);
        Assert.StartsWith("inline", preview.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", preview.Headers["x-content-type-options"]);
        Assert.Equal(Pdf, await preview.BodyAsync());
        await popup.CloseAsync();

        var downloadUrl = await pane.Locator("[data-testid=attachment-download]").GetAttributeAsync("href");
        var download = await context.APIRequest.GetAsync(downloadUrl!);
        Assert.Equal(200, download.Status);
        Assert.StartsWith("attachment", download.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Contains("filename*=UTF-8''CRH%20s%C3%A9jour.pdf", download.Headers["content-disposition"], StringComparison.Ordinal);
        Assert.Equal("nosniff", download.Headers["x-content-type-options"]);
        Assert.Equal("application/octet-stream", download.Headers["content-type"]);

        // The \Seen flag is on the server, as Thunderbird would see it.
        var stored = Assert.Single(await fixture.FindAsync(Jeanne, "INBOX", subject));
        Assert.True(stored.IsSeen);

        // Another user's session cannot fetch it.
        var (other, otherPage) = await fixture.SignInAsync("899700100031");
        await using var __ = other;
        var stolen = await other.APIRequest.GetAsync(downloadUrl!);
        Assert.Equal(404, stolen.Status);
    }

    [Fact]
    public async Task Flag_search_move_delete_and_restore_work_on_the_server()
    {
        var subject = MailUiFixture.Unique("Résultats de biologie");
        var other = MailUiFixture.Unique("Convocation");
        await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Hospital, Jeanne, subject, "Hémoglobine 9,8 g/dL (bas)."));
        await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Hospital, Jeanne, other, "Rendez-vous le 12."));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;

        // Search through IMAP SEARCH: only the matching message remains listed.
        await page.Locator("[data-testid=search-text]").FillAsync(subject);
        await page.Locator("[data-testid=search-submit]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=message-row]")).ToHaveCountAsync(1);
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToBeVisibleAsync();
        await page.Locator("[data-testid=search-clear]").ClickAsync();
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToBeVisibleAsync();

        // Body search.
        await page.Locator("[data-testid=search-form] summary").ClickAsync();
        await page.Locator("[data-testid=search-body]").FillAsync("Hémoglobine");
        await page.Locator("[data-testid=search-submit]").ClickAsync();
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToBeVisibleAsync();
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToHaveCountAsync(0);
        await page.Locator("[data-testid=search-clear]").ClickAsync();

        // Flag.
        await MailUiFixture.OpenRowAsync(page, subject);
        await page.Locator("[data-testid=flag]").ClickAsync();
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToHaveAttributeAsync("data-flagged", "true");
        var flagged = Assert.Single(await fixture.FindAsync(Jeanne, "INBOX", subject));
        Assert.Contains(ImapFlags.Flagged, flagged.Flags!);

        // Move with the menu to Archives.
        await page.Locator("[data-testid=move-to]").SelectOptionAsync("Archive");
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToHaveCountAsync(0);
        Assert.Empty(await fixture.FindAsync(Jeanne, "INBOX", subject));
        Assert.Single(await fixture.FindAsync(Jeanne, "Archive", subject));

        // Delete the other one: it goes to the Trash, and comes back from there.
        await MailUiFixture.OpenRowAsync(page, other);
        await page.Locator("[data-testid=delete]").ClickAsync();
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToHaveCountAsync(0);
        Assert.Single(await fixture.FindAsync(Jeanne, "Trash", other));
        await page.Locator("[data-testid=folder][data-role=trash]").First.ClickAsync();
        await MailUiFixture.OpenRowAsync(page, other);
        await page.Locator("[data-testid=move-to]").SelectOptionAsync("INBOX");
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToHaveCountAsync(0);
        Assert.Single(await fixture.FindAsync(Jeanne, "INBOX", other));
        Assert.Empty(await fixture.FindAsync(Jeanne, "Trash", other));
        await page.Locator("[data-testid=folder][data-role=inbox]").First.ClickAsync();
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Drag_and_drop_moves_a_message_to_a_folder()
    {
        var subject = MailUiFixture.Unique("Courrier à classer");
        await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Hospital, Jeanne, subject, "À classer."));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        // HTML5 drag and drop as the browser raises it: dragstart on the row, dragenter/dragover/drop on the folder.
        var transfer = await page.EvaluateHandleAsync("() => new DataTransfer()");
        var target = page.Locator("[data-testid=folder][data-folder=Archive]");
        await MailUiFixture.Row(page, subject).DispatchEventAsync("dragstart", new { dataTransfer = transfer });
        await target.DispatchEventAsync("dragenter", new { dataTransfer = transfer });
        await target.DispatchEventAsync("dragover", new { dataTransfer = transfer });
        await target.DispatchEventAsync("drop", new { dataTransfer = transfer });
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToHaveCountAsync(0);
        Assert.Single(await fixture.FindAsync(Jeanne, "Archive", subject));
    }

    [Fact]
    public async Task A_message_deleted_by_another_client_disappears_and_never_comes_back()
    {
        var subject = MailUiFixture.Unique("Message supprimé ailleurs");
        var uid = await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Hospital, Jeanne, subject, "Sera supprimé par Thunderbird."));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await MailUiFixture.OpenRowAsync(page, subject);
        await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subject);

        // Another client (Python's imaplib, as Thunderbird would) deletes and expunges it.
        await PythonImap.RunAsync(fixture, Jeanne, $"c.select('INBOX'); c.uid('STORE', '{uid}', '+FLAGS', '(\\\\Deleted)'); c.expunge()");

        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 15000 });
        await Assertions.Expect(page.Locator("[data-testid=reading-pane]")).ToHaveCountAsync(0);

        // Reload, other folder and back: never shown again.
        await page.Locator("[data-testid=folder][data-role=sent]").First.ClickAsync();
        await page.Locator("[data-testid=folder][data-role=inbox]").First.ClickAsync();
        await page.Locator("[data-testid=message-row]").First.WaitForAsync();
        Assert.Equal(0, await MailUiFixture.Row(page, subject).CountAsync());
        await MailUiFixture.OpenMailAsync(page);
        await page.Locator("[data-testid=message-row]").First.WaitForAsync();
        Assert.Equal(0, await MailUiFixture.Row(page, subject).CountAsync());
    }

    [Fact]
    public async Task An_html_message_opens_sanitised_in_the_sandboxed_frame_with_remote_content_blocked()
    {
        var subject = MailUiFixture.Unique("Lettre HTML");
        var raw = $"From: {Hospital}\nTo: {Jeanne}\nSubject: {subject}\nDate: {DateTimeOffset.UtcNow:ddd, dd MMM yyyy HH:mm:ss} +0000\n" +
            $"Message-ID: <{Guid.NewGuid():N}@ch-demo.mssante.fr>\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n\n" +
            "<html><body><p>Compte rendu <b>important</b></p><img src=\"http://127.0.0.1:9/suivi.png\">" +
            "<script>parent.window.__mssXss = 1</script><img src=x onerror=\"parent.window.__mssXss = 2\"></body></html>\n";
        await fixture.AppendAsync(Jeanne, "INBOX", raw);
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await MailUiFixture.OpenRowAsync(page, subject);
        var frame = page.Locator("[data-testid=message-frame]");
        await Assertions.Expect(frame).ToBeVisibleAsync();
        Assert.DoesNotContain("allow-scripts", await frame.GetAttributeAsync("sandbox") ?? "", StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("[data-testid=remote-content-banner]")).ToBeVisibleAsync();
        await Assertions.Expect(page.FrameLocator("[data-testid=message-frame]").Locator("b")).ToHaveTextAsync("important");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__mssXss === undefined"));
    }
}
