using System.Text;
using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>A file to attach, or an inline resource of the HTML body when <see cref="ContentId"/> is set.</summary>
/// <param name="FileName">The file name as the user sees it (accents allowed).</param>
/// <param name="ContentType">"type/subtype", e.g. "application/pdf".</param>
/// <param name="Content">The raw bytes.</param>
/// <param name="ContentId">For inline images: the id the HTML refers to with <c>cid:</c> (without brackets).</param>
public sealed record AttachmentContent(string FileName, string ContentType, ReadOnlyMemory<byte> Content, string? ContentId = null);

/// <summary>
/// Builds a message to send: addresses, subject, text and HTML bodies, attachments, inline images,
/// attached messages and extra headers. <see cref="Build"/> chooses the structure
/// (alternative / related / mixed) and a transfer encoding per part, and encodes headers for
/// the server's capabilities (<see cref="MimeFormatOptions"/>).
/// </summary>
public sealed partial class MessageBuilder
{
    /// <summary>The author.</summary>
    public MailboxAddress? From { get; set; }

    /// <summary>The sender acting for the author (a secretary for a practitioner), or null.</summary>
    public MailboxAddress? Sender { get; set; }

    /// <summary>Primary recipients.</summary>
    public List<MailboxAddress> To { get; } = [];

    /// <summary>Copy recipients.</summary>
    public List<MailboxAddress> Cc { get; } = [];

    /// <summary>Blind copy recipients: for the SMTP envelope only, never written in the headers.</summary>
    public List<MailboxAddress> Bcc { get; } = [];

    /// <summary>Where replies should go.</summary>
    public List<MailboxAddress> ReplyTo { get; } = [];

    /// <summary>The subject.</summary>
    public string? Subject { get; set; }

    /// <summary>The date; now when null.</summary>
    public DateTimeOffset? Date { get; set; }

    /// <summary>The Message-ID without brackets; generated when null.</summary>
    public string? MessageId { get; set; }

    /// <summary>The message replied to, without brackets.</summary>
    public string? InReplyTo { get; set; }

    /// <summary>The thread, oldest first, without brackets.</summary>
    public List<string> References { get; } = [];

    /// <summary>Ask the recipient for an MDN (RFC 8098 §2.1) sent to this address.</summary>
    public MailboxAddress? DispositionNotificationTo { get; set; }

    /// <summary>The plain text body, or null.</summary>
    public string? TextBody { get; set; }

    /// <summary>The HTML body, or null.</summary>
    public string? HtmlBody { get; set; }

    /// <summary>Attachments and inline resources (those with a content-id go with the HTML body).</summary>
    public List<AttachmentContent> Attachments { get; } = [];

    /// <summary>Messages attached whole (message/rfc822), e.g. a forwarded mail.</summary>
    public List<MimeMessage> AttachedMessages { get; } = [];

    /// <summary>Other header fields (name, text value), e.g. X-MSS-CODECDA; written after the standard ones.</summary>
    public List<KeyValuePair<string, string>> ExtraHeaders { get; } = [];

    /// <summary>Adds an extra header field.</summary>
    public MessageBuilder AddHeader(string name, string value)
    {
        ExtraHeaders.Add(new(name, value));
        return this;
    }

    /// <summary>Builds the message tree; serialise it with <see cref="MimeWriter"/>.</summary>
    public MimeMessage Build(MimeFormatOptions? options = null)
    {
        options ??= MimeFormatOptions.Default;
        var top = new HeaderList();
        if (From is not null)
        {
            top.Add(HeaderFormatter.Create("From", HeaderFormatter.Mailbox(From, options)));
        }

        if (Sender is not null)
        {
            top.Add(HeaderFormatter.Create("Sender", HeaderFormatter.Mailbox(Sender, options)));
        }

        AddList(top, "To", To, options);
        AddList(top, "Cc", Cc, options);
        AddList(top, "Reply-To", ReplyTo, options);
        if (Subject is not null)
        {
            top.Add(HeaderFormatter.Create("Subject", HeaderFormatter.Unstructured(Subject, options)));
        }

        top.Add(HeaderFormatter.Create("Date", DateParser.Format(Date ?? DateTimeOffset.Now)));
        var domain = From?.Domain is { Length: > 0 } d ? d : options.MessageIdDomain;
        top.Add(HeaderFormatter.Create("Message-ID", "<" + (MessageId ?? MessageIds.Generate(domain)) + ">"));
        if (InReplyTo is not null)
        {
            top.Add(HeaderFormatter.Create("In-Reply-To", "<" + InReplyTo + ">"));
        }

        if (References.Count > 0)
        {
            top.Add(HeaderFormatter.Create("References", string.Join(' ', References.Select(r => "<" + r + ">"))));
        }

        if (DispositionNotificationTo is not null)
        {
            top.Add(HeaderFormatter.Create("Disposition-Notification-To", HeaderFormatter.Mailbox(DispositionNotificationTo, options)));
        }

        foreach (var (name, value) in ExtraHeaders)
        {
            top.Add(HeaderFormatter.Create(name, HeaderFormatter.Unstructured(value, options)));
        }

        top.Add(HeaderFormatter.Create("MIME-Version", "1.0"));
        var body = BuildBody(top, options);
        return new MimeMessage(body);
    }

    private static void AddList(HeaderList headers, string name, List<MailboxAddress> list, MimeFormatOptions options)
    {
        if (list.Count > 0)
        {
            headers.Add(HeaderFormatter.Create(name, HeaderFormatter.Mailboxes(list, options)));
        }
    }

    private MimeEntity BuildBody(HeaderList top, MimeFormatOptions options)
    {
        var inline = Attachments.Where(a => a.ContentId is not null && HtmlBody is not null).ToList();
        var files = Attachments.Except(inline).ToList();
        var hasFiles = files.Count > 0 || AttachedMessages.Count > 0;

        // Only the outermost entity carries the message headers.
        MimeEntity? text = TextBody is null ? null : TextPart("plain", TextBody, null, options);
        MimeEntity? html = null;
        if (HtmlBody is not null)
        {
            html = TextPart("html", HtmlBody, null, options);
            if (inline.Count > 0)
            {
                var resources = inline.Select(a => BinaryPart(a, "inline", null, options));
                html = MultipartOf("related", [html, .. resources], null, "type=\"text/html\"");
            }
        }

        MimeEntity? bodyPart = (text, html) switch
        {
            (not null, not null) => MultipartOf("alternative", [text, html], null),
            (not null, null) => text,
            (null, not null) => html,
            _ => null,
        };

        if (!hasFiles)
        {
            return Rehead(bodyPart ?? TextPart("plain", string.Empty, null, options), top);
        }

        var children = new List<MimeEntity>();
        if (bodyPart is not null)
        {
            children.Add(bodyPart);
        }

        children.AddRange(files.Select(a => BinaryPart(a, "attachment", null, options)));
        foreach (var m in AttachedMessages)
        {
            var headers = new HeaderList();
            headers.Add(HeaderFormatter.Create("Content-Type", "message/rfc822"));
            var subject = m.Subject;
            headers.Add(HeaderFormatter.Create("Content-Disposition", "attachment; " + HeaderFormatter.Parameter("filename", SafeFileName(subject) + ".eml", options)));
            children.Add(new MessagePart(headers, new ContentType("message", "rfc822"), m));
        }

        return MultipartOf("mixed", children, top);
    }

    private static string SafeFileName(string? subject)
    {
        if (string.IsNullOrWhiteSpace(subject))
        {
            return "message";
        }

        var chars = subject.Select(c => Path.GetInvalidFileNameChars().Contains(c) || char.IsControl(c) || c is ':' or '\\' or '?' or '*' or '"' or '<' or '>' or '|' ? '_' : c).ToArray();
        var name = new string(chars).Trim();
        return name.Length > 80 ? name[..80] : name;
    }

    // Moves the message headers onto the root entity (headers first, then its content fields).
    private static MimeEntity Rehead(MimeEntity entity, HeaderList top)
    {
        var headers = new HeaderList();
        foreach (var h in top)
        {
            headers.Add(h);
        }

        foreach (var h in entity.Headers)
        {
            headers.Add(h);
        }

        return entity switch
        {
            MimePart p => new MimePart(headers, p.ContentType, p.RawContent),
            Multipart m => new Multipart(headers, m.ContentType, m.Children),
            _ => entity,
        };
    }

    private static Multipart MultipartOf(string subtype, IReadOnlyList<MimeEntity> children, HeaderList? top, string? extraParameters = null)
    {
        var boundary = "=_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
        var value = "multipart/" + subtype + "; boundary=\"" + boundary + "\"" + (extraParameters is null ? string.Empty : "; " + extraParameters);
        var headers = new HeaderList();
        if (top is not null)
        {
            foreach (var h in top)
            {
                headers.Add(h);
            }
        }

        headers.Add(HeaderFormatter.Create("Content-Type", value));
        return new Multipart(headers, ContentType.Parse(value), children);
    }

    internal static MimePart TextPart(string subtype, string text, HeaderList? top, MimeFormatOptions options)
    {
        // RFC 2046 §4.1.1: text travels with CRLF line breaks.
        var normalized = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace("\n", "\r\n", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(normalized);
        var (cte, content) = EncodeText(bytes, options);
        var headers = new HeaderList();
        if (top is not null)
        {
            foreach (var h in top)
            {
                headers.Add(h);
            }
        }

        var contentType = "text/" + subtype + "; charset=\"utf-8\"";
        headers.Add(HeaderFormatter.Create("Content-Type", contentType));
        headers.Add(HeaderFormatter.Create("Content-Transfer-Encoding", cte));
        return new MimePart(headers, ContentType.Parse(contentType), content);
    }

    /// <summary>
    /// The transfer encoding for text: 7bit when ASCII with short lines; 8bit when the server
    /// takes 8BITMIME and lines stay under 998 bytes (RFC 5322 §2.1.1); quoted-printable when
    /// mostly ASCII; base64 otherwise.
    /// </summary>
    internal static (string Cte, byte[] Content) EncodeText(byte[] bytes, MimeFormatOptions options)
    {
        var maxLine = 0;
        var line = 0;
        var nonAscii = 0;
        var control = false;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '\n')
            {
                maxLine = Math.Max(maxLine, line);
                line = 0;
                continue;
            }

            line++;
            if (b >= 128)
            {
                nonAscii++;
            }
            else if (b == 0 || (b == '\r' && (i + 1 >= bytes.Length || bytes[i + 1] != '\n')))
            {
                control = true;
            }
        }

        maxLine = Math.Max(maxLine, line);
        var shortLines = maxLine <= 998 && !control;
        if (nonAscii == 0 && shortLines && !HasLeadingFrom(bytes))
        {
            return ("7bit", bytes);
        }

        if (options.EightBitMime && shortLines && !HasLeadingFrom(bytes))
        {
            return ("8bit", bytes);
        }

        return nonAscii * 6 < bytes.Length
            ? ("quoted-printable", TransferEncoding.EncodeQuotedPrintable(bytes))
            : ("base64", TransferEncoding.EncodeBase64(bytes));
    }

    // A body line starting with "From " is mangled by some mbox stores; quoted-printable protects it.
    private static bool HasLeadingFrom(byte[] bytes) =>
        bytes.AsSpan().StartsWith("From "u8) || bytes.AsSpan().IndexOf("\nFrom "u8) >= 0;

    private static MimePart BinaryPart(AttachmentContent a, string disposition, HeaderList? top, MimeFormatOptions options)
    {
        var headers = new HeaderList();
        if (top is not null)
        {
            foreach (var h in top)
            {
                headers.Add(h);
            }
        }

        // Old clients only read the RFC 2047 encoded name parameter; others read RFC 2231 filename*.
        var nameParameter = Ascii.IsValid(a.FileName) || options.SmtpUtf8
            ? HeaderFormatter.Parameter("name", a.FileName, options)
            : "name=\"" + EncodedWords.Encode(a.FileName) + "\"";
        var contentType = a.ContentType + "; " + nameParameter;
        headers.Add(HeaderFormatter.Create("Content-Type", contentType));
        headers.Add(HeaderFormatter.Create("Content-Disposition", disposition + "; " + HeaderFormatter.Parameter("filename", a.FileName, options)));
        if (a.ContentId is not null)
        {
            headers.Add(HeaderFormatter.Create("Content-ID", "<" + a.ContentId + ">"));
        }

        byte[] content;
        string cte;
        if (a.ContentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase))
        {
            (cte, content) = EncodeText(a.Content.ToArray(), options);
        }
        else
        {
            cte = "base64";
            content = TransferEncoding.EncodeBase64(a.Content.Span);
        }

        headers.Add(HeaderFormatter.Create("Content-Transfer-Encoding", cte));
        return new MimePart(headers, ContentType.Parse(contentType), content);
    }
}
