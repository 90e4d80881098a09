using System.Text;
using MSSante.Mime;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// What the compose form turns into, read back by the same MIME parser the reading pane uses:
/// threading headers, the plain-text alternative, attachments, Bcc only on drafts, read-receipt
/// request, Sender for a service mailbox, a forwarded message kept whole.
/// </summary>
public sealed class ComposeMessageFactoryTests
{
    private static readonly MailboxAddress Jeanne = new("Dr Jeanne MARTIN", "jeanne.martin@medecin.mssante.fr");

    private static ComposeModel Model()
    {
        var model = new ComposeModel
        {
            To = "\"Dr Paul DURAND\" <paul.durand@ch-demo.mssante.fr>",
            Cc = "claire.leroy@pharmacien.mssante.fr",
            Bcc = "Élodie Secrétaire <secretariat@ch-demo.mssante.fr>",
            Subject = "RE : Compte rendu éàü",
            Html = "<p>Bonjour <b>cher confrère</b>,</p><p>Voir pièce jointe.</p>",
            InReplyTo = "parent@ch-demo.mssante.fr",
            RequestReadReceipt = true,
        };
        model.References.AddRange(["root@ch-demo.mssante.fr", "parent@ch-demo.mssante.fr"]);
        model.Attachments.Add(new ComposeAttachment("résultat biologie.pdf", "application/pdf", "%PDF-1.4\n%%EOF\n"u8.ToArray()));
        return model;
    }

    [Fact]
    public void A_reply_keeps_its_thread_text_alternative_attachment_and_receipt_request()
    {
        var model = Model();
        var message = MimeMessage.Load(ComposeMessageFactory.Build(model, Jeanne, null, includeBcc: false, DateTimeOffset.Now));

        Assert.Equal("RE : Compte rendu éàü", message.Subject);
        Assert.Equal(model.MessageId, message.MessageId);
        Assert.Equal("parent@ch-demo.mssante.fr", message.InReplyTo);
        Assert.Equal(["root@ch-demo.mssante.fr", "parent@ch-demo.mssante.fr"], message.References);
        Assert.Equal("paul.durand@ch-demo.mssante.fr", Assert.Single(message.To.Mailboxes()).Address);
        Assert.Equal("claire.leroy@pharmacien.mssante.fr", Assert.Single(message.Cc.Mailboxes()).Address);
        Assert.Equal(Jeanne.Address, message.DispositionNotificationTo?.Address);
        Assert.Null(message.Sender);
        Assert.Contains("cher confrère", message.GetHtmlBody(), StringComparison.Ordinal);
        Assert.Contains("Bonjour cher confrère", message.GetTextBody(), StringComparison.Ordinal);
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("résultat biologie.pdf", attachment.FileName);
        Assert.Equal("%PDF-1.4\n%%EOF\n", Encoding.ASCII.GetString(attachment.GetContent()));
        // A sent message never tells who was in blind copy.
        Assert.Empty(message.Bcc);
        Assert.Null(message.Headers.Get("Bcc"));
    }

    [Fact]
    public void A_draft_keeps_its_blind_copies()
    {
        var message = MimeMessage.Load(ComposeMessageFactory.Build(Model(), Jeanne, null, includeBcc: true, DateTimeOffset.Now));
        Assert.Equal("secretariat@ch-demo.mssante.fr", Assert.Single(message.Bcc.Mailboxes()).Address);
    }

    [Fact]
    public void Sending_for_a_service_mailbox_names_the_person_in_sender()
    {
        var service = new MailboxAddress(null, "pneumologie@ch-demo.mssante.fr");
        var sophie = new MailboxAddress("Sophie BERNARD", "sophie.bernard@ch-demo.mssante.fr");
        var message = MimeMessage.Load(ComposeMessageFactory.Build(Model(), service, sophie, includeBcc: false, DateTimeOffset.Now));
        Assert.Equal(service.Address, Assert.Single(message.From.Mailboxes()).Address);
        Assert.Equal(sophie.Address, message.Sender?.Address);
    }

    [Fact]
    public void A_message_forwarded_as_attachment_travels_byte_for_byte()
    {
        var original = "From: paul.durand@ch-demo.mssante.fr\r\nTo: jeanne.martin@medecin.mssante.fr\r\nSubject: Original\r\nMessage-ID: <o@x>\r\n\r\nTexte d'origine =E9 tel quel.\r\n";
        var model = new ComposeModel { To = "claire.leroy@pharmacien.mssante.fr", Subject = "TR : Original", Html = "<p>Pour information.</p>" };
        model.Attachments.Add(new ComposeAttachment("Original.eml", "message/rfc822", Encoding.UTF8.GetBytes(original)));
        var bytes = ComposeMessageFactory.Build(model, Jeanne, null, includeBcc: false, DateTimeOffset.Now);
        Assert.Contains(original, Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        var message = MimeMessage.Load(bytes);
        Assert.Contains(message.Body.DescendantsAndSelf(), e => e is MessagePart);
    }

    [Fact]
    public void A_hostile_file_name_or_content_type_cannot_add_header_lines()
    {
        var model = new ComposeModel { To = "claire.leroy@pharmacien.mssante.fr", Subject = "x", Html = "<p>x</p>" };
        model.Attachments.Add(new ComposeAttachment("a\r\nBcc: evil@example.com\".pdf", "text/html\r\nX-Injected: 1", [1, 2, 3]));
        var text = Encoding.UTF8.GetString(ComposeMessageFactory.Build(model, Jeanne, null, includeBcc: false, DateTimeOffset.Now));
        Assert.DoesNotContain("\r\nBcc:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\r\nX-Injected:", text, StringComparison.Ordinal);
        Assert.Contains("application/octet-stream", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_address_is_refused_in_french()
    {
        var e = Assert.Throws<FormatException>(() => ComposeMessageFactory.ParseAddresses("paul.durand@ch-demo.mssante.fr; pas une adresse"));
        Assert.Equal("L'adresse « pas une adresse » n'est pas valide.", e.Message);
    }
}
