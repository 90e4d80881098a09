using System.Text;
using AngleSharp.Html.Parser;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>Ordinary hospital mail must stay readable: the sanitiser removes danger, not layout.</summary>
public sealed class BenignMailTests
{
    private const string Png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

    private static string Newsletter => """
        <html><head><meta charset="utf-8"><title>Lettre</title>
        <style type="text/css">
          body { font-family: Arial, "Helvetica Neue", sans-serif; background-color: #f4f4f4; }
          .entete td { background: #000091; color: #ffffff !important; padding: 8px 12px; }
          table.resultats th, table.resultats td { border: 1px solid #ccc; }
          @media (max-width: 600px) { .colonne { display: block; width: 100% !important; } }
        </style></head>
        <body bgcolor="#f4f4f4">
        <table class="entete" width="600" cellpadding="0" cellspacing="0" border="0" align="center">
          <tr><td><img src="cid:logo@ch-demo" alt="CH Demo" width="120" height="40"> Lettre d'information du CH Demo</td></tr>
        </table>
        <table class="resultats" width="600" align="center" style="border-collapse: collapse; margin: 0 auto;">
          <tr><th scope="col">Analyse</th><th>Résultat</th><th>Normes</th></tr>
          <tr><td class="colonne">Hémoglobine</td><td style="color: #ce0500; font-weight: bold">9,8 g/dL</td><td>12 – 16</td></tr>
          <tr><td colspan="3" bgcolor="#eeeeee"><font face="Verdana" size="2" color="#333333">Commentaire : contrôle à 15 jours.</font></td></tr>
        </table>
        <p style="text-align:center">Consultez <a href="https://www.ch-demo.fr/actualites?x=1&amp;y=2">nos actualités</a>
        ou écrivez à <a href="mailto:secretariat@ch-demo.mssante.fr">secretariat@ch-demo.mssante.fr</a>.
        <a href="#bas">Aller en bas</a></p>
        <ul type="square"><li>Point 1</li><li value="3">Point 3</li></ul>
        <blockquote cite="https://example.org/">Citation &laquo; entre guillemets &raquo; &amp; esperluette</blockquote>
        <pre>
        ligne 1
          ligne 2</pre>
        <a id="bas" name="bas"></a>
        </body></html>
        """;

    private static MimeMessage NewsletterMessage()
    {
        var sb = new StringBuilder();
        sb.Append("From: Communication <communication@ch-demo.mssante.fr>\r\n");
        sb.Append("To: jeanne.martin@medecin.mssante.fr\r\nSubject: Lettre\r\nMIME-Version: 1.0\r\n");
        sb.Append("Content-Type: multipart/related; boundary=\"b1\"\r\n\r\n");
        sb.Append("--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        sb.Append(Convert.ToBase64String(Encoding.UTF8.GetBytes(Newsletter), Base64FormattingOptions.InsertLineBreaks)).Append("\r\n");
        sb.Append("--b1\r\nContent-Type: image/png\r\nContent-ID: <logo@ch-demo>\r\nContent-Disposition: inline\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        sb.Append(Png1x1).Append("\r\n--b1--\r\n");
        return MimeMessage.Load(Encoding.ASCII.GetBytes(sb.ToString()));
    }

    [Fact]
    public void A_hospital_newsletter_keeps_its_tables_styles_links_and_inline_logo()
    {
        var view = MessageHtmlRenderer.Render(NewsletterMessage(), allowRemoteContent: false)!;
        var html = view.Sanitized.Html;
        using var doc = new HtmlParser().ParseDocument(html);

        Assert.Equal(2, doc.QuerySelectorAll("table").Length);
        Assert.Equal("600", doc.QuerySelector("table.resultats")!.GetAttribute("width"));
        Assert.Equal("3", doc.QuerySelector("td[colspan]")!.GetAttribute("colspan"));
        Assert.Equal("#eeeeee", doc.QuerySelector("td[colspan]")!.GetAttribute("bgcolor"));
        Assert.Equal("Verdana", doc.QuerySelector("font")!.GetAttribute("face"));
        Assert.Contains("color: #ce0500", doc.QuerySelector("td[style]")!.GetAttribute("style"), StringComparison.Ordinal);
        Assert.Contains("Hémoglobine", html, StringComparison.Ordinal);
        Assert.Contains("12 – 16", html, StringComparison.Ordinal);

        // The inline logo is resolved to a data: URL; its cid is reported.
        var logo = doc.QuerySelector("img")!;
        Assert.Equal("data:image/png;base64," + Png1x1, logo.GetAttribute("src"));
        Assert.Equal("CH Demo", logo.GetAttribute("alt"));
        Assert.Equal(["cid:logo@ch-demo"], view.Sanitized.CidReferences);
        Assert.Equal(0, view.Sanitized.BlockedRemoteResources);

        // Links: external ones open in a new tab without referrer; fragments stay in place.
        var external = doc.QuerySelector("a[href^='https']")!;
        Assert.Equal("https://www.ch-demo.fr/actualites?x=1&y=2", external.GetAttribute("href"));
        Assert.Equal("_blank", external.GetAttribute("target"));
        Assert.Equal("noopener noreferrer", external.GetAttribute("rel"));
        Assert.Equal("mailto:secretariat@ch-demo.mssante.fr", doc.QuerySelector("a[href^='mailto']")!.GetAttribute("href"));
        Assert.Null(doc.QuerySelector("a[href='#bas']")!.GetAttribute("target"));
        Assert.NotNull(doc.QuerySelector("a#bas[name='bas']"));

        // The style sheet is kept, scoped to the container; body becomes the container.
        var css = doc.QuerySelector("style")!.TextContent;
        Assert.Contains("#mssante-message { font-family: Arial, \"Helvetica Neue\", sans-serif; background-color: #f4f4f4; }", css, StringComparison.Ordinal);
        Assert.Contains("#mssante-message .entete td { background: #000091; color: #ffffff !important; padding: 8px 12px; }", css, StringComparison.Ordinal);
        Assert.Contains("#mssante-message table.resultats th, #mssante-message table.resultats td", css, StringComparison.Ordinal);
        Assert.Contains("@media (max-width: 600px)", css, StringComparison.Ordinal);
        Assert.Contains("background-color: #f4f4f4", doc.QuerySelector("#mssante-message")!.GetAttribute("style"), StringComparison.Ordinal);

        Assert.Equal("square", doc.QuerySelector("ul")!.GetAttribute("type"));
        Assert.Contains("« entre guillemets » &amp; esperluette", html, StringComparison.Ordinal);
        Assert.Null(doc.QuerySelector("blockquote")!.GetAttribute("cite"));
        Assert.Contains("ligne 1\n  ligne 2", doc.QuerySelector("pre")!.TextContent.Replace("        ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("<title", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<meta", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_srcdoc_document_carries_the_csp_first_and_the_fragment()
    {
        var view = MessageHtmlRenderer.Render(NewsletterMessage(), allowRemoteContent: false)!;
        var cspAt = view.Document.IndexOf("Content-Security-Policy", StringComparison.Ordinal);
        var bodyAt = view.Document.IndexOf(view.Sanitized.Html, StringComparison.Ordinal);
        Assert.True(cspAt > 0 && bodyAt > cspAt);
        Assert.Contains("default-src 'none'; script-src 'none'", view.Document, StringComparison.Ordinal);
        Assert.Contains("img-src data: cid:\"", view.Document, StringComparison.Ordinal);
        Assert.Contains("<meta name=\"referrer\" content=\"no-referrer\">", view.Document, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_without_html_has_no_view_and_text_is_escaped_in_the_text_view()
    {
        var message = MimeMessage.Load(Encoding.ASCII.GetBytes("From: a@b.fr\r\nSubject: x\r\n\r\n<script>alert(1)</script> & co\r\n"));
        Assert.Null(MessageHtmlRenderer.Render(message, false));
        var text = MessageHtmlRenderer.RenderText(message.GetTextBody()!);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co", text.Document, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", text.Document, StringComparison.Ordinal);
    }

    [Fact]
    public void Unresolvable_or_non_image_cid_parts_are_left_out()
    {
        var raw = "From: a@b.fr\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=b\r\n\r\n--b\r\nContent-Type: text/html\r\n\r\n"
                  + "<img src=\"cid:absent@x\" alt=a><img src=\"cid:page@x\" alt=b>\r\n--b\r\nContent-Type: text/html\r\nContent-ID: <page@x>\r\n\r\n<script>alert(1)</script>\r\n--b--\r\n";
        var view = MessageHtmlRenderer.Render(MimeMessage.Load(Encoding.ASCII.GetBytes(raw)), false)!;
        Assert.Contains("<img alt=\"a\"><img alt=\"b\">", view.Sanitized.Html, StringComparison.Ordinal);
        Assert.Equal(["cid:absent@x", "cid:page@x"], view.Sanitized.CidReferences);
    }
}
