using System.Text;

namespace MSSante.Mime.Tests;

public sealed class ReadingTests
{
    [Fact]
    public async Task LoadingFromAStreamGivesTheSameTreeAsFromMemory()
    {
        foreach (var file in new[] { "handwritten/message-rfc822-nested.eml", "generated/related-utf-8-base64.eml", "python/modern-003.eml" })
        {
            var bytes = Corpus.Read(file);
            await using var stream = new MemoryStream(bytes);
            var fromStream = await MimeMessage.LoadAsync(stream);
            Assert.Equal(MimeInspector.ToJson(MimeMessage.Load(bytes)), MimeInspector.ToJson(fromStream));
        }
    }

    [Fact]
    public void InlineImageOfRelatedHtmlIsResolvedAndListed()
    {
        var message = MimeMessage.Load(Corpus.Read("handwritten/multipart-related-cid.eml"));
        var html = message.HtmlBodyPart!;
        var image = message.ResolveCid("cid:radio@ch-demo", html);
        Assert.NotNull(image);
        Assert.Equal("image/png", image.ContentType.MimeType);
        Assert.Same(image, message.ResolveCid("<radio@ch-demo>"));
        Assert.Null(message.ResolveCid("cid:absent@x"));
        var attachment = Assert.Single(message.Attachments);
        Assert.Equal("radio@ch-demo", attachment.ContentId);
        Assert.Equal("inline", attachment.Disposition);
        Assert.Equal(image.GetContent().Length, attachment.DecodedSize);
    }

    [Fact]
    public void RelatedStartParameterChoosesTheRoot()
    {
        var message = MimeMessage.Load(Corpus.Read("handwritten/multipart-related-start-parameter.eml"));
        Assert.Equal("racine@x", message.HtmlBodyPart!.ContentId);
    }

    [Fact]
    public void AttachedMessageIsListedWholeAndNotSearchedForTheBody()
    {
        var message = MimeMessage.Load(Corpus.Read("handwritten/message-rfc822-nested.eml"));
        Assert.Equal("Voir ci-dessous.", message.GetTextBody());
        Assert.Null(message.GetHtmlBody());
        var attached = Assert.IsType<MessagePart>(Assert.Single(message.Attachments).Entity);
        Assert.Equal("original é", attached.Message.Subject);
        Assert.Equal("<p>Original.</p>", attached.Message.GetHtmlBody());
        Assert.Equal("2", attached.Path);
        Assert.Equal(["2.1", "2.2"], ((Multipart)attached.Message.Body).Children.Select(c => c.Path));
    }

    [Fact]
    public void HtmlIsConvertedToReadableText()
    {
        var text = HtmlToText.Convert("<html><head><title>x</title><style>p{}</style></head><body><h1>R&eacute;sultats</h1>"
            + "<p>Glyc&eacute;mie&nbsp;: <b>1,2</b> g/L<br>Cr&eacute;atinine : 80</p><ul><li>un</li><li>deux</li></ul>"
            + "<p>Voir <a href=\"https://example.org/cr\">le compte rendu</a><script>alert(1)</script></p><pre>  a\n  b</pre></body></html>");
        Assert.Equal("Résultats\n\nGlycémie : 1,2 g/L\nCréatinine : 80\n\n- un\n- deux\n\nVoir le compte rendu <https://example.org/cr>\n\n  a\n  b\n", text);
    }

    [Theory]
    [InlineData("Jean Dupont <jean@x.fr>, \"Martin, Paul\" <paul@y.fr>", "Jean Dupont|jean@x.fr;Martin, Paul|paul@y.fr")]
    [InlineData("equipe: a@x.fr, b@x.fr;, c@y.fr", "|a@x.fr;|b@x.fr;|c@y.fr")]
    [InlineData("=?utf-8?q?Ren=C3=A9e?= <renee@x.fr>", "Renée|renee@x.fr")]
    [InlineData("<@r1,@r2:user@x.fr>", "|user@x.fr")]
    [InlineData("user@x.fr (Nom Commentaire)", "Nom Commentaire|user@x.fr")]
    [InlineData(",,", "")]
    public void AddressListsAreParsed(string value, string expected)
    {
        var actual = string.Join(';', AddressParser.Parse(value).Mailboxes().Select(m => m.DisplayName + "|" + m.Address));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void HeadersKeepRawBytesAndDecodeOnDemand()
    {
        var raw = Encoding.UTF8.GetBytes("Subject: =?utf-8?q?r=C3=A9sultat?=\r\n  suite\r\nX-Brut: é\r\n\r\n");
        var message = MimeMessage.Load(raw);
        var subject = message.Headers.Get("subject")!;
        Assert.Equal(" =?utf-8?q?r=C3=A9sultat?=\r\n  suite", Encoding.ASCII.GetString(subject.RawValue.Span));
        Assert.Equal("=?utf-8?q?r=C3=A9sultat?=  suite", subject.UnfoldedValue);
        Assert.Equal("résultat  suite", subject.Value);
        Assert.Equal("é", message.Headers["X-Brut"]);
    }
}
