using System.Globalization;
using System.Text;
using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>What a disposition notification reports (RFC 8098 §3.2): who, how and what happened.</summary>
public sealed record DispositionNotificationRequest
{
    /// <summary>The mailbox that received the original (From of the MDN and its Final-Recipient).</summary>
    public required MailboxAddress Recipient { get; init; }

    /// <summary>The person acting for a service mailbox (Sender header), or null.</summary>
    public MailboxAddress? Sender { get; init; }

    /// <summary>Reporting-UA (RFC 8098 §3.2.1): <c>host; product</c>.</summary>
    public required string ReportingUserAgent { get; init; }

    /// <summary>The Original-Recipient address (RFC 8098 §3.2.3), or null when unknown.</summary>
    public string? OriginalRecipient { get; init; }

    /// <summary>True for a user's explicit click (manual-action/MDN-sent-manually), false for a configured policy.</summary>
    public bool Manual { get; init; }

    /// <summary>The disposition type: displayed, deleted, dispatched or processed.</summary>
    public string Type { get; init; } = "displayed";

    /// <summary>An <c>code^label</c> error (MSSanté) that turns the disposition into <c>type/error</c>, or null.</summary>
    public string? Error { get; init; }

    /// <summary>The moment the disposition happened (Date of the MDN).</summary>
    public DateTimeOffset Date { get; init; } = DateTimeOffset.Now;
}

public sealed partial class MessageBuilder
{
    /// <summary>
    /// Builds the MDN (RFC 8098 §3) for <paramref name="original"/> as described by
    /// <paramref name="request"/>: multipart/report; report-type=disposition-notification with a
    /// French human-readable part, the message/disposition-notification fields and the original
    /// headers as text/rfc822-headers. Addressed to every mailbox of Disposition-Notification-To;
    /// returns null when the original asked for nothing.
    /// </summary>
    public static MimeMessage? BuildDispositionNotification(MimeMessage original, DispositionNotificationRequest request, MimeFormatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(request);
        options ??= MimeFormatOptions.Default;
        var targets = original.Addresses("Disposition-Notification-To").Mailboxes().ToList();
        if (targets.Count == 0)
        {
            return null;
        }

        var subject = original.Subject ?? string.Empty;
        var when = request.Date.ToString("dd/MM/yyyy 'à' HH:mm", French);
        var human = new StringBuilder();
        if (request.Error is not null)
        {
            human.Append(CultureInfo.InvariantCulture, $"Le message « {subject} » adressé à {request.Recipient.Address} n'a pas pu être traité : {request.Error}.");
        }
        else
        {
            human.Append(CultureInfo.InvariantCulture, $"Le message « {subject} » adressé à {request.Recipient.Address} a été {FrenchDisposition(request.Type)} le {when}.");
            if (request.Type == "displayed")
            {
                // RFC 8098 §3.2.6.1: "displayed" does not guarantee the content was read or understood.
                human.Append("\r\nCet accusé indique seulement que le message a été affiché ; il ne garantit pas qu'il a été lu ni compris.");
            }
        }

        var top = new HeaderList();
        top.Add(HeaderFormatter.Create("From", HeaderFormatter.Mailbox(request.Recipient, options)));
        if (request.Sender is { } sender && !sender.Address.Equals(request.Recipient.Address, StringComparison.OrdinalIgnoreCase))
        {
            top.Add(HeaderFormatter.Create("Sender", HeaderFormatter.Mailbox(sender, options)));
        }

        top.Add(HeaderFormatter.Create("To", HeaderFormatter.Mailboxes(targets, options)));
        var prefix = request.Error is not null ? "Échec de traitement : " : request.Type == "displayed" ? "Accusé de lecture : " : "Accusé de traitement : ";
        top.Add(HeaderFormatter.Create("Subject", HeaderFormatter.Unstructured(prefix + subject, options)));
        top.Add(HeaderFormatter.Create("Date", DateParser.Format(request.Date)));
        top.Add(HeaderFormatter.Create("Message-ID", "<" + MessageIds.Generate(request.Recipient.Domain.Length > 0 ? request.Recipient.Domain : options.MessageIdDomain) + ">"));
        if (original.MessageId is { } id)
        {
            top.Add(HeaderFormatter.Create("In-Reply-To", "<" + id + ">"));
            top.Add(HeaderFormatter.Create("References", "<" + id + ">"));
        }

        // RFC 3834 §5: an automatic answer says so; a manual MDN is still not a message to answer.
        top.Add(HeaderFormatter.Create("Auto-Submitted", request.Manual ? "auto-replied" : "auto-generated"));
        top.Add(HeaderFormatter.Create("MIME-Version", "1.0"));

        var fields = new StringBuilder();
        fields.Append("Reporting-UA: ").Append(OneLine(request.ReportingUserAgent)).Append("\r\n");
        if (request.OriginalRecipient is { Length: > 0 } originalRecipient)
        {
            fields.Append("Original-Recipient: rfc822;").Append(OneLine(originalRecipient)).Append("\r\n");
        }

        fields.Append("Final-Recipient: rfc822;").Append(request.Recipient.Address).Append("\r\n");
        if (original.MessageId is { } mid)
        {
            fields.Append("Original-Message-ID: <").Append(mid).Append(">\r\n");
        }

        // RFC 8098 §3.2.6: action-mode/sending-mode; disposition-type[/modifier]
        fields.Append(request.Manual ? "Disposition: manual-action/MDN-sent-manually; " : "Disposition: automatic-action/MDN-sent-automatically; ")
            .Append(request.Type).Append(request.Error is null ? string.Empty : "/error").Append("\r\n");
        if (request.Error is not null)
        {
            fields.Append("Error: ").Append(OneLine(request.Error)).Append("\r\n");
        }

        var fieldBytes = Encoding.UTF8.GetBytes(fields.ToString());
        var notificationHeaders = new HeaderList();
        notificationHeaders.Add(HeaderFormatter.Create("Content-Type", "message/disposition-notification"));
        if (!Ascii.IsValid(fieldBytes))
        {
            notificationHeaders.Add(HeaderFormatter.Create("Content-Transfer-Encoding", "8bit"));
        }

        var notification = new MimePart(notificationHeaders, new ContentType("message", "disposition-notification"), fieldBytes);
        var headerBytes = new MemoryStream();
        foreach (var h in original.Headers)
        {
            headerBytes.Write(Encoding.ASCII.GetBytes(h.Name + ":"));
            headerBytes.Write(h.RawValue.Span);
            headerBytes.Write("\r\n"u8);
        }

        var returnedHeaders = new HeaderList();
        returnedHeaders.Add(HeaderFormatter.Create("Content-Type", "text/rfc822-headers"));
        if (!Ascii.IsValid(headerBytes.ToArray()))
        {
            returnedHeaders.Add(HeaderFormatter.Create("Content-Transfer-Encoding", "8bit"));
        }

        var returned = new MimePart(returnedHeaders, new ContentType("text", "rfc822-headers"), headerBytes.ToArray());
        var humanPart = TextPart("plain", human.ToString(), null, options);
        var boundary = "=_mdn" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var ct = "multipart/report; report-type=disposition-notification; boundary=\"" + boundary + "\"";
        top.Add(HeaderFormatter.Create("Content-Type", ct));
        return new MimeMessage(new Multipart(top, ContentType.Parse(ct), [humanPart, notification, returned]));
    }

    private static string OneLine(string value) => value.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string FrenchDisposition(string type) => type switch
    {
        "displayed" => "affiché",
        "deleted" => "supprimé",
        "dispatched" => "transmis",
        _ => "traité",
    };
}
