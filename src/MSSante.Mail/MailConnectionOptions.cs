using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MSSante.Mail;

/// <summary>How the connection to the server is protected.</summary>
public enum MailSecurity
{
    /// <summary>TLS from the first byte (IMAPS 993, submissions 465).</summary>
    Tls,

    /// <summary>Plain text first, then STARTTLS before anything else (RFC 9051 §6.2.1, RFC 3207).</summary>
    StartTls,

    /// <summary>No TLS at all. Only for loopback tests with a fake server; never for an operator.</summary>
    None,
}

/// <summary>Where and how to reach one IMAP or SMTP server.</summary>
public sealed class MailConnectionOptions
{
    /// <summary>The server host name or address.</summary>
    public required string Host { get; init; }

    /// <summary>The TCP port.</summary>
    public required int Port { get; init; }

    /// <summary>Implicit TLS, STARTTLS or (tests only) nothing.</summary>
    public MailSecurity Security { get; init; } = MailSecurity.Tls;

    /// <summary>
    /// The name the server certificate must carry (SAN dNSName or iPAddress). Defaults to <see cref="Host"/>.
    /// </summary>
    public string? ServerName { get; init; }

    /// <summary>
    /// The only certificates trusted as roots of the server's chain (IGC-Santé roots in production,
    /// the test CA locally). The machine store is never consulted. Must not be empty when TLS is used.
    /// </summary>
    public X509Certificate2Collection TrustAnchors { get; init; } = [];

    /// <summary>Intermediate certificates the server might not send.</summary>
    public X509Certificate2Collection ExtraIntermediates { get; init; } = [];

    /// <summary>How revocation of the server chain is checked (Référentiel #2 asks for CRL/OCSP in production).</summary>
    public X509RevocationMode RevocationMode { get; init; } = X509RevocationMode.NoCheck;

    /// <summary>A certificate with its private key for mutual TLS (CPS card or file), or null.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// The TLS cipher suites offered (TLS 1.2 is the minimum version in any case). Defaults to
    /// <see cref="MailCipherSuites.Recommended"/>: ECDHE with AES-GCM or ChaCha20-Poly1305 over
    /// TLS 1.2, any TLS 1.3 suite, so a server offering only older suites (RSA key exchange, CBC)
    /// is refused with a protocol error. Null leaves the choice to the platform (OpenSSL's
    /// configuration). Applied where .NET supports it (Linux, macOS); Windows uses its system policy.
    /// </summary>
    public IReadOnlyList<TlsCipherSuite>? CipherSuites { get; init; } = MailCipherSuites.Recommended;

    /// <summary>The limit for connecting and for each wait on the server; past it the connection is dropped.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest response line accepted before the server is deemed broken.</summary>
    public int MaxLineLength { get; init; } = 1024 * 1024;

    /// <summary>The largest literal accepted from the server.</summary>
    public long MaxLiteralSize { get; init; } = 256L * 1024 * 1024;

    /// <summary>An optional support log of the exchange (credentials masked, bodies elided). Off when null.</summary>
    public IMailProtocolLog? ProtocolLog { get; init; }

    internal string EffectiveServerName => string.IsNullOrEmpty(ServerName) ? Host : ServerName;
}
