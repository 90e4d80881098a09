using System.Text;

namespace MSSante.Mime;

/// <summary>
/// A tolerant RFC 5322 §3.4 address-list parser: display names with encoded words, quoted
/// strings, comments, groups, obsolete routes and missing angle brackets. Never throws.
/// </summary>
public static class AddressParser
{
    private enum Kind { Atom, Quoted, Comment, Special }

    private readonly record struct Token(Kind Kind, string Text, bool SpaceBefore);

    /// <summary>Parses an unfolded header value (encoded words not yet decoded) into addresses.</summary>
    public static IReadOnlyList<InternetAddress> Parse(string value)
    {
        var tokens = Tokenize(value);
        var result = new List<InternetAddress>();
        var i = 0;
        while (i < tokens.Count)
        {
            var entry = ParseEntry(tokens, ref i, inGroup: false, out var group);
            if (group is not null)
            {
                result.Add(group);
            }
            else if (entry is not null)
            {
                result.Add(entry);
            }
        }

        return result;
    }

    private static InternetAddress? ParseEntry(List<Token> tokens, ref int i, bool inGroup, out GroupAddress? group)
    {
        group = null;
        var phrase = new List<Token>();
        var comments = new List<string>();
        string? angle = null;
        var sawAt = false;
        while (i < tokens.Count)
        {
            var t = tokens[i];
            sawAt |= t.Kind == Kind.Special && t.Text == "@";
            if (t.Kind == Kind.Special && t.Text == ",")
            {
                i++;
                break;
            }

            if (t.Kind == Kind.Special && t.Text == ";" && inGroup)
            {
                break;
            }

            if (t.Kind == Kind.Special && t.Text == ":" && !inGroup && angle is null && !sawAt)
            {
                i++;
                var members = new List<MailboxAddress>();
                while (i < tokens.Count && !(tokens[i].Kind == Kind.Special && tokens[i].Text == ";"))
                {
                    if (ParseEntry(tokens, ref i, inGroup: true, out _) is MailboxAddress m)
                    {
                        members.Add(m);
                    }
                }

                i++; // ';'
                group = new GroupAddress(PhraseText(phrase), members);
                // Skip to the next comma.
                while (i < tokens.Count && !(tokens[i].Kind == Kind.Special && tokens[i].Text == ","))
                {
                    i++;
                }

                i++;
                return null;
            }

            if (t.Kind == Kind.Special && t.Text == "<")
            {
                i++;
                var sb = new StringBuilder();
                var route = false;
                while (i < tokens.Count && !(tokens[i].Kind == Kind.Special && tokens[i].Text == ">"))
                {
                    var a = tokens[i++];
                    if (a.Kind == Kind.Comment)
                    {
                        continue;
                    }

                    if (a.Kind == Kind.Special && a.Text == ":" && sb.Length > 0 && sb[0] == '@')
                    {
                        // RFC 5322 §4.4 obs-route: "<@a,@b:user@domain>".
                        route = true;
                        sb.Clear();
                        continue;
                    }

                    sb.Append(a.Kind == Kind.Quoted ? Quote(a.Text) : a.Text);
                }

                _ = route;
                i++; // '>'
                angle = sb.ToString();
                continue;
            }

            if (t.Kind == Kind.Comment)
            {
                comments.Add(t.Text);
                i++;
                continue;
            }

            if (angle is null)
            {
                phrase.Add(t);
            }

            i++;
        }

        if (angle is not null)
        {
            var name = PhraseText(phrase);
            return new MailboxAddress(name.Length == 0 ? null : name, angle.Trim());
        }

        if (phrase.Count == 0)
        {
            return null;
        }

        // A bare addr-spec: join its tokens without the folding whitespace.
        var addr = new StringBuilder();
        foreach (var t in phrase)
        {
            addr.Append(t.Kind == Kind.Quoted ? Quote(t.Text) : t.Text);
        }

        var address = addr.ToString();
        if (!address.Contains('@', StringComparison.Ordinal) && phrase.Count > 1)
        {
            // "Jean Dupont" with no address at all: keep the words as the address text.
            address = PhraseText(phrase);
        }

        var commentName = comments.Count > 0 ? EncodedWords.Decode(comments[^1]).Trim() : null;
        return new MailboxAddress(string.IsNullOrEmpty(commentName) ? null : commentName, address);
    }

    private static string Quote(string s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || "()<>[]:;@\\,.\"".Contains(c, StringComparison.Ordinal))
            {
                return "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
            }
        }

        return s;
    }

    // RFC 2047 §6.2: whitespace between adjacent encoded words is not displayed.
    private static string PhraseText(List<Token> phrase)
    {
        var sb = new StringBuilder();
        var previousWasEncoded = false;
        foreach (var t in phrase)
        {
            var isEncoded = t.Kind == Kind.Atom && t.Text.StartsWith("=?", StringComparison.Ordinal) && t.Text.EndsWith("?=", StringComparison.Ordinal);
            if (sb.Length > 0 && t.SpaceBefore && !(isEncoded && previousWasEncoded))
            {
                sb.Append(' ');
            }

            sb.Append(t.Text);
            previousWasEncoded = isEncoded;
        }

        var text = sb.ToString();
        return (text.Contains("=?", StringComparison.Ordinal) ? EncodedWords.Decode(text) : text).Trim();
    }

    private static List<Token> Tokenize(string s)
    {
        var tokens = new List<Token>();
        var i = 0;
        var space = false;
        while (i < s.Length)
        {
            var c = s[i];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                space = true;
                i++;
                continue;
            }

            if (c == '"')
            {
                var sb = new StringBuilder();
                i++;
                while (i < s.Length && s[i] != '"')
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        i++;
                    }

                    sb.Append(s[i++]);
                }

                i++;
                var text = sb.ToString();
                // Encoded words inside quoted strings are not legal but common (RFC 2047 §5 rule 3).
                if (text.Contains("=?", StringComparison.Ordinal))
                {
                    text = EncodedWords.Decode(text);
                }

                tokens.Add(new Token(Kind.Quoted, text, space));
            }
            else if (c == '(')
            {
                var depth = 0;
                var sb = new StringBuilder();
                for (; i < s.Length; i++)
                {
                    if (s[i] == '\\' && i + 1 < s.Length)
                    {
                        sb.Append(s[++i]);
                        continue;
                    }

                    if (s[i] == '(')
                    {
                        if (depth++ > 0)
                        {
                            sb.Append('(');
                        }

                        continue;
                    }

                    if (s[i] == ')')
                    {
                        if (--depth == 0)
                        {
                            i++;
                            break;
                        }

                        sb.Append(')');
                        continue;
                    }

                    sb.Append(s[i]);
                }

                tokens.Add(new Token(Kind.Comment, sb.ToString(), space));
            }
            else if (c is '<' or '>' or ',' or ';' or ':' or '@')
            {
                tokens.Add(new Token(Kind.Special, c.ToString(), space));
                i++;
            }
            else
            {
                var start = i;
                while (i < s.Length && s[i] is not (' ' or '\t' or '\r' or '\n' or '"' or '(' or '<' or '>' or ',' or ';' or ':' or '@'))
                {
                    i++;
                }

                tokens.Add(new Token(Kind.Atom, s[start..i], space));
            }

            space = false;
        }

        return tokens;
    }
}
