using System.Text;

namespace MSSante.Mime.Internal;

/// <summary>Small helpers over bytes; structure is always found on bytes before text is decoded.</summary>
internal static class Bytes
{
    public static bool IsWsp(byte b) => b == (byte)' ' || b == (byte)'\t';

    public static bool IsAscii(ReadOnlySpan<byte> span) => System.Text.Ascii.IsValid(span);

    /// <summary>Decodes header bytes: UTF-8 when valid (RFC 6532), else windows-1252 (what broken clients send).</summary>
    public static string DecodeHeaderText(ReadOnlySpan<byte> raw)
    {
        if (System.Text.Ascii.IsValid(raw))
        {
            return Encoding.ASCII.GetString(raw);
        }

        if (System.Text.Unicode.Utf8.IsValid(raw))
        {
            return Encoding.UTF8.GetString(raw);
        }

        return Charsets.Windows1252.GetString(raw);
    }

    /// <summary>Unfolds (removes CR and LF of folded lines) and decodes a raw header value, trimming outer whitespace.</summary>
    public static string UnfoldToText(ReadOnlySpan<byte> raw)
    {
        var start = 0;
        var end = raw.Length;
        while (start < end && (IsWsp(raw[start]) || raw[start] == '\r' || raw[start] == '\n'))
        {
            start++;
        }

        while (end > start && (IsWsp(raw[end - 1]) || raw[end - 1] == '\r' || raw[end - 1] == '\n'))
        {
            end--;
        }

        raw = raw[start..end];
        if (raw.IndexOfAny((byte)'\r', (byte)'\n') < 0)
        {
            return DecodeHeaderText(raw);
        }

        // RFC 5322 §2.2.3: unfolding removes the CRLF, keeping the whitespace that follows.
        var buffer = raw.Length <= 1024 ? stackalloc byte[raw.Length] : new byte[raw.Length];
        var n = 0;
        foreach (var b in raw)
        {
            if (b != '\r' && b != '\n')
            {
                buffer[n++] = b;
            }
        }

        return DecodeHeaderText(buffer[..n]);
    }

    public static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };

    /// <summary>Index of the end of the line starting at <paramref name="pos"/> (position of LF, or <paramref name="end"/>).</summary>
    public static int LineEnd(ReadOnlySpan<byte> data, int pos, int end)
    {
        var i = data[pos..end].IndexOf((byte)'\n');
        return i < 0 ? end : pos + i;
    }
}
