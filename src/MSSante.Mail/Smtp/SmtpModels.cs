namespace MSSante.Mail.Smtp;

/// <summary>When the server should send delivery status notifications for a recipient (RFC 3461 §4.1).</summary>
[Flags]
public enum SmtpNotify
{
    /// <summary>No NOTIFY parameter: the server's default (failure and delay).</summary>
    Default = 0,
    /// <summary>NOTIFY=NEVER</summary>
    Never = 1,
    /// <summary>SUCCESS</summary>
    Success = 2,
    /// <summary>FAILURE</summary>
    Failure = 4,
    /// <summary>DELAY</summary>
    Delay = 8,
}

/// <summary>What a DSN returns of the message (RFC 3461 §4.3).</summary>
public enum SmtpDsnReturn
{
    /// <summary>No RET parameter.</summary>
    Default,
    /// <summary>RET=FULL</summary>
    Full,
    /// <summary>RET=HDRS</summary>
    Headers,
}

/// <summary>One recipient of the envelope.</summary>
/// <param name="Address">The address (RCPT TO).</param>
/// <param name="Notify">DSN NOTIFY.</param>
/// <param name="OriginalRecipient">DSN ORCPT (the address as the user typed it), or null.</param>
public sealed record SmtpRecipient(string Address, SmtpNotify Notify = SmtpNotify.Default, string? OriginalRecipient = null);

/// <summary>The SMTP envelope of one message (RFC 5321 §2.3.1).</summary>
public sealed class SmtpEnvelope
{
    /// <summary>The reverse path (MAIL FROM); empty for a null sender (bounces, MDNs sent automatically).</summary>
    public required string From { get; init; }

    /// <summary>The recipients.</summary>
    public required IReadOnlyList<SmtpRecipient> Recipients { get; init; }

    /// <summary>DSN RET.</summary>
    public SmtpDsnReturn Return { get; init; }

    /// <summary>DSN ENVID, the sender's identifier for this transaction.</summary>
    public string? EnvelopeId { get; init; }
}

/// <summary>A server reply (RFC 5321 §4.2) with its enhanced status code (RFC 3463) when sent.</summary>
/// <param name="Code">The three-digit code.</param>
/// <param name="EnhancedCode">e.g. <c>5.7.1</c>, or null.</param>
/// <param name="Text">The text of every line, joined with line feeds, enhanced code removed.</param>
public sealed record SmtpReply(int Code, string? EnhancedCode, string Text)
{
    /// <summary>2xx</summary>
    public bool IsSuccess => Code is >= 200 and < 300;
}

/// <summary>What the server said about one recipient.</summary>
/// <param name="Address">The recipient.</param>
/// <param name="Accepted">True when RCPT TO was accepted.</param>
/// <param name="Reply">The server's reply to RCPT TO.</param>
public sealed record SmtpRecipientResult(string Address, bool Accepted, SmtpReply Reply);

/// <summary>The outcome of a send in which at least one recipient was accepted and the data was accepted.</summary>
public sealed class SmtpSendResult
{
    /// <summary>Each recipient's result, in envelope order.</summary>
    public required IReadOnlyList<SmtpRecipientResult> Recipients { get; init; }

    /// <summary>The server's reply to the end of data (often carrying a queue id).</summary>
    public required SmtpReply DataReply { get; init; }

    /// <summary>Recipients accepted.</summary>
    public IEnumerable<SmtpRecipientResult> Accepted => Recipients.Where(r => r.Accepted);

    /// <summary>Recipients refused, each with the server's code and text.</summary>
    public IEnumerable<SmtpRecipientResult> Refused => Recipients.Where(r => !r.Accepted);
}

/// <summary>Every recipient was refused: nothing was sent. The per-recipient replies say why.</summary>
public sealed class SmtpRecipientsRefusedException : SmtpCommandException
{
    /// <summary>Creates the exception from the per-recipient results.</summary>
    public SmtpRecipientsRefusedException(IReadOnlyList<SmtpRecipientResult> recipients)
        : base("RCPT", recipients.Count > 0 ? recipients[0].Reply.Code : 554, recipients.Count > 0 ? recipients[0].Reply.EnhancedCode : null,
            string.Join("; ", recipients.Select(r => r.Address + ": " + r.Reply.Text)))
    {
        Recipients = recipients;
    }

    /// <summary>Each recipient's refusal.</summary>
    public IReadOnlyList<SmtpRecipientResult> Recipients { get; }
}

/// <summary>The message is larger than the SIZE the server announced (RFC 1870); refused before sending it.</summary>
public sealed class SmtpMessageTooLargeException : SmtpCommandException
{
    /// <summary>Creates the exception.</summary>
    public SmtpMessageTooLargeException(long size, long limit)
        : base("MAIL", 552, "5.3.4", $"Le message ({size} octets) dépasse la taille maximale acceptée par le serveur ({limit} octets).")
    {
        Size = size;
        Limit = limit;
    }

    /// <summary>The message size.</summary>
    public long Size { get; }

    /// <summary>The server's limit.</summary>
    public long Limit { get; }
}
