using System.Security.Cryptography;

namespace MSSante.Webmail.Mail.Compose;

/// <summary>A file attached to a message being written.</summary>
public sealed record ComposeAttachment(string FileName, string ContentType, byte[] Content)
{
    /// <summary>True for a message forwarded as attachment (message/rfc822).</summary>
    public bool IsMessage => ContentType.Equals("message/rfc822", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The message being written, as the compose form edits it and the drafts keep it.</summary>
public sealed class ComposeModel
{
    /// <summary>The mailbox the message is sent from (own, or a delegated service mailbox).</summary>
    public string FromMailbox { get; set; } = "";

    public string To { get; set; } = "";

    public string Cc { get; set; } = "";

    public string Bcc { get; set; } = "";

    public string Subject { get; set; } = "";

    /// <summary>The body as the rich-text editor produces it (HTML, sanitised by the builder's plain-text copy).</summary>
    public string Html { get; set; } = "";

    public List<ComposeAttachment> Attachments { get; } = [];

    /// <summary>Ask for a read receipt (Disposition-Notification-To, RFC 8098 §2.1).</summary>
    public bool RequestReadReceipt { get; set; }

    /// <summary>Ask for delivery status notifications (RFC 3461 NOTIFY=SUCCESS,FAILURE).</summary>
    public bool RequestDeliveryNotification { get; set; }

    public string? InReplyTo { get; set; }

    public List<string> References { get; } = [];

    /// <summary>The Message-ID, stable for the whole life of the message (drafts and the sent copy).</summary>
    public string MessageId { get; set; } = NewMessageId();

    /// <summary>The UID of the last saved draft in the Drafts folder of <see cref="FromMailbox"/>, if any.</summary>
    public uint? DraftUid { get; set; }

    /// <summary>The IMAP name of the Drafts folder the draft lives in.</summary>
    public string? DraftFolder { get; set; }

    /// <summary>The UID (in <see cref="SourceFolder"/>) of the message answered, to flag it \Answered after sending.</summary>
    public uint? AnsweredUid { get; set; }

    public string? SourceFolder { get; set; }

    /// <summary>True for a forward: the source gets $Forwarded after sending.</summary>
    public bool IsForward { get; set; }

    /// <summary>True until the form has put the sending mailbox's signature into a new message, reply or forward.</summary>
    public bool InsertSignature { get; set; }

    public bool IsEmpty => string.IsNullOrWhiteSpace(To) && string.IsNullOrWhiteSpace(Cc) && string.IsNullOrWhiteSpace(Bcc)
        && string.IsNullOrWhiteSpace(Subject) && string.IsNullOrWhiteSpace(MSSante.Mime.HtmlToText.Convert(Html)) && Attachments.Count == 0;

    public static string NewMessageId() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant() + "@webmail.mssante.fr";
}
