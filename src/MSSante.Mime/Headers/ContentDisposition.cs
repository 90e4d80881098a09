namespace MSSante.Mime;

/// <summary>A parsed Content-Disposition field (RFC 2183).</summary>
public sealed class ContentDisposition
{
    /// <summary>Creates a disposition ("inline", "attachment"...), stored in lower case.</summary>
    public ContentDisposition(string disposition, ParameterList? parameters = null)
    {
        Disposition = disposition.ToLowerInvariant();
        Parameters = parameters ?? new ParameterList();
    }

    /// <summary>"inline", "attachment" or another token, lower case.</summary>
    public string Disposition { get; }

    /// <summary>The parameters, RFC 2231 decoded.</summary>
    public ParameterList Parameters { get; }

    /// <summary>The filename parameter, or null.</summary>
    public string? FileName => Parameters["filename"];

    /// <summary>True for "attachment".</summary>
    public bool IsAttachment => Disposition == "attachment";

    /// <summary>True for "inline".</summary>
    public bool IsInline => Disposition == "inline";

    /// <summary>Parses a Content-Disposition value.</summary>
    public static ContentDisposition Parse(string value)
    {
        var semi = value.IndexOf(';', StringComparison.Ordinal);
        var disposition = (semi < 0 ? value : value[..semi]).Trim();
        return new ContentDisposition(disposition, ParameterList.Parse(value, semi < 0 ? value.Length : semi));
    }

    /// <inheritdoc />
    public override string ToString() => Disposition;
}
