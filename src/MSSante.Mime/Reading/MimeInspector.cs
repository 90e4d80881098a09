using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MSSante.Mime;

/// <summary>
/// Produces the JSON summary printed by <c>mssante mime inspect</c> (schema in docs/mime-inspect.md):
/// headers, a flat list of parts with IMAP paths, the best text and HTML bodies, and warnings.
/// </summary>
public static class MimeInspector
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the summary of <paramref name="message"/> as an indented JSON object (UTF-8).</summary>
    public static byte[] ToJson(MimeMessage message)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(w, message);
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Writes the summary of <paramref name="message"/> to a JSON writer.</summary>
    public static void Write(Utf8JsonWriter w, MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(message);
        var warnings = new List<MimeWarning>(message.Warnings);
        w.WriteStartObject();
        w.WriteString("subject", message.Subject);
        WriteAddresses(w, "from", message.From);
        WriteAddresses(w, "to", message.To);
        WriteAddresses(w, "cc", message.Cc);
        WriteAddresses(w, "replyTo", message.ReplyTo);
        if (message.Date is { } date)
        {
            w.WriteString("date", date.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        }
        else
        {
            w.WriteNull("date");
        }

        w.WriteString("messageId", message.MessageId);
        w.WriteString("inReplyTo", message.InReplyTo);
        w.WriteStartArray("references");
        foreach (var id in message.References)
        {
            w.WriteStringValue(id);
        }

        w.WriteEndArray();
        w.WriteStartArray("parts");
        foreach (var entity in message.Body.DescendantsAndSelf())
        {
            if (entity.Path.Length == 0 || (entity is Multipart && entity.Parent is MessagePart))
            {
                // A multipart that is a message body shares its number with the message part (IMAP).
                continue;
            }

            w.WriteStartObject();
            w.WriteString("path", entity.Path);
            w.WriteString("contentType", entity.ContentType.MimeType);
            w.WriteString("charset", entity.ContentType.Charset?.Trim().ToLowerInvariant());
            w.WriteString("disposition", entity.ContentDisposition?.Disposition);
            w.WriteString("filename", entity.FileName);
            w.WriteString("contentId", entity.ContentId);
            switch (entity)
            {
                case MimePart part:
                    w.WriteNumber("size", part.GetContent().LongLength);
                    if (part.IsText)
                    {
                        part.GetText(out var warning);
                        if (warning is not null)
                        {
                            warnings.Add(warning);
                        }
                    }

                    break;
                case MessagePart mp:
                    w.WriteNumber("size", mp.RawContent.Length);
                    break;
                default:
                    w.WriteNull("size");
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("text", Normalize(message.GetTextBody()));
        w.WriteString("html", Normalize(message.GetHtmlBody()));
        w.WriteStartArray("warnings");
        foreach (var warning in warnings)
        {
            w.WriteStartObject();
            w.WriteString("code", warning.Code.ToString());
            w.WriteString("path", warning.Path);
            w.WriteString("message", warning.Message);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static string? Normalize(string? text) => text?.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static void WriteAddresses(Utf8JsonWriter w, string name, IReadOnlyList<InternetAddress> list)
    {
        w.WriteStartArray(name);
        foreach (var m in list.Mailboxes())
        {
            w.WriteStartObject();
            w.WriteString("name", m.DisplayName);
            w.WriteString("address", m.Address);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
