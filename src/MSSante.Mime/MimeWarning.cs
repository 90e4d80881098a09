namespace MSSante.Mime;

/// <summary>What kind of irregularity the parser or a decoder met.</summary>
public enum MimeWarningCode
{
    /// <summary>A header line had no colon; it and what follows were taken as the body.</summary>
    MissingHeaderBodySeparator,
    /// <summary>A multipart had no closing delimiter.</summary>
    MissingFinalBoundary,
    /// <summary>A multipart had no boundary parameter or no delimiter line at all.</summary>
    MissingBoundary,
    /// <summary>Nesting went deeper than <see cref="MimeParserOptions.MaxDepth"/>.</summary>
    DepthLimit,
    /// <summary>More header fields than <see cref="MimeParserOptions.MaxHeaderCount"/>.</summary>
    HeaderCountLimit,
    /// <summary>A header value longer than <see cref="MimeParserOptions.MaxHeaderLength"/>.</summary>
    HeaderLengthLimit,
    /// <summary>A body line longer than <see cref="MimeParserOptions.MaxLineLength"/>.</summary>
    LineTooLong,
    /// <summary>More parts than <see cref="MimeParserOptions.MaxParts"/>.</summary>
    PartCountLimit,
    /// <summary>The message was larger than <see cref="MimeParserOptions.MaxMessageSize"/> and was cut.</summary>
    Truncated,
    /// <summary>The declared charset is unknown; a fallback charset was used.</summary>
    UnknownCharset,
    /// <summary>The bytes are not valid in the declared charset; a fallback charset was used.</summary>
    InvalidCharsetData,
    /// <summary>The Content-Transfer-Encoding is unknown; the content is taken as is.</summary>
    UnknownTransferEncoding,
    /// <summary>Base64 or quoted-printable content had invalid characters or padding.</summary>
    InvalidEncodedContent,
    /// <summary>The message could not be read at all (e.g. the stream failed).</summary>
    ReadError,
    /// <summary>An unexpected parser fault; the message is returned as far as it was parsed.</summary>
    ParserError,
}

/// <summary>An irregularity found while parsing or decoding, with the IMAP-style path of the part concerned.</summary>
/// <param name="Code">The kind of irregularity.</param>
/// <param name="Path">The part path ("1", "1.2"), or "" for the message headers.</param>
/// <param name="Message">A short English explanation for support staff.</param>
public sealed record MimeWarning(MimeWarningCode Code, string Path, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Code} [{Path}] {Message}";
}
