using System.Text;
using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>RFC 2047 encoded words: decoding of header text and encoding of non-ASCII header text.</summary>
public static class EncodedWords
{
    /// <summary>
    /// Decodes the encoded words in unstructured header text (RFC 2047 §6.2): whitespace between
    /// adjacent encoded words is dropped, and consecutive words in the same charset are decoded
    /// together so a multibyte character split across two words comes out whole.
    /// </summary>
    public static string Decode(string text)
    {
        if (!text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var pending = new List<byte>();
        string? pendingCharset = null;
        var pos = 0;
        var lastWasWord = false;
        var wordLimit = -1;
        while (pos < text.Length)
        {
            var start = text.IndexOf("=?", pos, StringComparison.Ordinal);
            if (start < 0)
            {
                Flush(sb, pending, ref pendingCharset);
                sb.Append(text, pos, text.Length - pos);
                break;
            }

            if (start >= wordLimit)
            {
                // Encoded words never contain whitespace (RFC 2047 §5): find where this word ends, once.
                var space = text.AsSpan(start).IndexOfAny(' ', '\t');
                wordLimit = space < 0 ? text.Length : start + space;
            }

            if (!TryParseWord(text, start, wordLimit, out var charset, out var bytes, out var wordEnd))
            {
                // wordEnd tells how far no encoded word can start, which keeps hostile input linear.
                var skip = Math.Max(start + 2, wordEnd);
                Flush(sb, pending, ref pendingCharset);
                sb.Append(text, pos, skip - pos);
                pos = skip;
                lastWasWord = false;
                continue;
            }

            var between = text.AsSpan(pos, start - pos);
            var onlySpace = between.IsWhiteSpace();
            if (!(lastWasWord && onlySpace))
            {
                Flush(sb, pending, ref pendingCharset);
                sb.Append(between);
            }

            if (pendingCharset is not null && !string.Equals(pendingCharset, charset, StringComparison.OrdinalIgnoreCase))
            {
                Flush(sb, pending, ref pendingCharset);
            }

            pendingCharset = charset;
            pending.AddRange(bytes);
            pos = wordEnd;
            lastWasWord = true;
        }

        Flush(sb, pending, ref pendingCharset);
        return sb.ToString();
    }

    private static void Flush(StringBuilder sb, List<byte> pending, ref string? charset)
    {
        if (pending.Count == 0)
        {
            charset = null;
            return;
        }

        var bytes = pending.ToArray();
        sb.Append(Charsets.Decode(bytes, charset, out _, out _).Replace('\r', ' ').Replace('\n', ' '));
        pending.Clear();
        charset = null;
    }

    /// <summary>Parses one encoded word <c>=?charset?B|Q?text?=</c> starting at <paramref name="start"/>.</summary>
    internal static bool TryParseWord(string text, int start, int limit, out string charset, out byte[] bytes, out int end)
    {
        charset = string.Empty;
        bytes = [];
        end = start;
        var q1 = text.AsSpan(start + 2, limit - start - 2).IndexOf('?');
        if (q1 < 0)
        {
            end = limit;
            return false;
        }

        q1 += start + 2;
        if (q1 == start + 2 || q1 - start > 80 || q1 + 2 >= limit || text[q1 + 2] != '?')
        {
            return false;
        }

        var enc = char.ToUpperInvariant(text[q1 + 1]);
        if (enc is not ('B' or 'Q'))
        {
            return false;
        }

        var close = text.AsSpan(q1 + 3, limit - q1 - 3).IndexOf("?=");
        if (close < 0)
        {
            end = limit;
            return false;
        }

        close += q1 + 3;
        var payload = text.AsSpan(q1 + 3, close - q1 - 3);

        charset = text.Substring(start + 2, q1 - start - 2);
        var raw = new byte[payload.Length];
        for (var i = 0; i < payload.Length; i++)
        {
            raw[i] = payload[i] < 256 ? (byte)payload[i] : (byte)'?';
        }

        if (enc == 'B')
        {
            bytes = TransferEncoding.DecodeBase64(raw, out _);
        }
        else
        {
            var output = new byte[raw.Length];
            var n = TransferEncoding.DecodeQuotedPrintable(raw, output, out _, rfc2047: true);
            bytes = output.AsSpan(0, n).ToArray();
        }

        end = close + 2;
        return true;
    }

    /// <summary>
    /// Encodes text for an unstructured header: ASCII text is returned as is; otherwise the text
    /// becomes UTF-8 encoded words (B or Q, whichever is shorter), each at most 75 characters,
    /// separated by a space so the header can be folded between them (RFC 2047 §2).
    /// </summary>
    public static string Encode(string text)
    {
        if (Ascii.IsValid(text) && !text.Contains("=?", StringComparison.Ordinal))
        {
            return text;
        }

        var words = new List<string>();
        var chunk = new StringBuilder();
        var utf8 = Encoding.UTF8;
        var enumerator = System.Globalization.StringInfo.GetTextElementEnumerator(text);
        var chunkBytes = 0;
        while (enumerator.MoveNext())
        {
            var element = (string)enumerator.Current;
            var count = utf8.GetByteCount(element);
            // 75 - "=?UTF-8?B??=".Length = 63 encoded characters, i.e. 45 bytes in B.
            if (chunkBytes + count > 45 && chunk.Length > 0)
            {
                words.Add(EncodeWord(chunk.ToString()));
                chunk.Clear();
                chunkBytes = 0;
            }

            chunk.Append(element);
            chunkBytes += count;
        }

        if (chunk.Length > 0)
        {
            words.Add(EncodeWord(chunk.ToString()));
        }

        return string.Join(' ', words);
    }

    private static string EncodeWord(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var q = new StringBuilder("=?UTF-8?Q?");
        foreach (var b in bytes)
        {
            if (b == ' ')
            {
                q.Append('_');
            }
            else if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'!' or (byte)'*' or (byte)'+' or (byte)'-' or (byte)'/')
            {
                q.Append((char)b);
            }
            else
            {
                q.Append('=').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        q.Append("?=");
        var b64 = new StringBuilder("=?UTF-8?B?");
        TransferEncoding.EncodeBase64Chars(bytes, b64);
        b64.Append("?=");
        return q.Length <= b64.Length ? q.ToString() : b64.ToString();
    }
}
