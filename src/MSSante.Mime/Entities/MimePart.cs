using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>A leaf part: its content is kept encoded, exactly as in the message, and decoded on demand.</summary>
public sealed class MimePart : MimeEntity
{
    /// <summary>Creates a leaf part from headers and its encoded content.</summary>
    public MimePart(HeaderList headers, ContentType contentType, ReadOnlyMemory<byte> rawContent)
        : base(headers, contentType) => RawContent = rawContent;

    /// <summary>The content as found in the message, still transfer-encoded.</summary>
    public ReadOnlyMemory<byte> RawContent { get; }

    /// <summary>True for text/* parts.</summary>
    public bool IsText => ContentType.MediaType == "text";

    /// <summary>Decodes the transfer encoding (base64, quoted-printable); other encodings return the bytes as they are.</summary>
    public byte[] GetContent() => TransferEncoding.Decode(RawContent.Span, ContentTransferEncoding, out _);

    /// <summary>Decodes the transfer encoding and reports whether the encoded content was damaged.</summary>
    public byte[] GetContent(out bool hadErrors) => TransferEncoding.Decode(RawContent.Span, ContentTransferEncoding, out hadErrors);

    /// <summary>The decoded content as text in its charset (fallback to UTF-8 or windows-1252 when unknown or lying).</summary>
    public string GetText() => GetText(out _);

    /// <summary>The decoded content as text, with the warning raised by the charset fallback, if any.</summary>
    public string GetText(out MimeWarning? warning)
    {
        var content = GetContent(out var damaged);
        var text = Charsets.Decode(content, ContentType.Charset, out var code, out var used);
        warning = code switch
        {
            MimeWarningCode.UnknownCharset => new MimeWarning(code.Value, Path, $"unknown charset '{ContentType.Charset}', decoded as {used}"),
            MimeWarningCode.InvalidCharsetData => new MimeWarning(code.Value, Path, $"content is not valid {ContentType.Charset ?? "us-ascii"}, decoded as {used}"),
            _ => damaged ? new MimeWarning(MimeWarningCode.InvalidEncodedContent, Path, $"damaged {ContentTransferEncoding} content") : null,
        };
        return text;
    }
}
