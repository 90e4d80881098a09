namespace MSSante.Infrastructure.Persistence.DataProtection;

/// <summary>
/// Settings of section <c>DataProtection</c>: the certificate that encrypts the Data Protection
/// key ring at rest in the database (XML encryption to the certificate's RSA key). Without it
/// the keys are stored in clear and anyone reading the database can forge session cookies.
/// </summary>
public sealed class KeyEncryptionOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "DataProtection";

    /// <summary>PEM certificate whose RSA public key encrypts new keys (every host shares it).</summary>
    public string? CertificateFile { get; set; }

    /// <summary>PEM private key of <see cref="CertificateFile"/> (readable by the web host only).</summary>
    public string? KeyFile { get; set; }

    /// <summary>
    /// Earlier certificates (each "certificate.pem|key.pem"), kept after a rotation so that keys
    /// they encrypted can still be read until they expire.
    /// </summary>
    public IList<string> PreviousCertificates { get; } = [];
}
