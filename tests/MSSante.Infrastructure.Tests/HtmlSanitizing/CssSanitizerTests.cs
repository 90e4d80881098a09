using MSSante.Infrastructure.HtmlSanitizing;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>Targeted CSS cases, through the public sanitiser.</summary>
public sealed class CssSanitizerTests
{
    private static string Style(string css, bool remote = false)
    {
        var html = HtmlSanitizer.Instance.Sanitize($"<p style=\"{System.Net.WebUtility.HtmlEncode(css)}\">x</p>", new HtmlSanitizerOptions { AllowRemoteContent = remote }).Html;
        var start = html.IndexOf("style=\"", StringComparison.Ordinal);
        if (start < 0)
        {
            return "";
        }

        start += 7;
        return System.Net.WebUtility.HtmlDecode(html[start..html.IndexOf('"', start)]);
    }

    [Theory]
    [InlineData("color: red; font-weight: bold", "color: red; font-weight: bold;")]
    [InlineData("COLOR:Red", "color: Red;")]
    [InlineData("margin: 0 auto !important", "margin: 0 auto !important;")]
    [InlineData("font-family: 'Times New Roman', serif", "font-family: \"Times New Roman\", serif;")]
    [InlineData("width: calc(100% - 2em)", "width: calc(100% - 2em);")]
    [InlineData("background: rgba(0,0,0,.5)", "background: rgba(0, 0, 0, .5);")]
    [InlineData("position: relative", "position: relative;")]
    public void Ordinary_declarations_survive(string input, string expected) => Assert.Equal(expected, Style(input));

    [Theory]
    [InlineData("width: expression(alert(1))")]
    [InlineData("width: ex/**/pression(alert(1))")]
    [InlineData("width: \\65 xpression(alert(1))")]
    [InlineData("behavior: url(x.htc)")]
    [InlineData("-moz-binding: url(x.xml#y)")]
    [InlineData("b\\65havior: url(x.htc)")]
    [InlineData("background: url(javascript:alert(1))")]
    [InlineData("background: url(\"\\6a avascript:alert(1)\")")]
    [InlineData("background: url(http://127.0.0.1:17790/x.png)")]
    [InlineData("background: \\75 rl(http://127.0.0.1:17790/x.png)")]
    [InlineData("background-image: image-set(\"http://127.0.0.1:17790/x.png\" 1x)")]
    [InlineData("--x: url(http://127.0.0.1:17790/x.png)")]
    [InlineData("background: var(--x)")]
    [InlineData("position: fixed")]
    [InlineData("position: FIXED")]
    [InlineData("position: f\\69xed")]
    [InlineData("filter: progid:DXImageTransform.Microsoft.Alpha(opacity=50)")]
    [InlineData("color: red\"; onload=\"alert(1)")]
    public void Dangerous_declarations_are_dropped(string input) => Assert.Equal("", Style(input));

    [Fact]
    public void Remote_url_is_kept_only_when_allowed_and_always_quoted()
    {
        Assert.Equal("background: url(\"http://127.0.0.1:17790/x.png\");", Style("background: url(http://127.0.0.1:17790/x.png)", remote: true));
        Assert.Equal("", Style("background: url(http://127.0.0.1:17790/x.png)", remote: false));
    }

    [Fact]
    public void One_bad_declaration_does_not_take_the_others_with_it()
    {
        Assert.Equal("color: red; margin: 0;", Style("color: red; width: expression(1); margin: 0"));
    }

    [Fact]
    public void Style_blocks_are_scoped_and_lose_imports_fonts_and_escaping_tricks()
    {
        var html = HtmlSanitizer.Instance.Sanitize(
            "<style>@import 'http://127.0.0.1:17790/a.css'; @font-face{font-family:x;src:url(http://127.0.0.1:17790/f.woff)}"
            + " p, .x > a{color:red} body.dark{background:#000} html{color:blue} *{margin:0} a[href^=\"http\"]{color:green}"
            + " </style>").Html;
        Assert.Contains("#mssante-message p, #mssante-message .x > a { color: red; }", html, StringComparison.Ordinal);
        Assert.Contains("#mssante-message.dark { background: #000; }", html, StringComparison.Ordinal);
        Assert.Contains("#mssante-message { color: blue; }", html, StringComparison.Ordinal);
        Assert.Contains("#mssante-message * { margin: 0; }", html, StringComparison.Ordinal);
        Assert.Contains("#mssante-message a[href^=\"http\"] { color: green; }", html, StringComparison.Ordinal);
        Assert.DoesNotContain("import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("font-face", html, StringComparison.Ordinal);
        Assert.DoesNotContain("17790", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_in_a_style_block_can_close_it()
    {
        var html = HtmlSanitizer.Instance.Sanitize("<style>p{content:\"<\\/style><script>alert(1)</script>\"}</style>").Html;
        var open = html.IndexOf("<style>", StringComparison.Ordinal);
        var close = html.IndexOf("</style>", StringComparison.Ordinal);
        Assert.DoesNotContain("<", html[(open + 7)..close], StringComparison.Ordinal);
    }
}
