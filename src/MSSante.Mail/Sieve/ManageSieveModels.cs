namespace MSSante.Mail.Sieve;

/// <summary>One script on the server (RFC 5804 §2.7 LISTSCRIPTS).</summary>
/// <param name="Name">The script name.</param>
/// <param name="IsActive">True for the single active script.</param>
public sealed record SieveScriptInfo(string Name, bool IsActive);

/// <summary>The server's final answer to a command (RFC 5804 §1.3).</summary>
/// <param name="Status">OK, NO or BYE.</param>
/// <param name="Code">The response code in parentheses (e.g. <c>QUOTA/MAXSIZE</c>, <c>WARNINGS</c>), or null.</param>
/// <param name="Text">The human-readable text (may come as a literal), or empty.</param>
public sealed record ManageSieveResponse(string Status, string? Code, string Text)
{
    /// <summary>True for OK.</summary>
    public bool IsOk => Status == "OK";
}

/// <summary>The connection is unusable (bad syntax, closed, timed out, BYE): reconnect.</summary>
public sealed class ManageSieveProtocolException : MailProtocolException
{
    /// <summary>Creates the exception.</summary>
    public ManageSieveProtocolException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ManageSieveProtocolException(string message, Exception? innerException) : base(message, innerException)
    {
    }
}

/// <summary>The server answered NO: the connection is still usable.</summary>
public sealed class ManageSieveCommandException : MailCommandException
{
    /// <summary>Creates the exception for <paramref name="command"/>.</summary>
    public ManageSieveCommandException(string command, string? responseCode, string serverText)
        : base($"ManageSieve {command} failed: {serverText}", serverText, responseCode)
    {
        Command = command;
    }

    /// <summary>The command that was refused (without arguments).</summary>
    public string Command { get; }

    /// <summary>The response code (RFC 5804 §1.3), e.g. <c>QUOTA</c>, <c>NONEXISTENT</c>, or null.</summary>
    public string? ResponseCode => EnhancedCode;
}
