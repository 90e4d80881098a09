namespace MSSante.Mime.Tests;

public sealed class ReportTests
{
    [Fact]
    public void MdnIsParsedIntoTypedFields()
    {
        var mdn = MimeMessage.Load(Corpus.Read("handwritten/report-mdn-processed.eml")).GetDispositionNotification();
        Assert.NotNull(mdn);
        Assert.Equal("ch-demo.mssante.fr; LPS Demo 1.0", mdn.ReportingUserAgent);
        Assert.Equal("labo-bio@ch-demo.mssante.fr", mdn.FinalRecipient);
        Assert.Equal("labo-bio@ch-demo.mssante.fr", mdn.OriginalRecipient);
        Assert.Equal("case@medecin.mssante.fr", mdn.OriginalMessageId);
        Assert.Equal(new MdnDisposition("automatic-action", "MDN-sent-automatically", "processed", []).ToString(), mdn.Disposition!.ToString());
        Assert.False(mdn.Disposition.IsError);
    }

    [Fact]
    public void MdnErrorCarriesCodeAndLabel()
    {
        var mdn = MimeMessage.Load(Corpus.Read("handwritten/report-mdn-error.eml")).GetDispositionNotification()!;
        Assert.True(mdn.Disposition!.IsError);
        Assert.Equal(["45^INS non qualifie"], mdn.Errors);
    }

    [Fact]
    public void DsnIsParsedPerRecipient()
    {
        var message = MimeMessage.Load(Corpus.Read("handwritten/report-dsn-failed.eml"));
        var dsn = message.GetDeliveryStatus();
        Assert.NotNull(dsn);
        Assert.Null(message.GetDispositionNotification());
        Assert.Equal("mx.ch-demo.mssante.fr", dsn.ReportingMta);
        Assert.Equal(new DateTimeOffset(2025, 4, 1, 10, 0, 1, TimeSpan.FromHours(2)), dsn.ArrivalDate);
        Assert.Equal(2, dsn.Recipients.Count);
        var first = dsn.Recipients[0];
        Assert.Equal("inconnu@ch-demo.mssante.fr", first.FinalRecipient);
        Assert.Equal("failed", first.Action);
        Assert.Equal("5.1.1", first.Status);
        Assert.Equal("550 5.1.1 User unknown", first.DiagnosticCode);
        Assert.True(first.IsPermanentFailure);
        Assert.Equal("delayed", dsn.Recipients[1].Action);
        Assert.False(dsn.Recipients[1].IsPermanentFailure);
        Assert.IsType<MimePart>(message.GetReturnedContent());
    }

    [Fact]
    public void MdnIsGeneratedOnlyWhenAskedAndParsesBack()
    {
        var asked = MimeMessage.Load(Corpus.Read("handwritten/mssante-xdm-with-headers.eml"));
        var me = new MailboxAddress(null, "paul.durand@ch-demo.mssante.fr");
        var mdn = MessageBuilder.CreateDispositionNotification(asked, me, "webmail.ch-demo.mssante.fr; Webmail MSSanté", error: "45^INS non qualifié", originalRecipient: me.Address);
        Assert.NotNull(mdn);
        var parsed = MimeMessage.Load(MimeWriter.ToBytes(mdn));
        Assert.Empty(parsed.Warnings);
        Assert.Equal("multipart/report", parsed.Body.ContentType.MimeType);
        Assert.Equal("disposition-notification", parsed.Body.ContentType.Parameters["report-type"]);
        Assert.Equal("jeanne.martin@medecin.mssante.fr", parsed.To.Mailboxes().Single().Address);
        var n = parsed.GetDispositionNotification()!;
        Assert.Equal("case@medecin.mssante.fr", n.OriginalMessageId);
        Assert.Equal(me.Address, n.FinalRecipient);
        Assert.Equal(me.Address, n.OriginalRecipient);
        Assert.True(n.Disposition!.IsError);
        Assert.Equal("processed", n.Disposition.Type);
        Assert.Equal(["45^INS non qualifié"], n.Errors);
        Assert.Contains("n'a pas pu être traité", parsed.GetTextBody());

        var notAsked = MimeMessage.Load(Corpus.Read("handwritten/multipart-alternative.eml"));
        Assert.Null(MessageBuilder.CreateDispositionNotification(notAsked, me, "ua"));
    }

    [Fact]
    public void RealPostfixSuccessDsnIsParsed()
    {
        var message = MimeMessage.Load(Corpus.Read("operator/postfix-dsn-success-1.eml"));
        var dsn = message.GetDeliveryStatus()!;
        Assert.Equal("mx.ch-demo.mssante.fr", dsn.ReportingMta);
        var recipient = Assert.Single(dsn.Recipients);
        Assert.Equal("claire.leroy@pharmacien.mssante.fr", recipient.FinalRecipient);
        Assert.Equal("relayed", recipient.Action);
        Assert.Equal("2.0.0", recipient.Status);
        Assert.False(recipient.IsPermanentFailure);
        Assert.StartsWith("250 2.0.0", recipient.DiagnosticCode);
        Assert.Equal("Successful Mail Delivery Report", message.Subject);
    }

    [Fact]
    public void RealPostfixBounceIsParsedWithTheReturnedMessage()
    {
        // Made by Corpus/tools/make_operator_bounce.py: Postfix's error transport refusing a
        // trust-space domain this machine does not host, read back by IMAP from the sender's INBOX.
        var message = MimeMessage.Load(Corpus.Read("operator/postfix-bounce-1.eml"));
        Assert.Empty(message.Warnings);
        Assert.Equal("Undelivered Mail Returned to Sender", message.Subject);
        Assert.Equal("MAILER-DAEMON@mx.ch-demo.mssante.fr", message.From.Mailboxes().Single().Address);
        var report = Assert.IsType<Multipart>(message.Body);
        Assert.Equal("multipart/report", report.ContentType.MimeType);
        Assert.Equal("delivery-status", report.ContentType.Parameters["report-type"]);
        Assert.Equal(["text/plain", "message/delivery-status", "message/rfc822"], report.Children.Select(c => c.ContentType.MimeType));

        var dsn = message.GetDeliveryStatus()!;
        Assert.NotNull(dsn);
        Assert.Equal("mx.ch-demo.mssante.fr", dsn.ReportingMta);
        Assert.NotNull(dsn.ArrivalDate);
        Assert.Equal("rfc822; jeanne.martin@medecin.mssante.fr", dsn.Fields["X-Postfix-Sender"]);
        var recipient = Assert.Single(dsn.Recipients);
        Assert.Equal("secretariat.cardiologie@aphp.mssante.fr", recipient.FinalRecipient);
        Assert.Equal("secretariat.cardiologie@aphp.mssante.fr", recipient.OriginalRecipient);
        Assert.Equal("failed", recipient.Action);
        Assert.Equal("5.4.4", recipient.Status);
        Assert.True(recipient.IsPermanentFailure);
        // The folded field, whitespace runs collapsed for the comparison (RFC 5322 §2.2.3 unfolding keeps the WSP).
        Assert.Equal(
            "operateur de demonstration, aucune remise hors de cette machine / demo operator, no delivery outside this machine",
            System.Text.RegularExpressions.Regex.Replace(recipient.DiagnosticCode!, @"\s+", " "));
        Assert.Contains("could not\nbe delivered", message.GetTextBody()!.ReplaceLineEndings("\n"));

        // The returned message keeps its own tree: text body and an attachment with an accent-free name.
        var returned = Assert.IsType<MessagePart>(message.GetReturnedContent()).Message;
        Assert.Equal("Demande d'avis : échographie cardiaque", returned.Subject);
        Assert.Equal("Secrétariat de cardiologie", returned.To.Mailboxes().Single().Name);
        Assert.Equal("multipart/mixed", returned.Body.ContentType.MimeType);
        Assert.StartsWith("Chère consœur, cher confrère,", returned.GetTextBody());
        var attachment = Assert.Single(returned.Attachments);
        Assert.Equal("demande d'avis.txt", attachment.FileName);
        Assert.Equal("Motif : souffle systolique 2/6, dyspnée d'effort.\n", System.Text.Encoding.UTF8.GetString(attachment.GetContent()));
    }
}
