using System.Diagnostics;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;
using MSSante.Mime;

namespace MSSante.IntegrationTests.Receipts;

/// <summary>Read receipts and delivery reports between demo users, through the real Postfix and Dovecot, seen in Chromium.</summary>
[Collection(MailUiCollection.Name)]
public sealed class ReceiptJourneyTests(MailUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string PaulId = "899700100023";
    // On the whitelist, but not hosted here: Postfix's default transport (error:) bounces it.
    private const string Elsewhere = "secretariat.cardiologie@aphp.mssante.fr";

    /// <summary>Jeanne writes to Paul asking for a read receipt: submitted as Jeanne, copy in her Sent.</summary>
    private async Task<string> SendAskingAsync(string subject)
    {
        var messageId = Guid.NewGuid().ToString("N") + "@medecin.mssante.fr";
        var builder = new MessageBuilder
        {
            From = new MailboxAddress("Dr Jeanne MARTIN", Jeanne),
            Subject = subject,
            MessageId = messageId,
            DispositionNotificationTo = new MailboxAddress("Dr Jeanne MARTIN", Jeanne),
            TextBody = "Cher confrère,\nmerci de me confirmer la lecture de ce compte rendu.\n",
        };
        builder.To.Add(new MailboxAddress("Dr Paul DURAND", Paul));
        var bytes = MimeWriter.ToBytes(builder.Build());
        await using (var smtp = await fixture.Connector.OpenSmtpAsync(fixture.User(Jeanne)))
        {
            await smtp.SendAsync(new SmtpEnvelope { From = Jeanne, Recipients = [new SmtpRecipient(Paul)] }, bytes);
            await smtp.QuitAsync();
        }
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Jeanne));
        await imap.AppendAsync("Sent", bytes, [ImapFlags.Seen]);
        await imap.LogoutAsync();
        return messageId;
    }

    [Fact]
    public async Task A_read_receipt_goes_from_paul_to_jeanne_and_shows_on_her_sent_message()
    {
        var subject = MailUiFixture.Unique("Compte rendu avec accusé");
        var messageId = await SendAskingAsync(subject);
        Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", subject, seconds: 60));

        var (paulContext, paulPage) = await fixture.SignInAsync(PaulId);
        await using (paulContext)
        {
            await MailUiFixture.OpenRowAsync(paulPage, subject);
            var banner = paulPage.Locator("[data-testid=receipt-banner]");
            await Assertions.Expect(banner).ToContainTextAsync("L'expéditeur demande un accusé de lecture");
            await banner.Locator("[data-testid=receipt-send]").ClickAsync();
            await Assertions.Expect(paulPage.Locator("[data-testid=notice]")).ToHaveTextAsync("Accusé de lecture envoyé.");
            await Assertions.Expect(banner).ToHaveCountAsync(0);
        }
        // RFC 3503: the answered request is marked, so no client asks again.
        Assert.Contains("$MDNSent", Assert.Single(await fixture.FindAsync(Paul, "INBOX", subject)).Flags ?? []);

        var mdnRow = Assert.Single(await fixture.WaitForAsync(Jeanne, "INBOX", "Accusé de lecture : " + subject, seconds: 60));
        var mdn = await FetchAsync(Jeanne, "INBOX", mdnRow.Uid);
        Assert.True(mdn.Body.ContentType.Is("multipart", "report"));
        Assert.Equal("disposition-notification", mdn.Body.ContentType.Parameters["report-type"]);
        var notification = mdn.GetDispositionNotification()!;
        Assert.Equal("manual-action/MDN-sent-manually; displayed", notification.Disposition!.ToString());
        Assert.Equal(messageId, notification.OriginalMessageId);
        Assert.Equal(Paul, notification.FinalRecipient);
        Assert.Equal(Paul, mdn.From.Mailboxes().Single().Address);

        var (jeanneContext, jeannePage) = await fixture.SignInAsync(JeanneId);
        await using (jeanneContext)
        {
            await OpenSentAsync(jeannePage, subject);
            var state = jeannePage.Locator($"[data-testid=receipt][data-recipient='{Paul}']");
            await Assertions.Expect(state).ToContainTextAsync("Lu le ");
            await Assertions.Expect(state).ToHaveAttributeAsync("data-kind", "Displayed");
        }
    }

    [Fact]
    public async Task Under_the_always_choice_the_receipt_leaves_when_the_message_opens()
    {
        var subject = MailUiFixture.Unique("Résultat avec accusé automatique");
        var messageId = await SendAskingAsync(subject);
        Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", subject, seconds: 60));
        var (context, page) = await fixture.SignInAsync(PaulId);
        await using var _ = context;
        await page.Locator("[data-testid=link-preferences]").ClickAsync();
        await page.Locator("[data-testid=preferences-page][data-ready=true]").WaitForAsync();
        await page.Locator("[data-testid=receipt-policy-always]").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=receipt-policy-notice]")).ToContainTextAsync("Choix des accusés de lecture enregistré");
        try
        {
            await MailUiFixture.OpenMailAsync(page);
            await MailUiFixture.OpenRowAsync(page, subject);
            await Assertions.Expect(page.Locator("[data-testid=notice]")).ToHaveTextAsync("Accusé de lecture envoyé automatiquement, selon votre choix.");
            await Assertions.Expect(page.Locator("[data-testid=receipt-banner]")).ToHaveCountAsync(0);

            var mdnRow = Assert.Single(await fixture.WaitForAsync(Jeanne, "INBOX", "Accusé de lecture : " + subject, seconds: 60));
            var notification = (await FetchAsync(Jeanne, "INBOX", mdnRow.Uid)).GetDispositionNotification()!;
            Assert.Equal("automatic-action/MDN-sent-automatically; displayed", notification.Disposition!.ToString());
            Assert.Equal(messageId, notification.OriginalMessageId);
        }
        finally
        {
            // Put Paul's choice back to the default.
            await page.GotoAsync("preferences");
            await page.Locator("[data-testid=preferences-page][data-ready=true]").WaitForAsync();
            await page.Locator("[data-testid=receipt-policy-ask]").CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-notice]")).ToContainTextAsync("Choix des accusés de lecture enregistré");
        }
    }

    [Fact]
    public async Task Delivery_reports_from_postfix_show_delivered_and_failed_on_the_sent_message()
    {
        var subject = MailUiFixture.Unique("Courrier à deux destinataires");
        var messageId = Guid.NewGuid().ToString("N") + "@medecin.mssante.fr";
        var builder = new MessageBuilder { From = new MailboxAddress("Dr Jeanne MARTIN", Jeanne), Subject = subject, MessageId = messageId, TextBody = "Bonjour,\nvoici le courrier.\n" };
        builder.To.Add(new MailboxAddress(null, Paul));
        builder.Cc.Add(new MailboxAddress(null, Elsewhere));
        var bytes = MimeWriter.ToBytes(builder.Build());
        await using (var imap = await fixture.Connector.OpenImapAsync(fixture.User(Jeanne)))
        {
            await imap.AppendAsync("Sent", bytes, [ImapFlags.Seen]);
            await imap.LogoutAsync();
        }

        // Paul's copy asks Postfix for a success report (RFC 3461 NOTIFY=SUCCESS, ENVID).
        await using (var smtp = new SmtpClient(new MailConnectionOptions { Host = fixture.Stack.Host, Port = fixture.Stack.Port("smtp"), Security = MailSecurity.None }))
        {
            await smtp.ConnectAsync();
            await smtp.SendAsync(new SmtpEnvelope
            {
                From = Jeanne,
                Recipients = [new SmtpRecipient(Paul, SmtpNotify.Success | SmtpNotify.Failure)],
                EnvelopeId = messageId.Split('@')[0],
                Return = SmtpDsnReturn.Headers,
            }, bytes);
            await smtp.QuitAsync();
        }
        // The other copy enters Postfix as a local application posts it, and bounces.
        await PostWithSendmailAsync(Jeanne, Elsewhere, bytes);
        await WaitForReportsAsync(messageId, 2);

        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await OpenSentAsync(page, subject);
        var delivered = page.Locator($"[data-testid=receipt][data-recipient='{Paul}']");
        await Assertions.Expect(delivered).ToContainTextAsync("Distribué");
        var failed = page.Locator($"[data-testid=receipt][data-recipient='{Elsewhere}']");
        await Assertions.Expect(failed).ToContainTextAsync("Échec : aucun serveur ne peut acheminer le message vers ce destinataire");
        await Assertions.Expect(failed).ToContainTextAsync("operateur de demonstration");
    }

    /// <summary>Opens the Sent folder of the own mailbox, then the message; a screenshot is kept when it does not show.</summary>
    private static async Task OpenSentAsync(IPage page, string subject)
    {
        var sent = page.Locator("[data-testid=folder][data-role=sent]").First;
        await sent.ClickAsync();
        await Assertions.Expect(sent).ToHaveAttributeAsync("aria-current", "true");
        try
        {
            await MailUiFixture.OpenRowAsync(page, subject);
        }
        catch (TimeoutException)
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Path.GetTempPath(), "receipts-sent-folder.png") });
            throw;
        }
        await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subject);
    }

    private async Task PostWithSendmailAsync(string from, string to, byte[] bytes)
    {
        var start = new ProcessStartInfo("/usr/sbin/sendmail")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            ArgumentList = { "-C", fixture.Stack.PathOf("postfixConfigDir"), "-f", from, "-oi", "--", to },
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.BaseStream.WriteAsync(bytes);
        process.StandardInput.Close();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, "sendmail failed: " + error);
    }

    /// <summary>Polls Jeanne's INBOX until <paramref name="count"/> reports mention the message (Postfix reports asynchronously).</summary>
    private async Task WaitForReportsAsync(string messageId, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Jeanne));
            await imap.SelectAsync("INBOX", readOnly: true);
            var found = await imap.SearchAsync(ImapSearchQuery.And(ImapSearchQuery.Header("Content-Type", "delivery-status"), ImapSearchQuery.Text(messageId)));
            await imap.LogoutAsync();
            if (found.Count >= count)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"only {found.Count} delivery report(s) arrived for the message");
            await Task.Delay(500);
        }
    }

    private async Task<MimeMessage> FetchAsync(string address, string folder, uint uid)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(address));
        await imap.SelectAsync(folder, readOnly: true);
        var m = (await imap.FetchAsync(UidSet.Of(uid), ImapFetchItems.None, [new ImapBodySection("")])).Single();
        await imap.LogoutAsync();
        return MimeMessage.Load(m.Sections[""]);
    }
}
