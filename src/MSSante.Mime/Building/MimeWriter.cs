namespace MSSante.Mime;

/// <summary>
/// Serialises a message tree. Parsed entities are written back byte for byte (headers and
/// contents are kept raw); built entities carry their encoded form already. Structure lines end
/// in CRLF (RFC 5322 §2.1).
/// </summary>
public static class MimeWriter
{
    /// <summary>Writes the message to a stream.</summary>
    public static async Task WriteAsync(MimeMessage message, Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = ToBytes(message);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The message as bytes, ready for SMTP DATA (after dot-stuffing) or IMAP APPEND.</summary>
    public static byte[] ToBytes(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var output = new MemoryStream();
        WriteEntity(message.Body, output);
        return output.ToArray();
    }

    /// <summary>The entity (headers and content) as bytes.</summary>
    public static byte[] ToBytes(MimeEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        using var output = new MemoryStream();
        WriteEntity(entity, output);
        return output.ToArray();
    }

    /// <summary>True when some part holds 8-bit bytes, so SMTP must use BODY=8BITMIME (RFC 6152).</summary>
    public static bool RequiresEightBitMime(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var e in message.Body.DescendantsAndSelf())
        {
            if (e is MimePart p && !System.Text.Ascii.IsValid(p.RawContent.Span))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when some header holds raw UTF-8, so SMTP must use SMTPUTF8 (RFC 6531).</summary>
    public static bool RequiresSmtpUtf8(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var e in message.Body.DescendantsAndSelf())
        {
            foreach (var h in e.Headers)
            {
                if (!System.Text.Ascii.IsValid(h.RawValue.Span))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void WriteHeaders(HeaderList headers, Stream output)
    {
        foreach (var h in headers)
        {
            output.Write(System.Text.Encoding.ASCII.GetBytes(h.Name));
            output.WriteByte((byte)':');
            output.Write(h.RawValue.Span);
            output.Write("\r\n"u8);
        }

        output.Write("\r\n"u8);
    }

    private static void WriteEntity(MimeEntity entity, Stream output)
    {
        WriteHeaders(entity.Headers, output);
        switch (entity)
        {
            case MimePart part:
                output.Write(part.RawContent.Span);
                break;
            case MessagePart mp:
                if (!mp.RawContent.IsEmpty)
                {
                    output.Write(mp.RawContent.Span);
                }
                else
                {
                    WriteEntity(mp.Message.Body, output);
                }

                break;
            case Multipart mp:
                var delimiter = System.Text.Encoding.UTF8.GetBytes("--" + mp.Boundary);
                if (!mp.Preamble.IsEmpty)
                {
                    output.Write(mp.Preamble.Span);
                    output.Write("\r\n"u8);
                }

                foreach (var child in mp.Children)
                {
                    output.Write(delimiter);
                    output.Write("\r\n"u8);
                    WriteEntity(child, output);
                    output.Write("\r\n"u8);
                }

                output.Write(delimiter);
                output.Write("--\r\n"u8);
                output.Write(mp.Epilogue.Span);
                break;
        }
    }
}
