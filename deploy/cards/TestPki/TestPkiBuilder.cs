using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MSSante.TestPki;

/// <summary>
/// The test PKI of the demo and the tests: authorities named after IGC-Santé's but clearly
/// marked TEST, card certificates with the subjects real CPS cards carry, and CRLs. Used by
/// deploy/cards.sh (through the TestPki tool, for keys generated on SoftHSM2 tokens) and by
/// the tests (in process, with software keys). Never a production PKI.
/// </summary>
public static class TestPkiBuilder
{
    /// <summary>DN of the test root, on the pattern of "AC RACINE IGC-SANTE ...".</summary>
    public static X500DistinguishedName RootName(string cn = "AC RACINE IGC-SANTE TEST") => AuthorityName(cn);

    /// <summary>DN of the test intermediate issuing card certificates.</summary>
    public static X500DistinguishedName IntermediateName(string cn = "AC IGC-SANTE TEST PERSONNES") => AuthorityName(cn);

    private static X500DistinguishedName AuthorityName(string cn)
    {
        var b = new X500DistinguishedNameBuilder();
        b.AddCountryOrRegion("FR");
        b.AddOrganizationName("ASIP-SANTE TEST");
        b.AddOrganizationalUnitName("0002 187512751");
        b.AddOrganizationalUnitName("IGC-SANTE TEST");
        b.AddCommonName(cn);
        return b.Build();
    }

    /// <summary>
    /// A CPS-like subject: <c>C=FR, title=&lt;profession&gt;, CN=&lt;idNat&gt;+SN=&lt;surname&gt;+GN=&lt;given&gt;</c>
    /// (one multi-valued RDN, which X500DistinguishedNameBuilder cannot write), UTF8String values.
    /// </summary>
    public static X500DistinguishedName CardSubject(string idNat, string surname, string givenName, string profession)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            WriteRdn(w, ("2.5.4.6", "FR", UniversalTagNumber.PrintableString));
            WriteRdn(w, ("2.5.4.12", profession, UniversalTagNumber.UTF8String));
            WriteRdn(w,
                ("2.5.4.3", idNat, UniversalTagNumber.UTF8String),
                ("2.5.4.4", surname, UniversalTagNumber.UTF8String),
                ("2.5.4.42", givenName, UniversalTagNumber.UTF8String));
        }
        return new X500DistinguishedName(w.Encode());
    }

    private static void WriteRdn(AsnWriter w, params (string Oid, string Value, UniversalTagNumber Tag)[] values)
    {
        // DER sorts the SET OF members; AsnWriter does it when the set is popped.
        using (w.PushSetOf())
        {
            foreach (var (oid, value, tag) in values)
            {
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(oid);
                    w.WriteCharacterString(tag, value);
                }
            }
        }
    }

    /// <summary>A self-signed authority (root), RSA 2048, valid from yesterday for <paramref name="years"/> years.</summary>
    public static X509Certificate2 CreateRoot(X500DistinguishedName name, RSA key, int years = 10)
    {
        var req = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        // Backdated so that expired test cards still fall inside the authority's own validity.
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-5), DateTimeOffset.UtcNow.AddYears(years));
    }

    /// <summary>An intermediate authority signed by <paramref name="issuer"/> (which must hold its private key).</summary>
    public static X509Certificate2 CreateIntermediate(X500DistinguishedName name, RSA key, X509Certificate2 issuer, int years = 8)
    {
        var req = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var cert = req.Create(issuer, DateTimeOffset.UtcNow.AddYears(-5).AddHours(1), DateTimeOffset.UtcNow.AddYears(years), NewSerial());
        return cert.CopyWithPrivateKey(key);
    }

    /// <summary>
    /// A card's authentication certificate for <paramref name="publicKey"/>, signed by
    /// <paramref name="issuer"/>; or self-signed when <paramref name="issuer"/> is null and
    /// <paramref name="selfSigningKey"/> is the key itself.
    /// </summary>
    public static X509Certificate2 CreateCardCertificate(
        X500DistinguishedName subject,
        PublicKey publicKey,
        X509Certificate2? issuer,
        DateTimeOffset notBefore,
        DateTimeOffset notAfter,
        X509KeyUsageFlags keyUsage = X509KeyUsageFlags.DigitalSignature,
        RSA? selfSigningKey = null,
        byte[]? serial = null)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var req = new CertificateRequest(subject, publicKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(keyUsage, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false)); // clientAuth
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        if (issuer is not null)
        {
            req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            // CertificateRequest refuses validity outside the issuer's; expired and future
            // variants stay inside it because the authorities are valid for years both ways.
            return req.Create(issuer, notBefore, notAfter, serial ?? NewSerial());
        }
        var self = new CertificateRequest(subject, selfSigningKey ?? throw new ArgumentNullException(nameof(selfSigningKey)), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        foreach (var ext in req.CertificateExtensions)
        {
            self.CertificateExtensions.Add(ext);
        }
        using var withKey = self.CreateSelfSigned(notBefore, notAfter);
        return X509CertificateLoader.LoadCertificate(withKey.RawData);
    }

    /// <summary>A CRL (RFC 5280 §5) of <paramref name="issuer"/> listing <paramref name="revokedSerials"/>.</summary>
    public static byte[] CreateCrl(X509Certificate2 issuer, IEnumerable<byte[]> revokedSerials, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, long number = 1)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in revokedSerials)
        {
            builder.AddEntry(serial, thisUpdate.AddMinutes(-1), X509RevocationReason.KeyCompromise);
        }
        return builder.Build(issuer, new BigInteger(number), nextUpdate, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1, thisUpdate);
    }

    /// <summary>A random positive 16-byte serial number.</summary>
    public static byte[] NewSerial()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x01;
        return serial;
    }
}
