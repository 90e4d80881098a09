using System.Security.Cryptography;

namespace MSSante.Pkcs11;

/// <summary>A certificate found on a token, with the CKA_ID that links it to its private key.</summary>
/// <param name="Handle">The object handle in the session that found it.</param>
/// <param name="Id">CKA_ID (may be empty).</param>
/// <param name="Label">CKA_LABEL, e.g. "Certificat d'Authentification CPS".</param>
/// <param name="Der">CKA_VALUE: the DER-encoded X.509 certificate.</param>
public sealed record TokenCertificate(ulong Handle, byte[] Id, string Label, byte[] Der);

/// <summary>The ways a token can produce an RSA signature with SHA-256.</summary>
public enum SignatureMechanism
{
    /// <summary>CKM_SHA256_RSA_PKCS: the token hashes and pads (PKCS #1 v1.5).</summary>
    Sha256RsaPkcs,
    /// <summary>CKM_RSA_PKCS: the caller hashes and builds the DigestInfo (RFC 8017 §9.2).</summary>
    RsaPkcsWithDigestInfo,
    /// <summary>CKM_SHA256_RSA_PKCS_PSS: the token hashes, PSS padding (CPS4 cards).</summary>
    Sha256RsaPkcsPss,
    /// <summary>CKM_RSA_PKCS_PSS: the caller hashes, the token pads with PSS.</summary>
    RsaPkcsPss,
}

/// <summary>What a card login does with a token, built on the raw <see cref="Pkcs11Library"/> calls.</summary>
public static class CardOperations
{
    // RFC 8017 §9.2 note 1: DER of DigestInfo for SHA-256, followed by the 32-byte hash.
    private static readonly byte[] Sha256DigestInfoPrefix =
        [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];

    /// <summary>Runs C_FindObjectsInit / C_FindObjects / C_FindObjectsFinal and returns every handle found.</summary>
    public static IReadOnlyList<ulong> FindObjects(this Pkcs11Library library, ulong session, params Pkcs11Attribute[] template)
    {
        ArgumentNullException.ThrowIfNull(library);
        library.C_FindObjectsInit(session, template);
        var found = new List<ulong>();
        try
        {
            while (true)
            {
                var batch = library.C_FindObjects(session, 16);
                if (batch.Length == 0)
                {
                    break;
                }
                found.AddRange(batch);
            }
        }
        finally
        {
            library.C_FindObjectsFinal(session);
        }
        return found;
    }

    /// <summary>The X.509 certificates on the token (public objects: no login needed).</summary>
    public static IReadOnlyList<TokenCertificate> ListCertificates(this Pkcs11Library library, ulong session)
    {
        var handles = library.FindObjects(session,
            Pkcs11Attribute.Ulong(CKA.CLASS, CKO.CERTIFICATE),
            Pkcs11Attribute.Ulong(CKA.CERTIFICATE_TYPE, CKC.X_509));
        var result = new List<TokenCertificate>(handles.Count);
        foreach (var handle in handles)
        {
            var values = library.C_GetAttributeValue(session, handle, CKA.VALUE, CKA.ID, CKA.LABEL);
            if (values[0] is null)
            {
                continue;
            }
            result.Add(new TokenCertificate(handle, values[1] ?? [], values[2] is null ? "" : System.Text.Encoding.UTF8.GetString(values[2]!), values[0]!));
        }
        return result;
    }

    /// <summary>The private key whose CKA_ID is <paramref name="id"/> (needs a logged-in session).</summary>
    public static ulong? FindPrivateKey(this Pkcs11Library library, ulong session, ReadOnlySpan<byte> id)
    {
        var handles = library.FindObjects(session,
            Pkcs11Attribute.Ulong(CKA.CLASS, CKO.PRIVATE_KEY),
            Pkcs11Attribute.Bytes(CKA.ID, id));
        return handles.Count == 0 ? null : handles[0];
    }

    /// <summary>
    /// Signs <paramref name="data"/> with SHA-256 and the given mechanism. For the raw
    /// mechanisms the hash is computed here; the result is the same signature a verifier
    /// checks over <paramref name="data"/> with RSA PKCS #1 v1.5 or PSS (salt 32 bytes).
    /// </summary>
    public static byte[] Sign(this Pkcs11Library library, ulong session, ulong privateKey, SignatureMechanism mechanism, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(library);
        switch (mechanism)
        {
            case SignatureMechanism.Sha256RsaPkcs:
                library.C_SignInit(session, CKM.SHA256_RSA_PKCS, privateKey);
                return library.C_Sign(session, data);
            case SignatureMechanism.Sha256RsaPkcsPss:
                library.C_SignInit(session, CKM.SHA256_RSA_PKCS_PSS, privateKey);
                return library.C_Sign(session, data);
            case SignatureMechanism.RsaPkcsWithDigestInfo:
                {
                    var digestInfo = new byte[Sha256DigestInfoPrefix.Length + 32];
                    Sha256DigestInfoPrefix.CopyTo(digestInfo, 0);
                    SHA256.HashData(data, digestInfo.AsSpan(Sha256DigestInfoPrefix.Length));
                    library.C_SignInit(session, CKM.RSA_PKCS, privateKey);
                    return library.C_Sign(session, digestInfo);
                }
            case SignatureMechanism.RsaPkcsPss:
                library.C_SignInit(session, CKM.RSA_PKCS_PSS, privateKey);
                return library.C_Sign(session, SHA256.HashData(data));
            default:
                throw new ArgumentOutOfRangeException(nameof(mechanism));
        }
    }

    /// <summary>The RSA public key of a public-key object (CKA_MODULUS and CKA_PUBLIC_EXPONENT).</summary>
    public static RSAParameters ReadRsaPublicKey(this Pkcs11Library library, ulong session, ulong publicKey)
    {
        ArgumentNullException.ThrowIfNull(library);
        var values = library.C_GetAttributeValue(session, publicKey, CKA.MODULUS, CKA.PUBLIC_EXPONENT);
        if (values[0] is null || values[1] is null)
        {
            throw new Pkcs11Exception("C_GetAttributeValue", CKR.ATTRIBUTE_TYPE_INVALID);
        }
        return new RSAParameters { Modulus = values[0], Exponent = values[1] };
    }

    /// <summary>The slot holding the token labelled <paramref name="label"/>, or null.</summary>
    public static ulong? FindSlotByTokenLabel(this Pkcs11Library library, string label)
    {
        ArgumentNullException.ThrowIfNull(library);
        foreach (var slot in library.C_GetSlotList(tokenPresent: true))
        {
            if (library.C_GetTokenInfo(slot).Label == label)
            {
                return slot;
            }
        }
        return null;
    }
}
