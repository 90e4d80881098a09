using MSSante.Infrastructure.HtmlSanitizing;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

public sealed class UrlPolicyTests
{
    private static string? Href(string attribute) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(HtmlSanitizer.Instance.Sanitize($"<a href=\"{attribute}\">x</a>").Html)
            .QuerySelector("a")!.GetAttribute("href");

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData("&#106;avascript:alert(1)")]
    [InlineData("&#x6A;avascript:alert(1)")]
    [InlineData("&#106avascript:alert(1)")]
    [InlineData("java&#9;script:alert(1)")]
    [InlineData("java&#10;script:alert(1)")]
    [InlineData("java&#13;script:alert(1)")]
    [InlineData("&#1;javascript:alert(1)")]
    [InlineData("&#x200b;javascript:alert(1)")]
    [InlineData("  javascript:alert(1)")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("data:image/svg+xml,<svg onload=alert(1)>")]
    [InlineData("/deconnexion")]
    [InlineData("//evil.example/")]
    [InlineData("\\\\evil.example/")]
    [InlineData("file:///etc/passwd")]
    [InlineData("http:")]
    public void Links_outside_http_https_mailto_and_fragments_are_removed(string href) => Assert.Null(Href(href));

    [Theory]
    [InlineData("https://www.ameli.fr/", "https://www.ameli.fr/")]
    [InlineData("HTTPS://WWW.AMELI.FR/x", "https://www.ameli.fr/x")]
    [InlineData(" https://www.ameli.fr/ ", "https://www.ameli.fr/")]
    [InlineData("mailto:jeanne.martin@medecin.mssante.fr", "mailto:jeanne.martin@medecin.mssante.fr")]
    [InlineData("#section-2", "#section-2")]
    public void Safe_links_are_kept_in_canonical_form(string href, string expected) => Assert.Equal(expected, Href(href));

    [Fact]
    public void Only_raster_data_images_are_kept()
    {
        var html = HtmlSanitizer.Instance.Sanitize(
            "<img src=\"data:image/png;base64,iVBORw0KGgo=\"><img src=\"data:image/svg+xml;base64,PHN2Zz4=\"><img src=\"data:text/html;base64,PHA+\"><img src=\"data:image/png,<svg>\">").Html;
        Assert.Equal("<div id=\"mssante-message\"><img src=\"data:image/png;base64,iVBORw0KGgo=\"><img><img><img></div>", html);
    }
}
