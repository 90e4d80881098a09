using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>
/// One header field, kept as the raw bytes found in the message (everything after the colon,
/// folding included, line ending excluded). Text is decoded only when asked for.
/// </summary>
public sealed class Header
{
    private string? _value;
    private string? _unfolded;

    /// <summary>Creates a header from its name and raw value bytes (as they appear after the colon).</summary>
    public Header(string name, ReadOnlyMemory<byte> rawValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        RawValue = rawValue;
    }

    /// <summary>The field name as written (compare it case-insensitively).</summary>
    public string Name { get; }

    /// <summary>The raw value bytes after the colon, folding included, without the final line ending.</summary>
    public ReadOnlyMemory<byte> RawValue { get; }

    /// <summary>The value unfolded and trimmed, 8-bit bytes read as UTF-8 (RFC 6532), encoded words left as they are.</summary>
    public string UnfoldedValue => _unfolded ??= Bytes.UnfoldToText(RawValue.Span);

    /// <summary>The value as a person reads it: unfolded, with RFC 2047 encoded words decoded.</summary>
    public string Value => _value ??= EncodedWords.Decode(UnfoldedValue);

    /// <summary>True when the field name equals <paramref name="name"/>, ignoring case.</summary>
    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override string ToString() => Name + ": " + UnfoldedValue;
}
