using System.Globalization;
using System.Text;

namespace MSSante.Mime.Internal;

/// <summary>Formats header values: encoded words or raw UTF-8, quoting, parameters, folding at 78 characters.</summary>
internal static class HeaderFormatter
{
    private const int FoldWidth = 78;

    /// <summary>Builds a header whose value is folded at whitespace (RFC 5322 §2.2.3) outside quoted strings.</summary>
    public static Header Create(string name, string value)
    {
        var folded = Fold(name.Length + 2, value);
        return new Header(name, Encoding.UTF8.GetBytes(" " + folded));
    }

    public static string Unstructured(string text, MimeFormatOptions options)
    {
        text = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return options.SmtpUtf8 && !text.Contains("=?", StringComparison.Ordinal) ? text : EncodedWords.Encode(text);
    }

    public static string Mailbox(MailboxAddress mailbox, MimeFormatOptions options)
    {
        var address = AddrSpec(mailbox.Address, options);
        if (string.IsNullOrWhiteSpace(mailbox.DisplayName))
        {
            return address;
        }

        return Phrase(mailbox.DisplayName, options) + " <" + address + ">";
    }

    public static string Mailboxes(IEnumerable<MailboxAddress> list, MimeFormatOptions options) =>
        string.Join(", ", list.Select(m => Mailbox(m, options)));

    // RFC 5322 §3.2.5 phrase: atoms as they are, otherwise a quoted string, or encoded words (RFC 2047 §5 rule 3).
    public static string Phrase(string text, MimeFormatOptions options)
    {
        text = text.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();
        if (!Ascii.IsValid(text) && !options.SmtpUtf8)
        {
            return EncodedWords.Encode(text);
        }

        if (text.All(c => char.IsAsciiLetterOrDigit(c) || c == ' ' || c > 127 || "!#$%&'*+-/=?^_`{|}~".Contains(c, StringComparison.Ordinal))
            && !text.Contains("=?", StringComparison.Ordinal) && !text.Contains("  ", StringComparison.Ordinal))
        {
            return text;
        }

        return "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }

    public static string AddrSpec(string address, MimeFormatOptions options)
    {
        var at = address.LastIndexOf('@');
        if (at < 0)
        {
            return address;
        }

        var local = address[..at];
        var domain = address[(at + 1)..];
        if (!Ascii.IsValid(domain) && !options.SmtpUtf8)
        {
            domain = new IdnMapping().GetAscii(domain);
        }

        if (!Ascii.IsValid(local) && !options.SmtpUtf8)
        {
            throw new InvalidOperationException("A non-ASCII local part needs a server with SMTPUTF8 (RFC 6531): " + address);
        }

        return local + "@" + domain;
    }

    /// <summary>
    /// A parameter (RFC 2045 §5.1): a token or quoted string when ASCII, else RFC 2231 §4
    /// <c>name*=utf-8''...</c>, split into <c>name*0*</c>, <c>name*1*</c>... continuations (§3) when long.
    /// </summary>
    public static string Parameter(string name, string value, MimeFormatOptions options)
    {
        if (Ascii.IsValid(value) && value.Length <= 60 && !value.Any(char.IsControl))
        {
            return name + "=\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        if (options.SmtpUtf8 && value.Length <= 60)
        {
            return name + "=\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
        }

        var encoded = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'.' or (byte)'-' or (byte)'_')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        var full = encoded.ToString();
        if (full.Length <= 60)
        {
            return name + "*=utf-8''" + full;
        }

        var parts = new List<string>();
        var index = 0;
        var pos = 0;
        while (pos < full.Length)
        {
            var length = Math.Min(60, full.Length - pos);
            // Never split a %XX escape.
            if (pos + length < full.Length)
            {
                var pct = full.LastIndexOf('%', pos + length - 1, Math.Min(2, length));
                if (pct >= 0)
                {
                    length = pct - pos;
                }
            }

            parts.Add(name + "*" + index.ToString(CultureInfo.InvariantCulture) + "*=" + (index == 0 ? "utf-8''" : string.Empty) + full.Substring(pos, length));
            pos += length;
            index++;
        }

        return string.Join("; ", parts);
    }

    /// <summary>Folds at spaces outside quoted strings so no line passes 78 characters where a space allows.</summary>
    public static string Fold(int used, string value)
    {
        if (used + value.Length <= FoldWidth)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 16);
        var lineLength = used;
        var inQuote = false;
        var tokenStart = 0;
        for (var i = 0; i <= value.Length; i++)
        {
            if (i < value.Length)
            {
                var c = value[i];
                if (c == '"' && (i == 0 || value[i - 1] != '\\'))
                {
                    inQuote = !inQuote;
                }

                if (c != ' ' || inQuote)
                {
                    continue;
                }
            }

            var token = value.AsSpan(tokenStart, i - tokenStart);
            if (tokenStart > 0)
            {
                if (lineLength + 1 + token.Length > FoldWidth && lineLength > 1)
                {
                    sb.Append("\r\n ");
                    lineLength = 1;
                }
                else
                {
                    sb.Append(' ');
                    lineLength++;
                }
            }

            sb.Append(token);
            lineLength += token.Length;
            tokenStart = i + 1;
        }

        return sb.ToString();
    }
}
