using System.Text.RegularExpressions;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Compose;

/// <summary>
/// Turns what the compose form holds into a message through MSSante.Mime's
/// <see cref="MessageBuilder"/>: the builder chooses the structure (alternative of a plain-text
/// copy and the HTML, then mixed with the attachments) and the encodings; this class only maps
/// the form, cleans what the browser sent (file names, content types) and keeps Bcc on drafts.
/// </summary>
public static partial class ComposeMessageFactory
{
    /// <summary>The message bytes, ready for SMTP or IMAP APPEND. <paramref name="includeBcc"/> only for drafts.</summary>
    public static byte[] Build(ComposeModel model, MailboxAddress from, MailboxAddress? sender, bool includeBcc, DateTimeOffset date) =>
        MimeWriter.ToBytes(ToBuilder(model, from, sender, includeBcc, date).Build());

    /// <summary>The builder for <paramref name="model"/>; Bcc addresses go to the builder's envelope list.</summary>
    public static MessageBuilder ToBuilder(ComposeModel model, MailboxAddress from, MailboxAddress? sender, bool includeBcc, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(from);
        var builder = new MessageBuilder
        {
            From = from,
            // RFC 5322 §3.6.2: the person who actually sends for the service mailbox.
            Sender = sender is not null && !sender.Address.Equals(from.Address, StringComparison.OrdinalIgnoreCase) ? sender : null,
            Subject = model.Subject,
            Date = date,
            MessageId = model.MessageId,
            InReplyTo = string.IsNullOrEmpty(model.InReplyTo) ? null : model.InReplyTo,
            DispositionNotificationTo = model.RequestReadReceipt ? from : null,
            HtmlBody = WrapHtml(model.Html),
            // RFC 2046 §5.1.4: the plain-text alternative first, for clients that show no HTML.
            TextBody = HtmlToText.Convert(model.Html),
        };
        builder.To.AddRange(ParseAddresses(model.To));
        builder.Cc.AddRange(ParseAddresses(model.Cc));
        builder.Bcc.AddRange(ParseAddresses(model.Bcc));
        builder.References.AddRange(model.References);
        if (includeBcc && builder.Bcc.Count > 0)
        {
            // The builder never writes Bcc (a sent message must not carry it); a draft must keep it.
            builder.AddHeader("Bcc", string.Join(", ", builder.Bcc.Select(BccEntry)));
        }
        builder.AddHeader("User-Agent", "Messagerie MSSante (webmail)");
        foreach (var attachment in model.Attachments)
        {
            if (attachment.IsMessage)
            {
                // Forward as attachment: the original whole, byte for byte (message/rfc822).
                builder.AttachedMessages.Add(MimeMessage.Load(attachment.Content));
            }
            else
            {
                builder.Attachments.Add(new AttachmentContent(SafeName(attachment.FileName), SafeContentType(attachment.ContentType), attachment.Content));
            }
        }
        return builder;
    }

    /// <summary>Splits what the user typed (commas or semicolons) into addresses; throws <see cref="FormatException"/> with the French reason.</summary>
    public static IReadOnlyList<MailboxAddress> ParseAddresses(string? list)
    {
        var result = new List<MailboxAddress>();
        if (string.IsNullOrWhiteSpace(list))
        {
            return result;
        }
        foreach (var part in list.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = MailboxAddress.Parse(part);
            if (address is null || !AddressShape().IsMatch(address.Address))
            {
                throw new FormatException($"L'adresse « {part} » n'est pas valide.");
            }
            result.Add(address);
        }
        return result;
    }

    // The builder writes extra headers as unstructured text, so only ASCII display names survive
    // intact there; a non-ASCII one is left out rather than encoded into an unparsable address.
    private static string BccEntry(MailboxAddress address) =>
        string.IsNullOrEmpty(address.DisplayName) || !System.Text.Ascii.IsValid(address.DisplayName)
            ? address.Address
            : "\"" + address.DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\" <" + address.Address + ">";

    private static string WrapHtml(string html) =>
        "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>" + html + "</body></html>\r\n";

    // The browser supplies both: never let them carry header syntax into the message.
    private static string SafeContentType(string contentType) =>
        ContentTypeShape().IsMatch(contentType) ? contentType : "application/octet-stream";

    private static string SafeName(string name)
    {
        var cleaned = new string(name.Where(ch => !char.IsControl(ch) && ch is not '/' and not '\\' and not '"').ToArray()).Trim();
        return cleaned.Length == 0 ? "piece-jointe" : cleaned;
    }

    [GeneratedRegex(@"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")]
    private static partial Regex AddressShape();

    [GeneratedRegex("^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$")]
    private static partial Regex ContentTypeShape();
}
