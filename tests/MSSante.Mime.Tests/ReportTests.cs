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
}
