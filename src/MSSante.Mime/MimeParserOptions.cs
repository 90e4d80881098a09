namespace MSSante.Mime;

/// <summary>
/// Limits applied while parsing. Going past a limit never throws: the parser stops at the limit,
/// keeps what it has, and records a <see cref="MimeWarning"/> on the message.
/// </summary>
public sealed record MimeParserOptions
{
    /// <summary>The defaults used when no options are given.</summary>
    public static MimeParserOptions Default { get; } = new();

    /// <summary>Deepest nesting of multiparts and encapsulated messages; deeper content is kept as an opaque part.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>Most header fields kept per header block; later fields are skipped.</summary>
    public int MaxHeaderCount { get; init; } = 2_000;

    /// <summary>Longest raw header field value kept, in bytes (folded lines included); longer values are cut.</summary>
    public int MaxHeaderLength { get; init; } = 64 * 1024;

    /// <summary>Longest body line before a warning is recorded (the content is kept; the parser never buffers lines).</summary>
    public int MaxLineLength { get; init; } = 1024 * 1024;

    /// <summary>Most entities (parts) in the whole tree; later parts are folded into their parent's epilogue.</summary>
    public int MaxParts { get; init; } = 10_000;

    /// <summary>Largest message read, in bytes; the rest is ignored and the message is flagged as truncated.</summary>
    public long MaxMessageSize { get; init; } = 128L * 1024 * 1024;
}
