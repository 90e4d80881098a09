namespace MSSante.Mime;

/// <summary>A multipart entity (RFC 2046 §5.1): children between boundary delimiters, plus preamble and epilogue.</summary>
public sealed class Multipart : MimeEntity
{
    private readonly List<MimeEntity> _children;

    /// <summary>Creates a multipart from its headers, children, preamble and epilogue.</summary>
    public Multipart(HeaderList headers, ContentType contentType, IEnumerable<MimeEntity> children, ReadOnlyMemory<byte> preamble = default, ReadOnlyMemory<byte> epilogue = default)
        : base(headers, contentType)
    {
        _children = [.. children];
        Preamble = preamble;
        Epilogue = epilogue;
        foreach (var c in _children)
        {
            c.Parent = this;
        }
    }

    /// <summary>The child entities in order.</summary>
    public IReadOnlyList<MimeEntity> Children => _children;

    /// <summary>The boundary parameter (empty when missing).</summary>
    public string Boundary => ContentType.Boundary ?? string.Empty;

    /// <summary>Bytes before the first delimiter (ignored by readers).</summary>
    public ReadOnlyMemory<byte> Preamble { get; }

    /// <summary>Bytes after the closing delimiter (ignored by readers).</summary>
    public ReadOnlyMemory<byte> Epilogue { get; }

    /// <summary>True when the closing delimiter was found.</summary>
    public bool HasClosingDelimiter { get; internal init; } = true;
}
