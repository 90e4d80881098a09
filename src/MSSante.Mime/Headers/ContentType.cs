namespace MSSante.Mime;

/// <summary>A parsed Content-Type field (RFC 2045 §5): media type, subtype and parameters.</summary>
public sealed class ContentType
{
    /// <summary>Creates a content type; type and subtype are stored in lower case.</summary>
    public ContentType(string mediaType, string mediaSubtype, ParameterList? parameters = null)
    {
        MediaType = mediaType.ToLowerInvariant();
        MediaSubtype = mediaSubtype.ToLowerInvariant();
        Parameters = parameters ?? new ParameterList();
    }

    /// <summary>The default for a part without Content-Type (RFC 2045 §5.2).</summary>
    public static ContentType TextPlain => new("text", "plain");

    /// <summary>Top-level type, lower case ("text", "multipart"...).</summary>
    public string MediaType { get; }

    /// <summary>Subtype, lower case ("plain", "mixed"...).</summary>
    public string MediaSubtype { get; }

    /// <summary>"type/subtype" in lower case.</summary>
    public string MimeType => MediaType + "/" + MediaSubtype;

    /// <summary>The parameters, RFC 2231 decoded.</summary>
    public ParameterList Parameters { get; }

    /// <summary>The charset parameter, or null.</summary>
    public string? Charset => Parameters["charset"];

    /// <summary>The boundary parameter of a multipart, or null.</summary>
    public string? Boundary => Parameters["boundary"];

    /// <summary>The (obsolete but common) name parameter, or null.</summary>
    public string? Name => Parameters["name"];

    /// <summary>True for the given type and subtype (case-insensitive; "*" matches any subtype).</summary>
    public bool Is(string mediaType, string mediaSubtype) =>
        string.Equals(MediaType, mediaType, StringComparison.OrdinalIgnoreCase)
        && (mediaSubtype == "*" || string.Equals(MediaSubtype, mediaSubtype, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Parses a Content-Type value. A value without a valid "type/subtype" gives
    /// <paramref name="fallback"/> (text/plain unless inside multipart/digest), as RFC 2045 §5.2 says.
    /// </summary>
    public static ContentType Parse(string value, ContentType? fallback = null)
    {
        var semi = value.IndexOf(';', StringComparison.Ordinal);
        var typePart = (semi < 0 ? value : value[..semi]).Trim();
        var comment = typePart.IndexOf('(', StringComparison.Ordinal);
        if (comment >= 0)
        {
            typePart = typePart[..comment].Trim();
        }

        var slash = typePart.IndexOf('/', StringComparison.Ordinal);
        var parameters = ParameterList.Parse(value, semi < 0 ? value.Length : semi);
        if (slash <= 0 || slash == typePart.Length - 1 || !IsToken(typePart.AsSpan(0, slash)) || !IsToken(typePart.AsSpan(slash + 1).Trim()))
        {
            var f = fallback ?? TextPlain;
            return new ContentType(f.MediaType, f.MediaSubtype, parameters);
        }

        return new ContentType(typePart[..slash].Trim(), typePart[(slash + 1)..].Trim(), parameters);
    }

    private static bool IsToken(ReadOnlySpan<char> s)
    {
        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?=".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override string ToString() => MimeType;
}
