using System.Globalization;
using System.Text;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>
/// Sanitises CSS from <c>style</c> attributes and <c>&lt;style&gt;</c> blocks: tokenised with
/// escapes decoded, checked, and written back from the tokens (never from the input text), so
/// an escape, a comment or a bad string cannot smuggle anything past the checks.
/// </summary>
/// <remarks>
/// Dropped: <c>expression()</c> and every function outside a short allowlist (so no
/// <c>image-set()</c>, <c>src()</c> or <c>element()</c> to load things by string), <c>behavior</c>,
/// <c>-moz-binding</c>, any mention of javascript:/vbscript:, custom properties and <c>var()</c>,
/// <c>position: fixed</c>, <c>url()</c> to anything but raster data: images, cid: and (when allowed)
/// http/https; every at-rule but <c>@media</c> (so no <c>@import</c>, no <c>@font-face</c>).
/// Selectors of <c>&lt;style&gt;</c> rules are prefixed with the message container's id;
/// <c>html</c>, <c>body</c> and <c>:root</c> become the container itself.
/// </remarks>
internal sealed class CssSanitizer(SanitizeContext context)
{
    private static readonly HashSet<string> AllowedFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "oklab", "oklch",
        "calc", "min", "max", "clamp",
        "linear-gradient", "radial-gradient", "repeating-linear-gradient", "repeating-radial-gradient", "conic-gradient",
        "translate", "translatex", "translatey", "rotate", "scale", "scalex", "scaley", "skew", "skewx", "skewy", "matrix",
        "counter", "counters", "format", "attr", "url",
    };

    private static readonly HashSet<string> SelectorFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type", "lang",
    };

    private static readonly System.Buffers.SearchValues<char> NameCharacters =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");

    private static readonly string[] ForbiddenWords = ["javascript", "vbscript", "expression", "behavior", "binding", "livescript", "mocha"];

    private const int MaxNesting = 8;

    // Reused by WriteValue, which never calls itself (one sanitiser per run, one thread).
    private readonly StringBuilder _value = new();

    /// <summary>Sanitises a declaration list (a <c>style</c> attribute); returns "" when nothing survives.</summary>
    public string SanitizeDeclarations(string css)
    {
        var tokens = CssTokenizer.Tokenize(css);
        var sb = new StringBuilder();
        WriteDeclarations(tokens, 0, tokens.Count, sb);
        return Trimmed(sb, trimStart: false);
    }

    /// <summary>The builder's text without surrounding white space (what string.Trim/TrimEnd would leave), copied once.</summary>
    private static string Trimmed(StringBuilder sb, bool trimStart)
    {
        var end = sb.Length;
        while (end > 0 && char.IsWhiteSpace(sb[end - 1]))
        {
            end--;
        }

        var start = 0;
        while (trimStart && start < end && char.IsWhiteSpace(sb[start]))
        {
            start++;
        }

        return sb.ToString(start, end - start);
    }

    /// <summary>Sanitises a style sheet (a <c>&lt;style&gt;</c> block), scoping its rules to the container.</summary>
    public string SanitizeStylesheet(string css)
    {
        var tokens = CssTokenizer.Tokenize(css);
        var sb = new StringBuilder();
        WriteRules(tokens, 0, tokens.Count, sb, 0);
        return sb.ToString();
    }

    private void WriteRules(List<CssToken> t, int start, int end, StringBuilder sb, int depth)
    {
        var i = start;
        while (i < end)
        {
            var token = t[i];
            if (token.Type is CssTokenType.Whitespace or CssTokenType.Cdo or CssTokenType.Cdc or CssTokenType.Semicolon)
            {
                i++;
                continue;
            }

            if (token.Type == CssTokenType.CloseCurly)
            {
                // A stray closing brace at top level: skip it (CSS Syntax 3 §5.4.1 would too).
                i++;
                continue;
            }

            // The prelude runs to the first "{" (or ";" for statement at-rules) at nesting level 0.
            var preludeStart = i;
            var (blockOpen, statementEnd) = FindPreludeEnd(t, i, end);
            if (blockOpen < 0)
            {
                i = statementEnd < 0 ? end : statementEnd + 1;
                if (token.Type == CssTokenType.AtKeyword)
                {
                    CountRemoteUrls(t, preludeStart, i);
                }

                continue;
            }

            var blockClose = FindMatching(t, blockOpen, end);
            var blockEnd = blockClose < 0 ? end : blockClose;
            i = blockClose < 0 ? end : blockClose + 1;

            if (token.Type == CssTokenType.AtKeyword)
            {
                if (depth < MaxNesting && string.Equals(token.Value, "media", StringComparison.OrdinalIgnoreCase)
                    && WriteMediaPrelude(t, preludeStart + 1, blockOpen) is { } media)
                {
                    var inner = new StringBuilder();
                    WriteRules(t, blockOpen + 1, blockEnd, inner, depth + 1);
                    if (inner.Length > 0)
                    {
                        sb.Append("@media ").Append(media).Append(" {\n").Append(inner).Append("}\n");
                    }
                }
                else
                {
                    // @import, @font-face, @namespace, @keyframes, @supports...: dropped whole.
                    CountRemoteUrls(t, preludeStart, i);
                }

                continue;
            }

            var selector = ScopeSelectorList(t, preludeStart, blockOpen);
            if (selector is null)
            {
                continue;
            }

            var declarations = new StringBuilder();
            WriteDeclarations(t, blockOpen + 1, blockEnd, declarations);
            if (declarations.Length > 0)
            {
                sb.Append(selector).Append(" { ").Append(declarations.ToString().TrimEnd()).Append(" }\n");
            }
        }
    }

    private static (int BlockOpen, int StatementEnd) FindPreludeEnd(List<CssToken> t, int i, int end)
    {
        var depth = 0;
        for (; i < end; i++)
        {
            switch (t[i].Type)
            {
                case CssTokenType.OpenParen or CssTokenType.OpenSquare or CssTokenType.Function:
                    depth++;
                    break;
                case CssTokenType.CloseParen or CssTokenType.CloseSquare:
                    depth = Math.Max(0, depth - 1);
                    break;
                case CssTokenType.OpenCurly:
                    return (i, -1);
                case CssTokenType.Semicolon when depth == 0 && t[i].Type == CssTokenType.Semicolon:
                    return (-1, i);
            }
        }

        return (-1, -1);
    }

    private static int FindMatching(List<CssToken> t, int open, int end)
    {
        var depth = 0;
        for (var i = open; i < end; i++)
        {
            if (t[i].Type == CssTokenType.OpenCurly)
            {
                depth++;
            }
            else if (t[i].Type == CssTokenType.CloseCurly && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private void CountRemoteUrls(List<CssToken> t, int start, int end)
    {
        for (var i = start; i < end; i++)
        {
            if (t[i].Type is CssTokenType.Url or CssTokenType.String)
            {
                context.CountIfRemote(t[i].Value);
            }
        }
    }

    private static string? WriteMediaPrelude(List<CssToken> t, int start, int end)
    {
        var sb = new StringBuilder();
        for (var i = start; i < end; i++)
        {
            var token = t[i];
            switch (token.Type)
            {
                case CssTokenType.Ident:
                    if (IsForbiddenText(token.Value))
                    {
                        return null;
                    }

                    sb.Append(EscapeIdent(token.Value));
                    break;
                case CssTokenType.Number or CssTokenType.Percentage or CssTokenType.Dimension:
                    AppendNumeric(sb, token);
                    break;
                case CssTokenType.Whitespace:
                    sb.Append(' ');
                    break;
                case CssTokenType.Colon:
                    sb.Append(':');
                    break;
                case CssTokenType.Comma:
                    sb.Append(',');
                    break;
                case CssTokenType.OpenParen:
                    sb.Append('(');
                    break;
                case CssTokenType.CloseParen:
                    sb.Append(')');
                    break;
                case CssTokenType.Delim when token.Value is "/" or ">" or "<" or "=":
                    sb.Append(token.Value == "<" ? "\\3c " : token.Value == ">" ? "\\3e " : token.Value);
                    break;
                default:
                    return null;
            }
        }

        var text = sb.ToString().Trim();
        return text.Length == 0 ? "all" : text;
    }

    private string? ScopeSelectorList(List<CssToken> t, int start, int end)
    {
        var container = "#" + EscapeIdent(context.Options.ContainerId);
        var parts = new List<string>();
        var current = new List<CssToken>();
        var depth = 0;
        for (var i = start; i <= end; i++)
        {
            if (i == end || (depth == 0 && t[i].Type == CssTokenType.Comma))
            {
                var scoped = ScopeSelector(current, container);
                if (scoped is null)
                {
                    return null;
                }

                parts.Add(scoped);
                current.Clear();
                continue;
            }

            var token = t[i];
            if (token.Type is CssTokenType.Function or CssTokenType.OpenParen or CssTokenType.OpenSquare)
            {
                depth++;
            }
            else if (token.Type is CssTokenType.CloseParen or CssTokenType.CloseSquare)
            {
                depth--;
            }

            current.Add(token);
        }

        return parts.Count == 0 ? null : string.Join(", ", parts);
    }

    private static string? ScopeSelector(List<CssToken> tokens, string container)
    {
        var list = tokens.ToList();
        Trim(list);
        if (list.Count == 0)
        {
            return null;
        }

        // html, body and :root (possibly chained: "html body") are the container itself.
        var replaced = false;
        while (true)
        {
            if (list.Count > 0 && list[0].Type == CssTokenType.Ident
                && (string.Equals(list[0].Value, "html", StringComparison.OrdinalIgnoreCase) || string.Equals(list[0].Value, "body", StringComparison.OrdinalIgnoreCase)))
            {
                list.RemoveAt(0);
                replaced = true;
            }
            else if (list.Count > 0 && list[0].Type == CssTokenType.Hash && "#" + EscapeIdent(list[0].Value) == container)
            {
                // Already scoped (sanitising sanitised HTML again).
                list.RemoveAt(0);
                replaced = true;
            }
            else if (list.Count > 1 && list[0].Type == CssTokenType.Colon && list[1].Type == CssTokenType.Ident
                     && string.Equals(list[1].Value, "root", StringComparison.OrdinalIgnoreCase))
            {
                list.RemoveRange(0, 2);
                replaced = true;
            }
            else
            {
                break;
            }

            if (list.Count > 0 && list[0].Type == CssTokenType.Whitespace && list.Count > 1
                && list[1].Type == CssTokenType.Ident
                && (string.Equals(list[1].Value, "body", StringComparison.OrdinalIgnoreCase) || string.Equals(list[1].Value, "html", StringComparison.OrdinalIgnoreCase)))
            {
                list.RemoveAt(0);
            }
        }

        var body = WriteSelector(list);
        if (body is null)
        {
            return null;
        }

        if (body.Length == 0)
        {
            return container;
        }

        if (replaced && list[0].Type != CssTokenType.Whitespace)
        {
            // "body.newsletter" or "body > table": attach to the container.
            return list[0].Type == CssTokenType.Delim && list[0].Value is ">" or "+" or "~"
                ? container + " " + body
                : container + body;
        }

        return container + " " + body.TrimStart();
    }

    private static void Trim(List<CssToken> list)
    {
        while (list.Count > 0 && list[0].Type == CssTokenType.Whitespace)
        {
            list.RemoveAt(0);
        }

        while (list.Count > 0 && list[^1].Type == CssTokenType.Whitespace)
        {
            list.RemoveAt(list.Count - 1);
        }
    }

    private static string? WriteSelector(List<CssToken> tokens)
    {
        var sb = new StringBuilder();
        foreach (var token in tokens)
        {
            switch (token.Type)
            {
                case CssTokenType.Ident:
                    sb.Append(EscapeIdent(token.Value));
                    break;
                case CssTokenType.Hash:
                    sb.Append('#').Append(EscapeIdent(token.Value));
                    break;
                case CssTokenType.Function when SelectorFunctions.Contains(token.Value):
                    sb.Append(EscapeIdent(token.Value)).Append('(');
                    break;
                case CssTokenType.String:
                    if (IsForbiddenText(token.Value))
                    {
                        return null;
                    }

                    AppendString(sb, token.Value);
                    break;
                case CssTokenType.Number or CssTokenType.Dimension or CssTokenType.Percentage:
                    AppendNumeric(sb, token);
                    break;
                case CssTokenType.Whitespace:
                    sb.Append(' ');
                    break;
                case CssTokenType.Colon:
                    sb.Append(':');
                    break;
                case CssTokenType.OpenSquare:
                    sb.Append('[');
                    break;
                case CssTokenType.CloseSquare:
                    sb.Append(']');
                    break;
                case CssTokenType.CloseParen:
                    sb.Append(')');
                    break;
                case CssTokenType.Delim when token.Value is "." or "*" or ">" or "+" or "~" or "|" or "=" or "^" or "$":
                    sb.Append(token.Value);
                    break;
                default:
                    return null;
            }
        }

        return sb.ToString();
    }

    private void WriteDeclarations(List<CssToken> t, int start, int end, StringBuilder sb)
    {
        var i = start;
        while (i < end)
        {
            // One declaration runs to the next ";" at nesting level 0; a nested block (CSS
            // nesting, or garbage) is skipped whole.
            var declStart = i;
            var depth = 0;
            var nested = false;
            for (; i < end; i++)
            {
                var type = t[i].Type;
                if (type is CssTokenType.OpenParen or CssTokenType.OpenSquare or CssTokenType.Function)
                {
                    depth++;
                }
                else if (type is CssTokenType.CloseParen or CssTokenType.CloseSquare)
                {
                    depth = Math.Max(0, depth - 1);
                }
                else if (type == CssTokenType.OpenCurly)
                {
                    nested = true;
                    var close = FindMatching(t, i, end);
                    i = close < 0 ? end - 1 : close;
                }
                else if (type == CssTokenType.Semicolon && depth == 0)
                {
                    break;
                }
            }

            var declEnd = i;
            i++;
            if (!nested)
            {
                WriteDeclaration(t, declStart, declEnd, sb);
            }
            else
            {
                CountRemoteUrls(t, declStart, declEnd);
            }
        }
    }

    private void WriteDeclaration(List<CssToken> t, int start, int end, StringBuilder sb)
    {
        while (start < end && t[start].Type == CssTokenType.Whitespace)
        {
            start++;
        }

        if (start >= end || t[start].Type != CssTokenType.Ident)
        {
            return;
        }

        var name = t[start].Value.ToLowerInvariant();
        var i = start + 1;
        while (i < end && t[i].Type == CssTokenType.Whitespace)
        {
            i++;
        }

        if (i >= end || t[i].Type != CssTokenType.Colon)
        {
            return;
        }

        i++;
        if (!IsAllowedProperty(name))
        {
            CountRemoteUrls(t, i, end);
            return;
        }

        // Trailing "!important".
        var valueEnd = end;
        while (valueEnd > i && t[valueEnd - 1].Type == CssTokenType.Whitespace)
        {
            valueEnd--;
        }

        var important = false;
        if (valueEnd - i >= 2 && t[valueEnd - 1].Type == CssTokenType.Ident
            && string.Equals(t[valueEnd - 1].Value, "important", StringComparison.OrdinalIgnoreCase))
        {
            var bang = valueEnd - 2;
            while (bang > i && t[bang].Type == CssTokenType.Whitespace)
            {
                bang--;
            }

            if (t[bang].Type == CssTokenType.Delim && t[bang].Value == "!")
            {
                important = true;
                valueEnd = bang;
            }
        }

        var value = WriteValue(t, i, valueEnd, name);
        if (value is null || value.Length == 0)
        {
            return;
        }

        if (name == "position" && value.Contains("fixed", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        sb.Append(name).Append(": ").Append(value);
        if (important)
        {
            sb.Append(" !important");
        }

        sb.Append("; ");
    }

    private static bool IsAllowedProperty(string name)
    {
        if (name.Length == 0 || name.StartsWith("--", StringComparison.Ordinal) || IsForbiddenText(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private string? WriteValue(List<CssToken> t, int start, int end, string property)
    {
        var sb = _value.Clear();
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            var token = t[i];
            switch (token.Type)
            {
                case CssTokenType.Ident:
                    if (IsForbiddenText(token.Value))
                    {
                        return null;
                    }

                    sb.Append(EscapeIdent(token.Value));
                    break;
                case CssTokenType.Function:
                    if (!AllowedFunctions.Contains(token.Value))
                    {
                        CountRemoteUrls(t, i, end);
                        return null;
                    }

                    if (string.Equals(token.Value, "url", StringComparison.OrdinalIgnoreCase))
                    {
                        // url("...") form: a string, optional whitespace, then ")".
                        var j = i + 1;
                        while (j < end && t[j].Type == CssTokenType.Whitespace)
                        {
                            j++;
                        }

                        if (j >= end || t[j].Type != CssTokenType.String)
                        {
                            return null;
                        }

                        var k = j + 1;
                        while (k < end && t[k].Type == CssTokenType.Whitespace)
                        {
                            k++;
                        }

                        if (k < end && t[k].Type != CssTokenType.CloseParen)
                        {
                            return null;
                        }

                        if (!AppendUrl(sb, t[j].Value))
                        {
                            return null;
                        }

                        i = k;
                        break;
                    }

                    if (string.Equals(token.Value, "attr", StringComparison.OrdinalIgnoreCase) && property != "content")
                    {
                        return null;
                    }

                    depth++;
                    sb.Append(EscapeIdent(token.Value.ToLowerInvariant())).Append('(');
                    break;
                case CssTokenType.Url:
                    if (!AppendUrl(sb, token.Value))
                    {
                        return null;
                    }

                    break;
                case CssTokenType.String:
                    if (IsForbiddenText(token.Value))
                    {
                        return null;
                    }

                    if (property is not ("content" or "font-family" or "font" or "quotes" or "list-style-type" or "list-style"))
                    {
                        // A string elsewhere could be read as a URL by some property (e.g. a
                        // future image function); only these properties take strings.
                        return null;
                    }

                    AppendString(sb, token.Value);
                    break;
                case CssTokenType.Hash:
                    // A colour: a name, which may start with a digit (#000091).
                    sb.Append('#').Append(EscapeName(token.Value));
                    break;
                case CssTokenType.Number or CssTokenType.Percentage or CssTokenType.Dimension:
                    if (token.Type == CssTokenType.Dimension && IsForbiddenText(token.Unit))
                    {
                        return null;
                    }

                    AppendNumeric(sb, token);
                    break;
                case CssTokenType.Whitespace:
                    if (sb.Length > 0 && sb[^1] is not (' ' or '('))
                    {
                        sb.Append(' ');
                    }

                    break;
                case CssTokenType.Comma:
                    if (sb.Length > 0 && sb[^1] == ' ')
                    {
                        sb.Length--;
                    }

                    sb.Append(", ");
                    break;
                case CssTokenType.OpenParen:
                    depth++;
                    sb.Append('(');
                    break;
                case CssTokenType.CloseParen:
                    if (--depth < 0)
                    {
                        return null;
                    }

                    sb.Append(')');
                    break;
                case CssTokenType.Delim when token.Value is "/" or "+" or "-" or "*" or "." or "%":
                    sb.Append(token.Value);
                    break;
                default:
                    // Colons (progid filters), braces, brackets, bad strings and bad URLs,
                    // CDO/CDC and any other delimiter: the whole declaration goes.
                    return null;
            }
        }

        // Close anything left open so the declaration cannot swallow what follows it.
        if (depth > 0)
        {
            return null;
        }

        return Trimmed(sb, trimStart: true);
    }

    private bool AppendUrl(StringBuilder sb, string raw)
    {
        if (IsForbiddenText(raw))
        {
            return false;
        }

        var url = context.RewriteImageUrl(raw);
        if (url is null)
        {
            return false;
        }

        sb.Append("url(");
        AppendString(sb, url);
        sb.Append(')');
        return true;
    }

    private static bool IsForbiddenText(string value)
    {
        // Called for every identifier and string: normalised on the stack, not copied to the heap.
        Span<char> buffer = value.Length <= 256 ? stackalloc char[value.Length] : new char[value.Length];
        ReadOnlySpan<char> normalized = buffer[..UrlPolicy.Normalize(value, buffer)];
        foreach (var word in ForbiddenWords)
        {
            if (normalized.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendNumeric(StringBuilder sb, CssToken token)
    {
        sb.Append(token.Value);
        if (token.Type == CssTokenType.Percentage)
        {
            sb.Append('%');
        }
        else if (token.Type == CssTokenType.Dimension)
        {
            // A unit starting with "e" after a number would read as an exponent: escape it.
            var unit = EscapeIdent(token.Unit);
            var readsAsExponent = unit.Length > 1 && unit[0] is 'e' or 'E' && (char.IsAsciiDigit(unit[1]) || unit[1] is '+' or '-');
            sb.Append(readsAsExponent ? "\\" + ((int)unit[0]).ToString("x", CultureInfo.InvariantCulture) + " " + unit[1..] : unit);
        }
    }

    /// <summary>Writes an identifier with every character outside [A-Za-z0-9_-] escaped (so no "&lt;", quote or backslash survives raw).</summary>
    internal static string EscapeIdent(string value)
    {
        if (IsPlainIdent(value))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var safe = char.IsAsciiLetter(c) || c == '_' || (i > 0 && (char.IsAsciiDigit(c) || c == '-'))
                       || (i == 0 && c == '-' && value.Length > 1 && !char.IsAsciiDigit(value[1]));
            if (safe)
            {
                sb.Append(c);
            }
            else
            {
                AppendHexEscape(sb, char.ConvertToUtf32(value, i));
                if (char.IsHighSurrogate(c) && i + 1 < value.Length)
                {
                    i++;
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>True when <see cref="EscapeIdent"/> would change nothing.</summary>
    private static bool IsPlainIdent(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var safe = char.IsAsciiLetter(c) || c == '_' || (i > 0 && (char.IsAsciiDigit(c) || c == '-'))
                       || (i == 0 && c == '-' && value.Length > 1 && !char.IsAsciiDigit(value[1]));
            if (!safe)
            {
                return false;
            }
        }

        return true;
    }

    private static string EscapeName(string value)
    {
        if (!value.AsSpan().ContainsAnyExcept(NameCharacters))
        {
            return value;
        }

        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '-')
            {
                sb.Append(c);
            }
            else
            {
                AppendHexEscape(sb, c);
            }
        }

        return sb.ToString();
    }

    private static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is '"' or '\\' or '<' or '>' or '&' or '\'' || c < 0x20 || c == 0x7F)
            {
                AppendHexEscape(sb, c);
            }
            else
            {
                sb.Append(c);
            }
        }

        sb.Append('"');
    }

    private static void AppendHexEscape(StringBuilder sb, int codePoint)
    {
        // CSS Syntax 3 §4.3.7: a hex escape ends at the first whitespace, which it consumes.
        sb.Append('\\').Append(codePoint.ToString("x", CultureInfo.InvariantCulture)).Append(' ');
    }
}
