namespace MSSante.Mime;

/// <summary>What the receiving server accepts, which decides how the builder encodes.</summary>
public sealed record MimeFormatOptions
{
    /// <summary>7-bit safe output for any server (the default).</summary>
    public static MimeFormatOptions Default { get; } = new();

    /// <summary>The server announced 8BITMIME (RFC 6152): text may travel as 8bit instead of quoted-printable.</summary>
    public bool EightBitMime { get; init; }

    /// <summary>The server announced SMTPUTF8 (RFC 6531): headers may hold raw UTF-8 (RFC 6532) instead of encoded words.</summary>
    public bool SmtpUtf8 { get; init; }

    /// <summary>Domain used in generated Message-IDs when the builder has no From address.</summary>
    public string MessageIdDomain { get; init; } = "mssante.local";
}
