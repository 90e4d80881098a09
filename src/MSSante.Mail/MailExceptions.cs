namespace MSSante.Mail;

/// <summary>
/// The connection to the mail server is gone or can no longer be trusted (I/O error, timeout,
/// garbled or truncated response, untagged BYE, TLS failure). The caller must reconnect.
/// </summary>
public class MailProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MailProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception around its cause.</summary>
    public MailProtocolException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>
/// The server refused a command (IMAP NO/BAD, SMTP 4xx/5xx). The connection is still usable.
/// </summary>
public class MailCommandException : Exception
{
    /// <summary>Creates the exception with the server's text.</summary>
    public MailCommandException(string message, string serverText, string? enhancedCode)
        : base(message)
    {
        ServerText = serverText;
        EnhancedCode = enhancedCode;
    }

    /// <summary>The human-readable text the server sent with its refusal.</summary>
    public string ServerText { get; }

    /// <summary>
    /// The machine-readable code: the IMAP response code (RFC 5530, e.g. <c>AUTHENTICATIONFAILED</c>)
    /// or the SMTP enhanced status code (RFC 3463, e.g. <c>5.7.1</c>), when the server sent one.
    /// </summary>
    public string? EnhancedCode { get; }
}

/// <summary>IMAP connection lost or garbled: reconnect.</summary>
public class ImapProtocolException : MailProtocolException
{
    /// <summary>Creates the exception.</summary>
    public ImapProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception around its cause.</summary>
    public ImapProtocolException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The kind of tagged refusal an IMAP server sent.</summary>
public enum ImapCompletionStatus
{
    /// <summary>The command succeeded.</summary>
    Ok,

    /// <summary>The command was understood but failed (RFC 9051 §7.1.2).</summary>
    No,

    /// <summary>The command was not understood or its arguments were wrong (RFC 9051 §7.1.3).</summary>
    Bad,
}

/// <summary>The IMAP server answered NO or BAD; the connection remains usable.</summary>
public class ImapCommandException : MailCommandException
{
    /// <summary>Creates the exception.</summary>
    public ImapCommandException(string command, ImapCompletionStatus status, string? responseCode, string serverText)
        : base($"IMAP {command} refused ({status}{(responseCode is null ? string.Empty : " [" + responseCode + "]")}): {serverText}", serverText, responseCode)
    {
        Command = command;
        Status = status;
    }

    /// <summary>The command name (never its arguments, which may carry secrets or mailbox names).</summary>
    public string Command { get; }

    /// <summary>NO or BAD.</summary>
    public ImapCompletionStatus Status { get; }

    /// <summary>The response code in brackets, e.g. <c>TRYCREATE</c>, <c>AUTHENTICATIONFAILED</c>, <c>ALERT</c>.</summary>
    public string? ResponseCode => EnhancedCode;
}

/// <summary>SMTP connection lost or garbled: reconnect.</summary>
public class SmtpProtocolException : MailProtocolException
{
    /// <summary>Creates the exception.</summary>
    public SmtpProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception around its cause.</summary>
    public SmtpProtocolException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The SMTP server answered 4xx or 5xx; the connection remains usable (after RSET).</summary>
public class SmtpCommandException : MailCommandException
{
    /// <summary>Creates the exception.</summary>
    public SmtpCommandException(string command, int statusCode, string? enhancedCode, string serverText)
        : base($"SMTP {command} refused ({statusCode}{(enhancedCode is null ? string.Empty : " " + enhancedCode)}): {serverText}", serverText, enhancedCode)
    {
        Command = command;
        StatusCode = statusCode;
    }

    /// <summary>The command verb that was refused (MAIL, RCPT, DATA, AUTH...).</summary>
    public string Command { get; }

    /// <summary>The three-digit reply code (RFC 5321 §4.2).</summary>
    public int StatusCode { get; }

    /// <summary>True for 4xx replies: trying later may succeed.</summary>
    public bool IsTransient => StatusCode is >= 400 and < 500;
}
