using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MSSante.Infrastructure.HtmlSanitizing;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>
/// Checks sanitised output the way a browser would read it: re-parsed by an HTML5 parser, then
/// every element, attribute, URL and style inspected after the same normalisation browsers apply.
/// </summary>
internal static class SafetyAssertions
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "html", "head", "body", "style", "div",
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "dl", "dt",
        "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
        "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    };

    private static readonly string[] ForbiddenInCss = ["expression", "javascript", "vbscript", "behavior", "binding", "@import", "@font-face"];

    public static void AssertSafe(string fragment, bool remoteAllowed, string because)
    {
        var parser = new HtmlParser();
        using var document = parser.ParseDocument(fragment);
        var elements = document.All.ToList();
        foreach (var element in elements)
        {
            Assert.True(element.NamespaceUri == AngleSharp.Dom.NamespaceNames.HtmlUri, $"{because}: foreign element <{element.LocalName}>");
            Assert.True(Allowed.Contains(element.LocalName), $"{because}: element <{element.LocalName}> is not allowlisted");
            foreach (var attribute in element.Attributes)
            {
                var name = attribute.Name.ToLowerInvariant();
                Assert.False(name.StartsWith("on", StringComparison.Ordinal), $"{because}: event handler {name} on <{element.LocalName}>");
                Assert.False(name is "srcset" or "formaction" or "action" or "poster" or "data" or "codebase" or "ping" or "lowsrc" or "dynsrc" or "xlink:href" or "srcdoc" or "http-equiv" or "usemap",
                    $"{because}: attribute {name} survived");
                var normalized = Normalize(attribute.Value);
                if (name is "href" or "src" or "background")
                {
                    Assert.DoesNotContain("javascript:", normalized);
                    Assert.DoesNotContain("vbscript:", normalized);
                    if (name == "href")
                    {
                        Assert.True(normalized.StartsWith("http://", StringComparison.Ordinal) || normalized.StartsWith("https://", StringComparison.Ordinal)
                                    || normalized.StartsWith("mailto:", StringComparison.Ordinal) || normalized.StartsWith('#'),
                            $"{because}: link to {attribute.Value}");
                    }
                    else
                    {
                        var isLocal = normalized.StartsWith("data:image/png;base64,", StringComparison.Ordinal) || normalized.StartsWith("data:image/gif;base64,", StringComparison.Ordinal)
                                      || normalized.StartsWith("data:image/jpeg;base64,", StringComparison.Ordinal) || normalized.StartsWith("data:image/jpg;base64,", StringComparison.Ordinal)
                                      || normalized.StartsWith("data:image/webp;base64,", StringComparison.Ordinal) || normalized.StartsWith("cid:", StringComparison.Ordinal);
                        var isRemote = normalized.StartsWith("http://", StringComparison.Ordinal) || normalized.StartsWith("https://", StringComparison.Ordinal);
                        Assert.True(isLocal || (remoteAllowed && isRemote), $"{because}: {name}={attribute.Value} loads something it should not");
                    }
                }

                if (name == "style")
                {
                    AssertSafeCss(attribute.Value, remoteAllowed, because);
                }
            }

            if (element.LocalName == "style")
            {
                AssertSafeCss(element.TextContent, remoteAllowed, because);
            }
        }

        if (!remoteAllowed)
        {
            // Text may mention the sentinel (escaped markup stays text); URL-bearing places may not.
            foreach (var element in elements)
            {
                foreach (var attribute in element.Attributes)
                {
                    if (attribute.Name is "src" or "background" or "style")
                    {
                        Assert.DoesNotContain(HostileCorpus.SentinelOrigin, attribute.Value);
                    }
                }
            }
        }
    }

    private static void AssertSafeCss(string css, bool remoteAllowed, string because)
    {
        var normalized = Normalize(DecodeCssEscapes(css));
        foreach (var word in ForbiddenInCss)
        {
            Assert.False(normalized.Contains(word, StringComparison.Ordinal), $"{because}: CSS contains {word}: {css}");
        }

        Assert.DoesNotContain("position:fixed", normalized);
        if (!remoteAllowed)
        {
            Assert.DoesNotContain("url(\"http", normalized);
            Assert.DoesNotContain("url(http", normalized);
            Assert.DoesNotContain(HostileCorpus.SentinelOrigin, normalized);
        }
    }

    /// <summary>Lower case, every whitespace and control character removed (stricter than a browser).</summary>
    public static string Normalize(string value) =>
        new string(value.Where(c => !(c <= ' ' || char.IsWhiteSpace(c) || char.IsControl(c) || c is '\u200b' or '\u00ad' or '\ufeff')).ToArray()).ToLowerInvariant();

    private static string DecodeCssEscapes(string css)
    {
        var sb = new System.Text.StringBuilder(css.Length);
        for (var i = 0; i < css.Length; i++)
        {
            if (css[i] == '\\' && i + 1 < css.Length)
            {
                var j = i + 1;
                while (j < css.Length && j - i <= 6 && Uri.IsHexDigit(css[j]))
                {
                    j++;
                }

                if (j > i + 1)
                {
                    sb.Append(char.ConvertFromUtf32(Math.Min(int.Parse(css.AsSpan(i + 1, j - i - 1), System.Globalization.NumberStyles.HexNumber, null), 0x10FFFF)));
                    i = j < css.Length && css[j] == ' ' ? j : j - 1;
                    continue;
                }

                sb.Append(css[i + 1]);
                i++;
                continue;
            }

            sb.Append(css[i]);
        }

        return sb.ToString();
    }

    public static void AssertStable(HtmlSanitizerResult first, HtmlSanitizerOptions options, string because)
    {
        // Serialise, re-parse, sanitise again: a mutation (mXSS) would show up as a difference.
        var second = HtmlSanitizer.Instance.Sanitize(first.Html, options);
        Assert.True(first.Html == second.Html, $"{because}: output changes when re-parsed\nfirst:  {first.Html}\nsecond: {second.Html}");
    }
}
