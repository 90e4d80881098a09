using System.Net.Security;

namespace MSSante.Mail;

/// <summary>
/// The TLS cipher suites the mail clients offer. Over TLS 1.2 only forward-secret AEAD suites
/// (ECDHE key exchange with AES-GCM or ChaCha20-Poly1305, RFC 5289 and RFC 7905, as ANSSI's
/// TLS guide and RFC 9325 §4.2 recommend); every TLS 1.3 suite is AEAD with forward secrecy
/// (RFC 8446 §9.1, §B.4), so all of them stay allowed.
/// </summary>
public static class MailCipherSuites
{
    /// <summary>The default of <see cref="MailConnectionOptions.CipherSuites"/>.</summary>
    public static IReadOnlyList<TlsCipherSuite> Recommended { get; } =
    [
        // TLS 1.3 (RFC 8446 §B.4)
        TlsCipherSuite.TLS_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_AES_128_CCM_SHA256,
        TlsCipherSuite.TLS_AES_128_CCM_8_SHA256,

        // TLS 1.2: ECDHE + AEAD only
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    /// <summary>
    /// The policy for <see cref="SslClientAuthenticationOptions.CipherSuitesPolicy"/>, or null to
    /// leave the choice to the platform: when no list is configured, or where .NET cannot restrict
    /// suites (Windows SChannel takes them from the system configuration; Linux and macOS can).
    /// </summary>
    internal static CipherSuitesPolicy? CreatePolicy(IReadOnlyList<TlsCipherSuite>? suites)
    {
        if (suites is null || OperatingSystem.IsWindows() || OperatingSystem.IsAndroid())
        {
            return null;
        }
        if (suites.Count == 0)
        {
            throw new ArgumentException("MailConnectionOptions.CipherSuites is empty: no TLS connection could ever be made (use null for the platform's choice).", nameof(suites));
        }
        return new CipherSuitesPolicy(suites);
    }
}
