namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>What a URL found in a message is, once normalised the way a browser would read it.</summary>
internal enum UrlKind
{
    /// <summary>Anything else: javascript:, vbscript:, data: other than raster images, relative URLs, unknown schemes.</summary>
    Forbidden,

    /// <summary>http: or https: with a host.</summary>
    Remote,

    /// <summary>mailto:.</summary>
    Mailto,

    /// <summary>A fragment within the message (<c>#section</c>).</summary>
    Fragment,

    /// <summary>data:image/(png|gif|jpeg|webp);base64,...</summary>
    DataImage,

    /// <summary>cid: (RFC 2392), an inline part of the message.</summary>
    Cid,
}

/// <summary>
/// URL normalisation and classification. Attribute values reach us with entities already decoded
/// by the HTML5 parser; what remains is what browsers forgive: leading/trailing C0 controls and
/// spaces, tabs and newlines anywhere (WHATWG URL "remove all ASCII tab or newline"), backslashes
/// read as slashes, and case. We are stricter than the browser: every control character and
/// every kind of whitespace is removed before the scheme is read, so "java&#x09;script:",
/// "jav&#10;ascript:" and "\u0001javascript:" all read as "javascript:".
/// </summary>
internal static class UrlPolicy
{
    private static readonly string[] DataImagePrefixes =
    [
        "data:image/png;base64,",
        "data:image/gif;base64,",
        "data:image/jpeg;base64,",
        "data:image/jpg;base64,",
        "data:image/webp;base64,",
    ];

    /// <summary>Removes what browsers ignore in a URL and what we refuse to guess about.</summary>
    public static string Normalize(string value)
    {
        // Most values (style keywords, ordinary URLs) have nothing to remove: no copy then.
        var first = 0;
        while (first < value.Length && !IsIgnored(value[first]) && value[first] != '\\')
        {
            first++;
        }

        if (first == value.Length)
        {
            return value;
        }

        Span<char> buffer = value.Length <= 512 ? stackalloc char[value.Length] : new char[value.Length];
        return new string(buffer[..Normalize(value, buffer)]);
    }

    /// <summary>
    /// Writes the normalised form of <paramref name="value"/> into <paramref name="destination"/>
    /// (at least as long as the value) and returns its length: the same text as
    /// <see cref="Normalize(string)"/>, without allocating.
    /// </summary>
    public static int Normalize(ReadOnlySpan<char> value, Span<char> destination)
    {
        var n = 0;
        foreach (var c in value)
        {
            if (IsIgnored(c))
            {
                continue;
            }

            destination[n++] = c == '\\' ? '/' : c;
        }

        return n;
    }

    private static bool IsIgnored(char c) =>
        c <= 0x20 || c is >= '\u007f' and <= '\u00a0' || char.IsWhiteSpace(c)
        || c is '\u200b' or '\u200c' or '\u200d' or '\u2060' or '\ufeff' or '\u00ad';

    /// <summary>Classifies <paramref name="raw"/>; <paramref name="normalized"/> is the value to write back.</summary>
    public static UrlKind Classify(string raw, out string normalized)
    {
        normalized = Normalize(raw);
        if (normalized.Length == 0)
        {
            return UrlKind.Forbidden;
        }

        if (normalized[0] == '#')
        {
            return UrlKind.Fragment;
        }

        var scheme = SchemeOf(normalized);
        switch (scheme)
        {
            case "http":
            case "https":
                // WHATWG URL: special schemes ignore any number of slashes after the colon; we
                // require a parsable absolute URL with a host and write back its canonical form.
                if (Uri.TryCreate(normalized, UriKind.Absolute, out var uri)
                    && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                    && !string.IsNullOrEmpty(uri.Host))
                {
                    normalized = uri.AbsoluteUri;
                    return UrlKind.Remote;
                }

                return UrlKind.Forbidden;
            case "mailto":
                return UrlKind.Mailto;
            case "cid":
                return normalized.Length > 4 ? UrlKind.Cid : UrlKind.Forbidden;
            case "data":
                foreach (var prefix in DataImagePrefixes)
                {
                    if (normalized.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && IsBase64(normalized.AsSpan(prefix.Length)))
                    {
                        return UrlKind.DataImage;
                    }
                }

                return UrlKind.Forbidden;
            default:
                // Relative and protocol-relative URLs would resolve against the webmail itself
                // (about:srcdoc inherits the parent's base URL): never allowed.
                return UrlKind.Forbidden;
        }
    }

    /// <summary>The lower-case scheme, or null when the URL has none (relative).</summary>
    private static string? SchemeOf(string url)
    {
        // RFC 3986 §3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        for (var i = 0; i < url.Length; i++)
        {
            var c = url[i];
            if (c == ':')
            {
                return i == 0 ? null : url[..i].ToLowerInvariant();
            }

            var ok = char.IsAsciiLetter(c) || (i > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'));
            if (!ok)
            {
                return null;
            }
        }

        return null;
    }

    private static bool IsBase64(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '%'))
            {
                return false;
            }
        }

        return true;
    }
}
