using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>Content-Transfer-Encoding decoders and encoders (RFC 2045 §6), tolerant when decoding.</summary>
public static class TransferEncoding
{
    private static readonly sbyte[] Base64Map = BuildBase64Map();
    private static readonly byte[] Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8.ToArray();
    private static readonly byte[] HexUpper = "0123456789ABCDEF"u8.ToArray();

    private static sbyte[] BuildBase64Map()
    {
        var map = new sbyte[256];
        Array.Fill(map, (sbyte)-1);
        for (var i = 0; i < 64; i++)
        {
            map["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[i]] = (sbyte)i;
        }

        // Some broken encoders emit the URL-safe alphabet.
        map['-'] = 62;
        map['_'] = 63;
        return map;
    }

    /// <summary>Decodes content according to a Content-Transfer-Encoding name; unknown names leave it as is.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> content, string? transferEncoding, out bool hadErrors)
    {
        switch (transferEncoding)
        {
            case "base64":
                return DecodeBase64(content, out hadErrors);
            case "quoted-printable":
                return DecodeQuotedPrintable(content, out hadErrors);
            default:
                hadErrors = false;
                return content.ToArray();
        }
    }

    /// <summary>
    /// Decodes base64, skipping characters outside the alphabet (line breaks, spaces, junk) and
    /// tolerating missing or excess padding: a trailing group of 2 or 3 symbols still yields bytes.
    /// </summary>
    public static byte[] DecodeBase64(ReadOnlySpan<byte> input, out bool hadErrors)
    {
        // Size the output exactly for well-formed input (only CR/LF between symbols), so the
        // common case allocates the decoded size once and copies nothing.
        var symbols = input.Length - input.Count((byte)'\r') - input.Count((byte)'\n');
        var trimmed = input.TrimEnd("\r\n"u8);
        if (trimmed.EndsWith("=="u8))
        {
            symbols -= 2;
        }
        else if (trimmed.EndsWith("="u8))
        {
            symbols--;
        }

        var expected = Math.Max(0, symbols / 4 * 3 + (symbols % 4 == 0 ? 0 : Math.Max(0, symbols % 4 - 1)));
        // An upper bound: junk characters are counted as symbols but decode to nothing.
        var output = new byte[expected];
        var n = DecodeBase64(input, output, out hadErrors);
        if (n == output.Length)
        {
            return output;
        }

        return output.AsSpan(0, n).ToArray();
    }

    /// <summary>Decodes base64 into <paramref name="output"/> (at least 3/4 of the input long); returns the byte count.</summary>
    public static int DecodeBase64(ReadOnlySpan<byte> input, Span<byte> output, out bool hadErrors)
    {
        // Fast path: whole lines through the BCL's vectorised decoder; the first irregular line
        // (junk, odd length, padding) hands the rest to the tolerant decoder below.
        var n = 0;
        var i = 0;
        while (i < input.Length)
        {
            var rest = input[i..];
            var lineLength = rest.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineLength < 0)
            {
                lineLength = rest.Length;
            }

            var line = rest[..lineLength];
            if (line.Length == 0 || line.Length % 4 != 0 || line[^1] == '='
                || System.Buffers.Text.Base64.DecodeFromUtf8(line, output[n..], out var consumed, out var written, isFinalBlock: false) != System.Buffers.OperationStatus.Done
                || consumed != line.Length)
            {
                if (line.Length == 0 && lineLength < rest.Length)
                {
                    i++;
                    continue;
                }

                return n + DecodeBase64Tolerant(rest, output[n..], out hadErrors);
            }

            n += written;
            i += lineLength;
        }

        hadErrors = false;
        return n;
    }

    private static int DecodeBase64Tolerant(ReadOnlySpan<byte> input, Span<byte> output, out bool hadErrors)
    {
        hadErrors = false;
        var map = Base64Map;
        var n = 0;
        uint acc = 0;
        var bits = 0;
        var i = 0;
        // Fast path: whole 4-symbol groups with no junk, line by line.
        while (i < input.Length)
        {
            if (i + 4 <= input.Length)
            {
                int a = map[input[i]], b = map[input[i + 1]], c = map[input[i + 2]], d = map[input[i + 3]];
                if ((a | b | c | d) >= 0 && bits == 0 && n + 3 <= output.Length)
                {
                    var v = (a << 18) | (b << 12) | (c << 6) | d;
                    output[n] = (byte)(v >> 16);
                    output[n + 1] = (byte)(v >> 8);
                    output[n + 2] = (byte)v;
                    n += 3;
                    i += 4;
                    continue;
                }
            }

            var ch = input[i++];
            if (ch == '=')
            {
                // RFC 2045 §6.8: padding ends the data; anything after it is ignored.
                break;
            }

            int value = map[ch];
            if (value < 0)
            {
                if (ch is not ((byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t'))
                {
                    hadErrors = true;
                }

                continue;
            }

            acc = (acc << 6) | (byte)value;
            bits += 6;
            if (bits >= 8)
            {
                bits -= 8;
                if (n < output.Length)
                {
                    output[n++] = (byte)(acc >> bits);
                }
            }
        }

        if (bits >= 6)
        {
            // A single dangling symbol carries no full byte.
            hadErrors = true;
        }

        return n;
    }

    /// <summary>
    /// Decodes quoted-printable: <c>=XX</c> (either case), soft line breaks (<c>=</c> before CRLF
    /// or LF), trailing whitespace on lines removed (RFC 2045 §6.7 rule 3); an invalid <c>=</c>
    /// sequence is kept literally.
    /// </summary>
    public static byte[] DecodeQuotedPrintable(ReadOnlySpan<byte> input, out bool hadErrors)
    {
        var output = new byte[input.Length];
        var n = DecodeQuotedPrintable(input, output, out hadErrors, rfc2047: false);
        return output.AsSpan(0, n).ToArray();
    }

    internal static int DecodeQuotedPrintable(ReadOnlySpan<byte> input, Span<byte> output, out bool hadErrors, bool rfc2047)
    {
        hadErrors = false;
        var n = 0;
        var i = 0;
        // Output before this index came from escapes (=20 is meant) and is never trimmed.
        var protectedEnd = 0;
        while (i < input.Length)
        {
            var rest = input[i..];
            var special = rfc2047 ? rest.IndexOfAny((byte)'=', (byte)'_') : rest.IndexOfAny((byte)'=', (byte)'\n', (byte)'\r');
            if (special < 0)
            {
                rest.CopyTo(output[n..]);
                n += rest.Length;
                break;
            }

            rest[..special].CopyTo(output[n..]);
            n += special;
            i += special;
            var ch = input[i];
            if (ch == '_')
            {
                // RFC 2047 §4.2: underscore stands for space in the Q encoding.
                output[n++] = (byte)' ';
                i++;
            }
            else if (ch == '\r' || ch == '\n')
            {
                // Trailing whitespace before a hard line break was added in transport.
                while (n > protectedEnd && Bytes.IsWsp(output[n - 1]))
                {
                    n--;
                }

                output[n++] = ch;
                protectedEnd = n;
                i++;
            }
            else if (i + 2 < input.Length + 0 && Bytes.HexValue(input[i + 1]) >= 0 && Bytes.HexValue(input[i + 2]) >= 0)
            {
                output[n++] = (byte)((Bytes.HexValue(input[i + 1]) << 4) | Bytes.HexValue(input[i + 2]));
                protectedEnd = n;
                i += 3;
            }
            else
            {
                // Soft line break: '=' then optional whitespace then end of line.
                var j = i + 1;
                while (j < input.Length && Bytes.IsWsp(input[j]))
                {
                    j++;
                }

                if (j >= input.Length)
                {
                    i = j;
                    protectedEnd = n;
                }
                else if (input[j] == '\n')
                {
                    i = j + 1;
                    protectedEnd = n;
                }
                else if (input[j] == '\r')
                {
                    i = j + 1 < input.Length && input[j + 1] == '\n' ? j + 2 : j + 1;
                    protectedEnd = n;
                }
                else
                {
                    hadErrors = true;
                    output[n++] = (byte)'=';
                    i++;
                }
            }
        }

        return n;
    }

    /// <summary>Encodes bytes as base64 in lines of 76 characters (RFC 2045 §6.8), each ended by CRLF.</summary>
    public static byte[] EncodeBase64(ReadOnlySpan<byte> input)
    {
        var lines = (input.Length + 56) / 57;
        var output = new byte[(input.Length + 2) / 3 * 4 + lines * 2];
        var n = 0;
        for (var offset = 0; offset < input.Length; offset += 57)
        {
            var chunk = input.Slice(offset, Math.Min(57, input.Length - offset));
            System.Buffers.Text.Base64.EncodeToUtf8(chunk, output.AsSpan(n), out _, out var written);
            n += written;
            output[n++] = (byte)'\r';
            output[n++] = (byte)'\n';
        }

        return n == output.Length ? output : output.AsSpan(0, n).ToArray();
    }

    /// <summary>
    /// Encodes text bytes as quoted-printable (RFC 2045 §6.7): line breaks (CRLF or LF) become
    /// CRLF, lines are soft-broken before 76 characters, trailing whitespace and '=' are escaped.
    /// </summary>
    public static byte[] EncodeQuotedPrintable(ReadOnlySpan<byte> input)
    {
        using var output = new MemoryStream(input.Length + input.Length / 8 + 16);
        var lineLength = 0;
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            if (b == '\r' && i + 1 < input.Length && input[i + 1] == '\n')
            {
                continue;
            }

            if (b == '\n')
            {
                output.Write("\r\n"u8);
                lineLength = 0;
                continue;
            }

            var atLineEnd = i + 1 >= input.Length || input[i + 1] == '\n' || (input[i + 1] == '\r' && i + 2 < input.Length && input[i + 2] == '\n');
            var literal = (b >= 33 && b <= 126 && b != '=') || (Bytes.IsWsp(b) && !atLineEnd);
            // A line starting with '.' or "From " is safe through SMTP and mbox when escaped.
            if (lineLength == 0 && (b == '.' || (b == 'F' && input[i..].StartsWith("From "u8))))
            {
                literal = false;
            }

            var width = literal ? 1 : 3;
            if (lineLength + width > 75)
            {
                output.Write("=\r\n"u8);
                lineLength = 0;
            }

            if (literal)
            {
                output.WriteByte(b);
            }
            else
            {
                output.WriteByte((byte)'=');
                output.WriteByte(HexUpper[b >> 4]);
                output.WriteByte(HexUpper[b & 15]);
            }

            lineLength += width;
        }

        return output.ToArray();
    }

    internal static void EncodeBase64Chars(ReadOnlySpan<byte> input, System.Text.StringBuilder sb)
    {
        var i = 0;
        for (; i + 3 <= input.Length; i += 3)
        {
            var v = (input[i] << 16) | (input[i + 1] << 8) | input[i + 2];
            sb.Append((char)Base64Alphabet[(v >> 18) & 63]).Append((char)Base64Alphabet[(v >> 12) & 63])
              .Append((char)Base64Alphabet[(v >> 6) & 63]).Append((char)Base64Alphabet[v & 63]);
        }

        if (i + 1 == input.Length)
        {
            var v = input[i] << 16;
            sb.Append((char)Base64Alphabet[(v >> 18) & 63]).Append((char)Base64Alphabet[(v >> 12) & 63]).Append("==");
        }
        else if (i + 2 == input.Length)
        {
            var v = (input[i] << 16) | (input[i + 1] << 8);
            sb.Append((char)Base64Alphabet[(v >> 18) & 63]).Append((char)Base64Alphabet[(v >> 12) & 63])
              .Append((char)Base64Alphabet[(v >> 6) & 63]).Append('=');
        }
    }
}
