using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MSSante.Webmail.Authentication;

/// <summary>
/// A parsed X.509 CRL (RFC 5280 §5.1). The BCL can build CRLs but not read them, so the
/// structure is read with AsnReader; the signature is checked against the issuer here.
/// </summary>
public sealed class CertificateRevocationList
{
    private readonly HashSet<BigInteger> _revoked;
    private readonly byte[] _tbs;
    private readonly byte[] _signature;
    private readonly string _signatureAlgorithm;

    private CertificateRevocationList(byte[] issuer, DateTimeOffset thisUpdate, DateTimeOffset? nextUpdate, HashSet<BigInteger> revoked, byte[] tbs, string algorithm, byte[] signature)
    {
        IssuerDer = issuer;
        ThisUpdate = thisUpdate;
        NextUpdate = nextUpdate;
        _revoked = revoked;
        _tbs = tbs;
        _signatureAlgorithm = algorithm;
        _signature = signature;
    }

    /// <summary>DER of the issuer Name.</summary>
    public byte[] IssuerDer { get; }

    /// <summary>thisUpdate.</summary>
    public DateTimeOffset ThisUpdate { get; }

    /// <summary>nextUpdate (absent only in malformed CRLs, which are then refused as stale).</summary>
    public DateTimeOffset? NextUpdate { get; }

    /// <summary>Number of revoked serials.</summary>
    public int Count => _revoked.Count;

    /// <summary>Parses a DER or PEM CRL.</summary>
    /// <exception cref="CryptographicException">Not a CRL.</exception>
    public static CertificateRevocationList Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var der = data;
        var text = System.Text.Encoding.ASCII.GetString(data, 0, Math.Min(data.Length, 64));
        if (text.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            var pem = PemEncoding.Find(System.Text.Encoding.ASCII.GetString(data));
            der = Convert.FromBase64String(System.Text.Encoding.ASCII.GetString(data)[pem.Base64Data]);
        }
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            var tbs = outer.ReadEncodedValue().ToArray();
            var algorithm = outer.ReadSequence().ReadObjectIdentifier();
            var signature = outer.ReadBitString(out _);

            var t = new AsnReader(tbs, AsnEncodingRules.DER).ReadSequence();
            if (t.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
            {
                t.ReadInteger(); // version v2
            }
            t.ReadSequence(); // signature AlgorithmIdentifier (same as the outer one)
            var issuer = t.ReadEncodedValue().ToArray();
            var thisUpdate = ReadTime(t);
            DateTimeOffset? nextUpdate = null;
            if (t.HasData && (t.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || t.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
            {
                nextUpdate = ReadTime(t);
            }
            var revoked = new HashSet<BigInteger>();
            if (t.HasData && t.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
            {
                var entries = t.ReadSequence();
                while (entries.HasData)
                {
                    var entry = entries.ReadSequence();
                    revoked.Add(entry.ReadInteger());
                }
            }
            return new CertificateRevocationList(issuer, thisUpdate, nextUpdate, revoked, tbs, algorithm, signature);
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException("Not a valid DER CRL.", ex);
        }
    }

    private static DateTimeOffset ReadTime(AsnReader r) =>
        r.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) ? r.ReadUtcTime() : r.ReadGeneralizedTime();

    /// <summary>True when <paramref name="issuer"/> issued this CRL and its signature is valid.</summary>
    public bool IsSignedBy(X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (!issuer.SubjectName.RawData.AsSpan().SequenceEqual(IssuerDer))
        {
            return false;
        }
        var hash = _signatureAlgorithm switch
        {
            "1.2.840.113549.1.1.11" or "1.2.840.10045.4.3.2" => HashAlgorithmName.SHA256,
            "1.2.840.113549.1.1.12" or "1.2.840.10045.4.3.3" => HashAlgorithmName.SHA384,
            "1.2.840.113549.1.1.13" or "1.2.840.10045.4.3.4" => HashAlgorithmName.SHA512,
            _ => default,
        };
        if (hash == default)
        {
            return false;
        }
        using var rsa = issuer.GetRSAPublicKey();
        if (rsa is not null)
        {
            return rsa.VerifyData(_tbs, _signature, hash, RSASignaturePadding.Pkcs1);
        }
        using var ecdsa = issuer.GetECDsaPublicKey();
        return ecdsa is not null && ecdsa.VerifyData(_tbs, _signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>True when the certificate's serial number is listed.</summary>
    public bool IsRevoked(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return _revoked.Contains(new BigInteger(certificate.SerialNumberBytes.Span, isUnsigned: false, isBigEndian: true));
    }
}
