using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>
/// Mailbox name encoding of IMAP4rev1 (RFC 3501 §5.1.3): printable ASCII as is, '&amp;' as "&amp;-",
/// other characters as UTF-16 in modified BASE64 (',' instead of '/') between '&amp;' and '-'.
/// </summary>
public static class ModifiedUtf7
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    /// <summary>Encodes a mailbox name for the wire.</summary>
    public static string Encode(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        var pending = new List<byte>();
        foreach (var c in name)
        {
            if (c is >= (char)0x20 and <= (char)0x7e)
            {
                Flush();
                sb.Append(c == '&' ? "&-" : c.ToString());
            }
            else
            {
                pending.Add((byte)(c >> 8));
                pending.Add((byte)c);
            }
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            if (pending.Count == 0)
            {
                return;
            }
            sb.Append('&');
            int bits = 0, buffer = 0;
            foreach (var b in pending)
            {
                buffer = (buffer << 8) | b;
                bits += 8;
                while (bits >= 6)
                {
                    bits -= 6;
                    sb.Append(Alphabet[(buffer >> bits) & 0x3f]);
                }
            }
            if (bits > 0)
            {
                sb.Append(Alphabet[(buffer << (6 - bits)) & 0x3f]);
            }
            sb.Append('-');
            pending.Clear();
        }
    }

    /// <summary>Decodes a wire mailbox name; malformed sequences are kept as they are.</summary>
    public static string Decode(string encoded)
    {
        if (!encoded.Contains('&', StringComparison.Ordinal))
        {
            return encoded;
        }
        var sb = new StringBuilder(encoded.Length);
        var i = 0;
        while (i < encoded.Length)
        {
            var c = encoded[i];
            if (c != '&')
            {
                sb.Append(c);
                i++;
                continue;
            }
            var end = encoded.IndexOf('-', i + 1);
            if (end < 0)
            {
                sb.Append(encoded, i, encoded.Length - i);
                break;
            }
            if (end == i + 1)
            {
                sb.Append('&');
                i = end + 1;
                continue;
            }
            int bits = 0, buffer = 0;
            var bytes = new List<byte>();
            var ok = true;
            for (var k = i + 1; k < end; k++)
            {
                var v = Alphabet.IndexOf(encoded[k], StringComparison.Ordinal);
                if (v < 0)
                {
                    ok = false;
                    break;
                }
                buffer = (buffer << 6) | v;
                bits += 6;
                if (bits >= 8)
                {
                    bits -= 8;
                    bytes.Add((byte)(buffer >> bits));
                }
            }
            if (!ok || bytes.Count % 2 != 0)
            {
                sb.Append(encoded, i, end - i + 1);
            }
            else
            {
                for (var k = 0; k < bytes.Count; k += 2)
                {
                    sb.Append((char)((bytes[k] << 8) | bytes[k + 1]));
                }
            }
            i = end + 1;
        }
        return sb.ToString();
    }
}
