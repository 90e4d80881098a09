using System.Text;

namespace MSSante.Mime.Tests;

public sealed class BuilderTests
{
    private static readonly MailboxAddress Jeanne = new("Dr Jeanne Martin", "jeanne.martin@medecin.mssante.fr");
    private static readonly MailboxAddress Paul = new("Paul Durand", "paul.durand@ch-demo.mssante.fr");

    private static MimeMessage RoundTrip(MessageBuilder builder, MimeFormatOptions? options = null)
    {
        var bytes = MimeWriter.ToBytes(builder.Build(options));
        var parsed = MimeMessage.Load(bytes);
        Assert.Empty(parsed.Warnings);
        return parsed;
    }

    [Fact]
    public void BuildThenParseGivesBackStructureAndContent()
    {
        var pdf = Enumerable.Range(0, 5000).Select(i => (byte)i).ToArray();
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0, 1, 2, 3 };
        var builder = new MessageBuilder
        {
            From = new MailboxAddress("Hélène Faure-Dupré, Dr", "helene.faure@medecin.mssante.fr"),
            Subject = "Compte rendu d'hospitalisation — « sortie » du patient, très long sujet qui devra être replié sur plusieurs lignes",
            TextBody = "Bonjour,\n\nHémoglobine : 13,5 g/dL.\nFrom the lab\n",
            HtmlBody = "<p>Bonjour,</p><p>Hémoglobine <img src=\"cid:graph@x\"></p>",
            DispositionNotificationTo = Jeanne,
            MessageId = "fixed@medecin.mssante.fr",
            Date = new DateTimeOffset(2025, 4, 1, 10, 0, 0, TimeSpan.FromHours(2)),
        };
        builder.To.Add(Paul);
        builder.Cc.Add(new MailboxAddress("Łukasz Żak", "lukasz.zak@ch-demo.mssante.fr"));
        builder.Attachments.Add(new AttachmentContent("compte rendu élève été 2025 — version définitive signée.pdf", "application/pdf", pdf));
        builder.Attachments.Add(new AttachmentContent("graph.png", "image/png", png, "graph@x"));
        builder.AddHeader("X-MSS-CODECDA", "11490-0");

        var parsed = RoundTrip(builder);
        Assert.Equal(builder.Subject, parsed.Subject);
        Assert.Equal("Hélène Faure-Dupré, Dr", parsed.From.Mailboxes().Single().DisplayName);
        Assert.Equal("Łukasz Żak", parsed.Cc.Mailboxes().Single().DisplayName);
        Assert.Equal(Jeanne.Address, parsed.DispositionNotificationTo?.Address);
        Assert.Equal("fixed@medecin.mssante.fr", parsed.MessageId);
        Assert.Equal(builder.Date, parsed.Date);
        Assert.Equal("11490-0", parsed.Headers["X-MSS-CODECDA"]);
        Assert.Equal("multipart/mixed", parsed.Body.ContentType.MimeType);
        Assert.Equal("Bonjour,\r\n\r\nHémoglobine : 13,5 g/dL.\r\nFrom the lab\r\n", parsed.GetTextBody());
        Assert.Contains("Hémoglobine", parsed.GetHtmlBody());
        var pdfPart = parsed.Attachments.Single(a => a.ContentType == "application/pdf");
        Assert.Equal("compte rendu élève été 2025 — version définitive signée.pdf", pdfPart.FileName);
        Assert.Equal(pdf, pdfPart.GetContent());
        var image = parsed.ResolveCid("cid:graph@x", parsed.HtmlBodyPart);
        Assert.NotNull(image);
        Assert.Equal(png, image.GetContent());
        Assert.Equal("multipart/related", image.Parent!.ContentType.MimeType);

        var raw = MimeWriter.ToBytes(builder.Build());
        Assert.True(Ascii.IsValid(raw), "default output must be 7-bit clean");
        foreach (var line in Encoding.ASCII.GetString(raw).Split("\r\n"))
        {
            Assert.True(line.Length <= 998, "line too long");
        }
    }

    [Fact]
    public void EncodingIsChosenPerPartAndFollowsServerCapabilities()
    {
        var builder = new MessageBuilder { From = Jeanne, Subject = "Résultat", TextBody = "Résultat normal." };
        builder.To.Add(Paul);
        var plain = builder.Build();
        Assert.Equal("quoted-printable", plain.Body.ContentTransferEncoding);
        Assert.False(MimeWriter.RequiresEightBitMime(plain));
        Assert.False(MimeWriter.RequiresSmtpUtf8(plain));

        var eightBit = builder.Build(new MimeFormatOptions { EightBitMime = true });
        Assert.Equal("8bit", eightBit.Body.ContentTransferEncoding);
        Assert.True(MimeWriter.RequiresEightBitMime(eightBit));

        var utf8 = builder.Build(new MimeFormatOptions { EightBitMime = true, SmtpUtf8 = true });
        Assert.True(MimeWriter.RequiresSmtpUtf8(utf8));
        Assert.Contains("Subject: Résultat\r\n", Encoding.UTF8.GetString(MimeWriter.ToBytes(utf8)));
        Assert.Equal("Résultat", MimeMessage.Load(MimeWriter.ToBytes(utf8)).Subject);

        var ascii = new MessageBuilder { From = Jeanne, TextBody = "plain ascii" }.Build();
        Assert.Equal("7bit", ascii.Body.ContentTransferEncoding);
        var russian = new MessageBuilder { From = Jeanne, TextBody = "Привет, это полностью кириллический текст" }.Build();
        Assert.Equal("base64", russian.Body.ContentTransferEncoding);
    }

    [Fact]
    public void NonAsciiLocalPartNeedsSmtpUtf8()
    {
        var builder = new MessageBuilder { From = new MailboxAddress(null, "hélène@exemple.fr"), TextBody = "x" };
        Assert.Throws<InvalidOperationException>(() => builder.Build());
        var built = builder.Build(new MimeFormatOptions { SmtpUtf8 = true, EightBitMime = true });
        Assert.Equal("hélène@exemple.fr", MimeMessage.Load(MimeWriter.ToBytes(built)).From.Mailboxes().Single().Address);
    }

    [Fact]
    public void HeadersAreFoldedUnder78Characters()
    {
        var builder = new MessageBuilder { From = Jeanne, Subject = string.Join(' ', Enumerable.Repeat("consultation", 20)), TextBody = "x" };
        for (var i = 0; i < 10; i++)
        {
            builder.To.Add(new MailboxAddress("Destinataire " + i, $"destinataire.{i}@ch-demo.mssante.fr"));
        }

        var text = Encoding.ASCII.GetString(MimeWriter.ToBytes(builder.Build()));
        var headerBlock = text[..text.IndexOf("\r\n\r\n", StringComparison.Ordinal)];
        Assert.All(headerBlock.Split("\r\n"), l => Assert.True(l.Length <= 78, l));
        var parsed = MimeMessage.Load(Encoding.ASCII.GetBytes(text));
        Assert.Equal(10, parsed.To.Count);
        Assert.Equal(builder.Subject, parsed.Subject);
    }

    [Fact]
    public void ReplyQuotesAndThreads()
    {
        var original = MimeMessage.Load(Corpus.Read("handwritten/ids-in-reply-to-and-references.eml"));
        var reply = MessageBuilder.CreateReply(original, Paul, replyAll: true, "Merci.").Build();
        var parsed = MimeMessage.Load(MimeWriter.ToBytes(reply));
        Assert.Equal("Re: suivi", parsed.Subject);
        Assert.Equal("case@medecin.mssante.fr", parsed.InReplyTo);
        Assert.Equal(["a@x.example", "b@y.example", "orig@ch-demo.mssante.fr", "case@medecin.mssante.fr"], parsed.References);
        Assert.Equal(Jeanne.Address, parsed.To.Mailboxes().Single().Address);
        Assert.Empty(parsed.Cc);
        var text = parsed.GetTextBody()!;
        Assert.StartsWith("Merci.", text);
        Assert.Contains("Le 01/04/2025 à 10:00, Dr Jeanne Martin a écrit :", text);
        Assert.Contains("> Corps.", text);
    }

    [Fact]
    public void ReplyAllGoesToReplyToAndOtherRecipients()
    {
        var original = MimeMessage.Load(Corpus.Read("handwritten/address-reply-to-and-cc-folded.eml"));
        var reply = MessageBuilder.CreateReply(original, Paul, replyAll: true).Build();
        Assert.Equal("pneumologie@ch-demo.mssante.fr", reply.To.Mailboxes().Single().Address);
        Assert.Equal(["claire.leroy@pharmacien.mssante.fr", "marc.petit@infirmier.mssante.fr"], reply.Cc.Mailboxes().Select(m => m.Address));
        Assert.Equal("Re: reply-to", reply.Subject);
        Assert.Equal("Re: reply-to", MessageBuilder.CreateReply(reply, Jeanne, false).Build().Subject);
    }

    [Fact]
    public void ForwardAsAttachmentKeepsTheOriginalBytes()
    {
        var bytes = Corpus.Read("handwritten/filename-rfc2231-continuations.eml");
        var original = MimeMessage.Load(bytes);
        var forward = MimeMessage.Load(MimeWriter.ToBytes(MessageBuilder.CreateForward(original, Paul, asAttachment: true, "Pour avis.").Build()));
        Assert.Equal("Tr: piece jointe", forward.Subject);
        var attached = Assert.IsType<MessagePart>(forward.Attachments.Single().Entity);
        Assert.Equal(bytes, attached.RawContent.ToArray());
        Assert.Equal("résultats biologie du 1er avril.pdf", attached.Message.Attachments.Single().FileName);
    }

    [Fact]
    public void ForwardInlineCopiesTextAndAttachments()
    {
        var original = MimeMessage.Load(Corpus.Read("handwritten/filename-rfc2231-utf8.eml"));
        var forward = MimeMessage.Load(MimeWriter.ToBytes(MessageBuilder.CreateForward(original, Paul, asAttachment: false).Build()));
        Assert.Contains("-------- Message transféré --------", forward.GetTextBody());
        Assert.Contains("Voir PJ.", forward.GetTextBody());
        Assert.Equal("compte rendu élève.pdf", forward.Attachments.Single().FileName);
    }

    [Fact]
    public void ParsedMessagesAreWrittenBackByteForByte()
    {
        foreach (var file in Corpus.Files.Where(f => f.StartsWith("python/", StringComparison.Ordinal)))
        {
            var bytes = Corpus.Read(file);
            var text = Encoding.Latin1.GetString(bytes);
            if (text.Contains('\n') && !text.Contains("\r\n", StringComparison.Ordinal))
            {
                // Python writes LF line endings; the writer emits CRLF structure lines: compare parsed trees instead.
                var again = MimeMessage.Load(MimeWriter.ToBytes(MimeMessage.Load(bytes)));
                Assert.Equal(Encoding.UTF8.GetString(MimeInspector.ToJson(MimeMessage.Load(bytes))), Encoding.UTF8.GetString(MimeInspector.ToJson(again)));
                continue;
            }

            Assert.Equal(bytes, MimeWriter.ToBytes(MimeMessage.Load(bytes)));
        }
    }
}
