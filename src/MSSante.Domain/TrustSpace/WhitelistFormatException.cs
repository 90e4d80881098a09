namespace MSSante.Domain.TrustSpace;

/// <summary>Thrown when a whitelist file cannot be used (not the format, or no domain at all).</summary>
public sealed class WhitelistFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WhitelistFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public WhitelistFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
