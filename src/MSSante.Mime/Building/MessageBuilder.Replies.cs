using System.Globalization;
using System.Text;
using MSSante.Mime.Internal;

namespace MSSante.Mime;

public sealed partial class MessageBuilder
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    /// <summary>
    /// Prepares a reply: recipients from Reply-To (else From), and for a reply to all the other
    /// To and Cc addresses except the author's own; "Re: " subject; In-Reply-To and References
    /// (RFC 5322 §3.6.4); the original text quoted with "> " under a French attribution line.
    /// </summary>
    public static MessageBuilder CreateReply(MimeMessage original, MailboxAddress from, bool replyAll, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(from);
        var builder = new MessageBuilder { From = from };
        var replyTo = original.ReplyTo.Mailboxes().ToList();
        var to = replyTo.Count > 0 ? replyTo : original.From.Mailboxes().ToList();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { from.Address };
        foreach (var m in to.Where(m => seen.Add(m.Address)))
        {
            builder.To.Add(m);
        }

        if (builder.To.Count == 0)
        {
            // Replying to one's own message: write to its recipients again.
            builder.To.AddRange(original.To.Mailboxes().Where(m => seen.Add(m.Address)));
        }

        if (replyAll)
        {
            foreach (var m in original.To.Mailboxes().Concat(original.Cc.Mailboxes()).Where(m => seen.Add(m.Address)))
            {
                builder.Cc.Add(m);
            }
        }

        builder.Subject = Prefixed("Re: ", original.Subject, "re", "ré", "réf", "aw");
        if (original.MessageId is { } id)
        {
            builder.InReplyTo = id;
            builder.References.AddRange(original.References.Count > 0 ? original.References : original.InReplyTo is { } parent ? [parent] : []);
            builder.References.Add(id);
        }

        var quoted = new StringBuilder();
        quoted.Append(text ?? string.Empty).Append("\n\n").Append(Attribution(original)).Append('\n');
        foreach (var line in (original.GetTextBody() ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
        {
            quoted.Append(line.StartsWith('>') ? ">" : "> ").Append(line).Append('\n');
        }

        builder.TextBody = quoted.ToString();
        return builder;
    }

    /// <summary>
    /// Prepares a forward: "Tr: " subject; either the original attached whole (message/rfc822,
    /// byte for byte), or its text inline under a French header block with its attachments copied.
    /// </summary>
    public static MessageBuilder CreateForward(MimeMessage original, MailboxAddress from, bool asAttachment, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(from);
        var builder = new MessageBuilder { From = from, Subject = Prefixed("Tr: ", original.Subject, "tr", "fwd", "fw", "tr ") };
        if (asAttachment)
        {
            builder.TextBody = text ?? string.Empty;
            builder.AttachedMessages.Add(original);
            return builder;
        }

        var sb = new StringBuilder();
        sb.Append(text ?? string.Empty).Append("\n\n-------- Message transféré --------\n");
        sb.Append("Objet : ").Append(original.Subject ?? string.Empty).Append('\n');
        if (original.Date is { } date)
        {
            sb.Append("Date : ").Append(date.ToString("dddd d MMMM yyyy HH:mm", French)).Append('\n');
        }

        sb.Append("De : ").Append(string.Join(", ", original.From.Mailboxes())).Append('\n');
        sb.Append("Pour : ").Append(string.Join(", ", original.To.Mailboxes())).Append('\n');
        if (original.Cc.Count > 0)
        {
            sb.Append("Copie : ").Append(string.Join(", ", original.Cc.Mailboxes())).Append('\n');
        }

        sb.Append('\n').Append(original.GetTextBody() ?? string.Empty);
        builder.TextBody = sb.ToString();
        foreach (var a in original.Attachments)
        {
            if (a.Entity is MessagePart mp)
            {
                builder.AttachedMessages.Add(mp.Message);
            }
            else
            {
                builder.Attachments.Add(new AttachmentContent(a.FileName ?? "piece-jointe", a.ContentType, a.GetContent()));
            }
        }

        return builder;
    }

    /// <summary>
    /// Builds the MDN (RFC 8098) answering <paramref name="original"/>: multipart/report with a
    /// French human-readable part, the message/disposition-notification fields (Reporting-UA,
    /// Original-Recipient, Final-Recipient, Original-Message-ID, Disposition, Error as
    /// <c>code^label</c> on failure) and the original headers. Returns null when the original did
    /// not ask for one (no Disposition-Notification-To): MSSanté sends MDNs only when asked.
    /// </summary>
    public static MimeMessage? CreateDispositionNotification(
        MimeMessage original,
        MailboxAddress from,
        string reportingUserAgent,
        string dispositionType = "processed",
        string? error = null,
        string? originalRecipient = null,
        MimeFormatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(from);
        options ??= MimeFormatOptions.Default;
        var to = original.DispositionNotificationTo;
        if (to is null)
        {
            return null;
        }

        var subject = original.Subject ?? string.Empty;
        var human = error is null
            ? $"Le message « {subject} » reçu par {from.Address} a été {FrenchType(dispositionType)}."
            : $"Le message « {subject} » reçu par {from.Address} n'a pas pu être traité : {error}.";
        var top = new HeaderList();
        top.Add(HeaderFormatter.Create("From", HeaderFormatter.Mailbox(from, options)));
        top.Add(HeaderFormatter.Create("To", HeaderFormatter.Mailbox(to, options)));
        top.Add(HeaderFormatter.Create("Subject", HeaderFormatter.Unstructured((error is null ? "Accusé de traitement : " : "Échec de traitement : ") + subject, options)));
        top.Add(HeaderFormatter.Create("Date", DateParser.Format(DateTimeOffset.Now)));
        top.Add(HeaderFormatter.Create("Message-ID", "<" + MessageIds.Generate(from.Domain.Length > 0 ? from.Domain : options.MessageIdDomain) + ">"));
        if (original.MessageId is { } id)
        {
            top.Add(HeaderFormatter.Create("In-Reply-To", "<" + id + ">"));
            top.Add(HeaderFormatter.Create("References", "<" + id + ">"));
        }

        // RFC 3834 §5: automatic responses say so, so that no one answers them automatically.
        top.Add(HeaderFormatter.Create("Auto-Submitted", "auto-replied"));
        top.Add(HeaderFormatter.Create("MIME-Version", "1.0"));

        var fields = new StringBuilder();
        fields.Append("Reporting-UA: ").Append(reportingUserAgent).Append("\r\n");
        if (originalRecipient is not null)
        {
            fields.Append("Original-Recipient: rfc822;").Append(originalRecipient).Append("\r\n");
        }

        fields.Append("Final-Recipient: rfc822;").Append(from.Address).Append("\r\n");
        if (original.MessageId is { } mid)
        {
            fields.Append("Original-Message-ID: <").Append(mid).Append(">\r\n");
        }

        fields.Append("Disposition: automatic-action/MDN-sent-automatically; ").Append(dispositionType).Append(error is null ? string.Empty : "/error").Append("\r\n");
        if (error is not null)
        {
            fields.Append("Error: ").Append(error.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)).Append("\r\n");
        }

        var notificationHeaders = new HeaderList();
        notificationHeaders.Add(HeaderFormatter.Create("Content-Type", "message/disposition-notification"));
        var fieldBytes = Encoding.UTF8.GetBytes(fields.ToString());
        if (!Ascii.IsValid(fieldBytes))
        {
            notificationHeaders.Add(HeaderFormatter.Create("Content-Transfer-Encoding", "8bit"));
        }

        var notification = new MimePart(notificationHeaders, new ContentType("message", "disposition-notification"), fieldBytes);
        var returnedHeaders = new HeaderList();
        returnedHeaders.Add(HeaderFormatter.Create("Content-Type", "text/rfc822-headers"));
        var headerBytes = new MemoryStream();
        foreach (var h in original.Headers)
        {
            headerBytes.Write(Encoding.ASCII.GetBytes(h.Name + ":"));
            headerBytes.Write(h.RawValue.Span);
            headerBytes.Write("\r\n"u8);
        }

        if (!Ascii.IsValid(headerBytes.ToArray()))
        {
            returnedHeaders.Add(HeaderFormatter.Create("Content-Transfer-Encoding", "8bit"));
        }

        var returned = new MimePart(returnedHeaders, new ContentType("text", "rfc822-headers"), headerBytes.ToArray());
        var humanPart = TextPart("plain", human, null, options);
        var boundary = "=_mdn" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(10));
        var ct = "multipart/report; report-type=disposition-notification; boundary=\"" + boundary + "\"";
        top.Add(HeaderFormatter.Create("Content-Type", ct));
        return new MimeMessage(new Multipart(top, ContentType.Parse(ct), [humanPart, notification, returned]));
    }

    private static string FrenchType(string type) => type switch
    {
        "displayed" => "affiché",
        "deleted" => "supprimé",
        "dispatched" => "transmis",
        _ => "traité",
    };

    private static string Attribution(MimeMessage original)
    {
        var author = original.From.Mailboxes().FirstOrDefault();
        var who = author is null ? "l'expéditeur" : author.DisplayName ?? author.Address;
        return original.Date is { } date
            ? $"Le {date.ToString("dd/MM/yyyy 'à' HH:mm", French)}, {who} a écrit :"
            : $"{who} a écrit :";
    }

    private static string Prefixed(string prefix, string? subject, params string[] known)
    {
        var s = (subject ?? string.Empty).Trim();
        var colon = s.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0 && colon <= 5)
        {
            var head = s[..colon].Trim().ToLowerInvariant();
            if (known.Contains(head) || known.Contains(head.TrimEnd()))
            {
                return s;
            }
        }

        return prefix + s;
    }
}
