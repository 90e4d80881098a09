using System.Net;
using System.Text;

namespace MSSante.Mime;

/// <summary>
/// Converts HTML mail to readable plain text with a small tolerant tokenizer (no DOM, BCL only):
/// scripts, styles and the head are dropped, block elements start new lines, list items get a
/// dash, links keep their target, entities are decoded and whitespace is collapsed.
/// </summary>
public static class HtmlToText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "blockquote",
        "pre", "hr", "section", "article", "header", "footer", "dt", "dd", "dl", "address", "form", "title",
    };

    /// <summary>Converts an HTML document or fragment to text.</summary>
    public static string Convert(string html)
    {
        var sb = new StringBuilder(html.Length / 2);
        var lastGt = html.LastIndexOf('>');
        var i = 0;
        var pre = 0;
        var pendingSpace = false;
        string? href = null;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                if (string.CompareOrdinal(html, i, "<!--", 0, 4) == 0)
                {
                    var endComment = html.IndexOf("-->", i + 4, StringComparison.Ordinal);
                    i = endComment < 0 ? html.Length : endComment + 3;
                    continue;
                }

                var close = FindTagEnd(html, i + 1, lastGt);
                if (close < 0)
                {
                    // A lone '<' is text.
                    Append(sb, "<", ref pendingSpace, pre > 0);
                    i++;
                    continue;
                }

                var tag = html.AsSpan(i + 1, close - i - 1);
                i = close + 1;
                var isEnd = tag.Length > 0 && tag[0] == '/';
                var nameSpan = isEnd ? tag[1..] : tag;
                var nameLength = 0;
                while (nameLength < nameSpan.Length && (char.IsAsciiLetterOrDigit(nameSpan[nameLength]) || nameSpan[nameLength] == '-'))
                {
                    nameLength++;
                }

                var name = nameSpan[..nameLength].ToString().ToLowerInvariant();
                if (!isEnd && name is "script" or "style" or "head" or "title" && !tag.EndsWith("/"))
                {
                    // Raw text elements: skip to the matching end tag.
                    var endTag = html.IndexOf("</" + name, i, StringComparison.OrdinalIgnoreCase);
                    if (endTag < 0)
                    {
                        i = html.Length;
                    }
                    else
                    {
                        var gt = html.IndexOf('>', endTag);
                        i = gt < 0 ? html.Length : gt + 1;
                    }

                    continue;
                }

                if (name == "pre")
                {
                    pre += isEnd ? (pre > 0 ? -1 : 0) : 1;
                }

                if (name == "a")
                {
                    if (!isEnd)
                    {
                        href = Attribute(tag, "href");
                    }
                    else if (href is not null)
                    {
                        if (!href.StartsWith('#') && !href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !EndsWith(sb, href))
                        {
                            Append(sb, " <" + href + ">", ref pendingSpace, true);
                        }

                        href = null;
                    }
                }

                if (name == "img" && Attribute(tag, "alt") is { Length: > 0 } alt)
                {
                    Append(sb, "[" + alt + "]", ref pendingSpace, false);
                }

                if (BlockTags.Contains(name))
                {
                    NewLine(sb, name is "p" or "h1" or "h2" or "h3" or "table" or "blockquote" && !(isEnd && name == "br") ? 2 : 1);
                    pendingSpace = false;
                    if (name == "li" && !isEnd)
                    {
                        sb.Append("- ");
                    }
                }
                else if (name is "td" or "th" && isEnd)
                {
                    pendingSpace = true;
                }

                continue;
            }

            var next = html.IndexOf('<', i);
            if (next < 0)
            {
                next = html.Length;
            }

            var text = WebUtility.HtmlDecode(html[i..next]).Replace('\u00A0', ' ');
            Append(sb, text, ref pendingSpace, pre > 0);
            i = next;
        }

        return Normalize(sb.ToString());
    }

    // Never scans past the last '>' of the document, and a quote closing after it is taken
    // literally, so a run of broken tags costs linear time.
    private static int FindTagEnd(string html, int pos, int lastGt)
    {
        if (pos >= html.Length || pos > lastGt || !(char.IsAsciiLetter(html[pos]) || html[pos] is '/' or '!' or '?'))
        {
            return -1;
        }

        for (var i = pos; i <= lastGt; i++)
        {
            var c = html[i];
            if (c is '"' or '\'')
            {
                var closeQuote = html.IndexOf(c, i + 1, lastGt - i);
                if (closeQuote > 0)
                {
                    i = closeQuote;
                }
            }
            else if (c == '>')
            {
                return i;
            }
        }

        return lastGt;
    }

    private static bool EndsWith(StringBuilder sb, string value)
    {
        if (sb.Length < value.Length)
        {
            return false;
        }

        for (var k = 0; k < value.Length; k++)
        {
            if (sb[sb.Length - value.Length + k] != value[k])
            {
                return false;
            }
        }

        return true;
    }

    private static string? Attribute(ReadOnlySpan<char> tag, string name)
    {
        var s = tag.ToString();
        var idx = 0;
        while ((idx = s.IndexOf(name, idx, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            var before = idx == 0 ? ' ' : s[idx - 1];
            var j = idx + name.Length;
            while (j < s.Length && s[j] == ' ')
            {
                j++;
            }

            if (char.IsWhiteSpace(before) && j < s.Length && s[j] == '=')
            {
                j++;
                while (j < s.Length && s[j] == ' ')
                {
                    j++;
                }

                if (j < s.Length && s[j] is '"' or '\'')
                {
                    var q = s[j];
                    var end = s.IndexOf(q, j + 1);
                    return WebUtility.HtmlDecode(end < 0 ? s[(j + 1)..] : s[(j + 1)..end]);
                }

                var stop = j;
                while (stop < s.Length && !char.IsWhiteSpace(s[stop]) && s[stop] != '/')
                {
                    stop++;
                }

                return WebUtility.HtmlDecode(s[j..stop]);
            }

            idx += name.Length;
        }

        return null;
    }

    private static void Append(StringBuilder sb, string text, ref bool pendingSpace, bool preformatted)
    {
        if (preformatted)
        {
            sb.Append(text.Replace("\r\n", "\n", StringComparison.Ordinal));
            pendingSpace = false;
            return;
        }

        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace && sb.Length > 0 && sb[^1] != '\n' && sb[^1] != ' ')
            {
                sb.Append(' ');
            }

            pendingSpace = false;
            sb.Append(c);
        }
    }

    private static void NewLine(StringBuilder sb, int count)
    {
        if (sb.Length == 0)
        {
            return;
        }

        while (sb.Length > 0 && sb[^1] == ' ')
        {
            sb.Length--;
        }

        var existing = 0;
        for (var k = sb.Length - 1; k >= 0 && sb[k] == '\n'; k--)
        {
            existing++;
        }

        for (; existing < count; existing++)
        {
            sb.Append('\n');
        }
    }

    private static string Normalize(string s)
    {
        var lines = s.Split('\n');
        var sb = new StringBuilder(s.Length);
        var blank = 0;
        foreach (var line in lines)
        {
            var l = line.TrimEnd();
            if (l.Length == 0)
            {
                blank++;
                continue;
            }

            if (sb.Length > 0)
            {
                sb.Append(blank > 0 ? "\n\n" : "\n");
            }

            blank = 0;
            sb.Append(l);
        }

        return sb.Length == 0 ? string.Empty : sb.Append('\n').ToString();
    }
}
