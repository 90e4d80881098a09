using System.Collections.Concurrent;
using System.Text;

namespace MSSante.Mime.Internal;

/// <summary>
/// Charset lookup and decoding with a visible fallback. The code-pages provider is registered
/// once here, so every charset System.Text.Encoding.CodePages knows is available.
/// </summary>
internal static class Charsets
{
    private static readonly ConcurrentDictionary<string, Encoding?> Cache = new(StringComparer.OrdinalIgnoreCase);

    static Charsets()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Windows1252 = Encoding.GetEncoding(1252, EncoderFallback.ReplacementFallback, DecoderFallback.ReplacementFallback);
        StrictUtf8 = new UTF8Encoding(false, true);
    }

    public static Encoding Windows1252 { get; }

    public static UTF8Encoding StrictUtf8 { get; }

    /// <summary>Finds an encoding by MIME charset name, or null when unknown.</summary>
    public static Encoding? Get(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        return Cache.GetOrAdd(name.Trim().Trim('"', '\''), static n => Lookup(n));
    }

    private static Encoding? Lookup(string name)
    {
        var n = name.ToLowerInvariant();
        // RFC 2231 §5: a language may follow the charset after '*' inside encoded words.
        var star = n.IndexOf('*', StringComparison.Ordinal);
        if (star > 0)
        {
            n = n[..star];
        }

        n = n switch
        {
            "utf8" or "utf-8" or "unicode-1-1-utf-8" or "x-unicode20utf8" => "utf-8",
            "latin1" or "latin-1" or "l1" or "iso8859-1" or "iso_8859-1" or "iso-8859-1" or "iso-ir-100" or "cp819" or "ibm819" => "iso-8859-1",
            "latin9" or "latin-9" or "iso8859-15" or "iso_8859-15" => "iso-8859-15",
            "mac" or "macroman" or "mac-roman" or "x-mac-roman" or "x-mac" or "macintosh" => "macintosh",
            "ascii" or "us-ascii" or "ansi_x3.4-1968" or "iso646-us" or "646" or "us" => "us-ascii",
            "ks_c_5601-1987" or "ks_c_5601" or "ksc5601" => "ks_c_5601-1987",
            "gb2312" or "gbk" or "x-gbk" or "cp936" => "gbk",
            "sjis" or "shift-jis" or "x-sjis" or "ms_kanji" => "shift_jis",
            _ => n,
        };

        if (n.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(n.AsSpan(2), out var cp))
        {
            n = cp is >= 1250 and <= 1258 ? "windows-" + cp : "ibm" + cp.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (n.StartsWith("iso8859-", StringComparison.Ordinal) || n.StartsWith("iso_8859-", StringComparison.Ordinal))
        {
            n = "iso-8859-" + n[(n.IndexOf('-') + 1)..];
        }

        try
        {
            // iso-8859-1 bytes 0x80-0x9F are C1 controls nobody means: read them as windows-1252
            // like every browser does (the WHATWG Encoding Standard maps the label the same way).
            return n == "iso-8859-1" ? Windows1252 : Encoding.GetEncoding(n);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// Decodes text in the declared charset. Unknown charsets and bytes invalid in a declared
    /// UTF-8 or US-ASCII fall back to UTF-8 (when valid) or windows-1252, with a warning.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> bytes, string? charset, out MimeWarningCode? warning, out string usedCharset)
    {
        warning = null;
        var declared = charset?.Trim().Trim('"').ToLowerInvariant();
        var encoding = Get(declared);
        if (encoding is null && !string.IsNullOrEmpty(declared))
        {
            warning = MimeWarningCode.UnknownCharset;
        }

        if (encoding is null || encoding.CodePage is 65001 or 20127)
        {
            if (System.Text.Ascii.IsValid(bytes))
            {
                usedCharset = encoding?.WebName ?? "us-ascii";
                return Encoding.ASCII.GetString(bytes);
            }

            if (System.Text.Unicode.Utf8.IsValid(bytes))
            {
                if (encoding is { CodePage: 20127 })
                {
                    warning = MimeWarningCode.InvalidCharsetData;
                }

                usedCharset = "utf-8";
                return StripBom(Encoding.UTF8.GetString(bytes));
            }

            warning ??= MimeWarningCode.InvalidCharsetData;
            if (encoding is { CodePage: 65001 } && HasValidMultibyteUtf8(bytes))
            {
                // Really UTF-8 with damaged bytes: keep the good characters, mark the bad ones.
                usedCharset = "utf-8";
                return StripBom(Encoding.UTF8.GetString(bytes));
            }

            // Labelled UTF-8 or ASCII but written in a legacy 8-bit charset (the "Mac/PC" garbling).
            usedCharset = "windows-1252";
            return Windows1252.GetString(bytes);
        }

        usedCharset = encoding.WebName;
        return StripBom(encoding.GetString(bytes));
    }

    private static bool HasValidMultibyteUtf8(ReadOnlySpan<byte> bytes)
    {
        for (var i = 0; i + 1 < bytes.Length; i++)
        {
            var b = bytes[i];
            var length = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b <= 0xDF ? 2 : 0;
            if (b >= 0xF5 || length == 0 || i + length > bytes.Length)
            {
                continue;
            }

            if (System.Text.Unicode.Utf8.IsValid(bytes.Slice(i, length)))
            {
                return true;
            }
        }

        return false;
    }

    private static string StripBom(string s) => s.Length > 0 && s[0] == '\uFEFF' ? s[1..] : s;
}
