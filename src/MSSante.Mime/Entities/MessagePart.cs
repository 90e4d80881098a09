namespace MSSante.Mime;

/// <summary>An encapsulated message (message/rfc822, message/global): a forwarded mail, or the returned mail of a report.</summary>
public sealed class MessagePart : MimeEntity
{
    /// <summary>Creates the part around an already parsed message.</summary>
    public MessagePart(HeaderList headers, ContentType contentType, MimeMessage message, ReadOnlyMemory<byte> rawContent = default)
        : base(headers, contentType)
    {
        Message = message;
        RawContent = rawContent;
        message.Body.Parent = this;
    }

    /// <summary>The encapsulated message.</summary>
    public MimeMessage Message { get; }

    /// <summary>The encapsulated message's bytes as they appear in the outer message (transfer-encoded if it was).</summary>
    public ReadOnlyMemory<byte> RawContent { get; }
}
