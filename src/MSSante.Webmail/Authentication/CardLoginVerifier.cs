using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MSSante.Domain.Identity;

namespace MSSante.Webmail.Authentication;

/// <summary>What the login page posts after the bridge signed: all base64.</summary>
/// <param name="Challenge">The challenge bytes exactly as received from the server.</param>
/// <param name="Signature">The card's signature over them.</param>
/// <param name="Algorithm">"RS256" or "PS256".</param>
/// <param name="Certificates">The authentication certificate first, then any other certificates from the card.</param>
public sealed record CardLoginRequest(string? Challenge, string? Signature, string? Algorithm, IReadOnlyList<string>? Certificates);

/// <summary>The outcome: an identity with mailboxes, or a refusal.</summary>
/// <param name="Identity">The card holder (null on refusal).</param>
/// <param name="Mailboxes">Mailboxes they may open.</param>
/// <param name="Failure">Why it was refused (null on success).</param>
public sealed record CardLoginResult(CpsIdentity? Identity, IReadOnlyList<string> Mailboxes, CardLoginFailure? Failure)
{
    internal static CardLoginResult Refused(CardLoginFailure failure) => new(null, [], failure);
}

/// <summary>
/// Server-side check of a card login (ARCHITECTURE.md "Card login" step 3): the challenge is
/// ours, unused, unexpired and for this origin; the certificate chains to a configured
/// IGC-Santé anchor only, is within its dates, allows digitalSignature and is not revoked by
/// the configured CRLs; the signature covers the exact challenge bytes; the subject names a
/// practitioner with mailboxes. Pure computation plus the challenge store: no I/O but the
/// configured files.
/// </summary>
public sealed class CardLoginVerifier(
    IChallengeStore challenges,
    TrustMaterial trust,
    IMailboxDirectory directory,
    IOptions<CardLoginOptions> options,
    TimeProvider time)
{
    /// <summary>Issues a challenge for <paramref name="origin"/> (which must be configured).</summary>
    public async Task<IssuedChallenge?> IssueChallengeAsync(string origin, CancellationToken cancellationToken = default)
    {
        if (!IsAllowedOrigin(origin))
        {
            return null;
        }
        var challenge = IssuedChallenge.Create(origin, time.GetUtcNow(), TimeSpan.FromSeconds(options.Value.ChallengeLifetimeSeconds));
        await challenges.AddAsync(challenge, cancellationToken).ConfigureAwait(false);
        return challenge;
    }

    /// <summary>True for an origin listed in CardLogin:AllowedOrigins.</summary>
    public bool IsAllowedOrigin(string? origin) =>
        !string.IsNullOrEmpty(origin) && options.Value.AllowedOrigins.Any(o => string.Equals(o.TrimEnd('/'), origin, StringComparison.OrdinalIgnoreCase));

    /// <summary>Verifies <paramref name="request"/> arriving from <paramref name="origin"/>.</summary>
    public async Task<CardLoginResult> VerifyAsync(CardLoginRequest request, string? origin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var o = options.Value;
        var now = time.GetUtcNow();
        var skew = TimeSpan.FromSeconds(o.ClockSkewSeconds);
        if (!IsAllowedOrigin(origin))
        {
            return CardLoginResult.Refused(CardLoginFailure.OriginNotAllowed());
        }
        byte[] challengeBytes, signature;
        var certificates = new List<X509Certificate2>();
        try
        {
            challengeBytes = Convert.FromBase64String(request.Challenge ?? throw new FormatException());
            signature = Convert.FromBase64String(request.Signature ?? throw new FormatException());
            if (request.Certificates is null || request.Certificates.Count == 0)
            {
                throw new FormatException();
            }
        }
        catch (FormatException)
        {
            return CardLoginResult.Refused(CardLoginFailure.BadRequest());
        }

        // 1. The challenge: ours, single use (taken whatever happens next), same bytes, this origin, in time.
        var nonce = IssuedChallenge.ReadNonce(challengeBytes);
        var issued = nonce is null ? null : await challenges.TakeAsync(nonce, cancellationToken).ConfigureAwait(false);
        if (issued is null)
        {
            return CardLoginResult.Refused(CardLoginFailure.ChallengeUnknown());
        }
        if (!CryptographicOperations.FixedTimeEquals(issued.Bytes, challengeBytes))
        {
            return CardLoginResult.Refused(CardLoginFailure.ChallengeAltered());
        }
        if (!string.Equals(issued.Origin, origin, StringComparison.OrdinalIgnoreCase))
        {
            return CardLoginResult.Refused(CardLoginFailure.ChallengeOrigin());
        }
        if (now > issued.ExpiresAt)
        {
            return CardLoginResult.Refused(CardLoginFailure.ChallengeExpired());
        }

        try
        {
            foreach (var c in request.Certificates)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(Convert.FromBase64String(c)));
            }
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            certificates.ForEach(c => c.Dispose());
            return CardLoginResult.Refused(CardLoginFailure.CertificateUnreadable());
        }
        try
        {
            var failure = CheckCertificate(certificates, now, skew) ?? CheckSignature(certificates[0], challengeBytes, signature, request.Algorithm);
            if (failure is not null)
            {
                return CardLoginResult.Refused(failure);
            }
            CpsIdentity identity;
            try
            {
                identity = CpsIdentityReader.Read(certificates[0].SubjectName.RawData);
            }
            catch (CpsIdentityException)
            {
                return CardLoginResult.Refused(CardLoginFailure.NoIdentity());
            }
            var mailboxes = directory.FindMailboxes(identity.IdNat);
            if (mailboxes.Count == 0)
            {
                return CardLoginResult.Refused(CardLoginFailure.NoMailbox(Mask(identity.IdNat)));
            }
            return new CardLoginResult(identity, mailboxes, null);
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private CardLoginFailure? CheckCertificate(List<X509Certificate2> presented, DateTimeOffset now, TimeSpan skew)
    {
        var leaf = presented[0];
        if (leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData))
        {
            return CardLoginFailure.SelfSigned();
        }
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        if (now - skew > notAfter)
        {
            return CardLoginFailure.Expired(leaf.NotAfter.ToUniversalTime());
        }
        if (now + skew < notBefore)
        {
            return CardLoginFailure.NotYetValid(leaf.NotBefore.ToUniversalTime());
        }
        var material = trust.Current;
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(material.Anchors);
        policy.ExtraStore.AddRange(material.Intermediates);
        for (var i = 1; i < presented.Count; i++)
        {
            policy.ExtraStore.Add(presented[i]);
        }
        policy.RevocationMode = X509RevocationMode.NoCheck; // CRLs are checked below, from configured files only
        policy.DisableCertificateDownloads = true;
        // Inside the skew tolerance the leaf counts as valid: verify at the nearest valid instant.
        var at = now < notBefore ? notBefore : now > notAfter ? notAfter : now;
        policy.VerificationTime = at.UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (!chain.Build(leaf))
        {
            var flags = chain.ChainStatus.Aggregate(X509ChainStatusFlags.NoError, (f, s) => f | s.Status);
            if ((flags & X509ChainStatusFlags.NotSignatureValid) != 0)
            {
                return CardLoginFailure.Tampered();
            }
            return CardLoginFailure.UnknownIssuer();
        }
        var elements = chain.ChainElements.Select(e => e.Certificate).ToList();
        var root = elements[^1];
        if (!material.Anchors.Any(a => a.RawData.AsSpan().SequenceEqual(root.RawData)))
        {
            return CardLoginFailure.UnknownIssuer();
        }
        var keyUsage = leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (keyUsage is null || (keyUsage.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
        {
            return CardLoginFailure.KeyUsage();
        }
        // RFC 5280 §6.3: each certificate below the anchor is checked against its issuer's CRL.
        for (var i = 0; i < elements.Count - 1; i++)
        {
            var issuer = elements[i + 1];
            var crl = material.CrlSignedBy(issuer);
            if (crl is null || crl.ThisUpdate > now + skew || crl.NextUpdate is null || crl.NextUpdate < now - skew)
            {
                return CardLoginFailure.CrlUnavailable();
            }
            if (crl.IsRevoked(elements[i]))
            {
                return CardLoginFailure.Revoked();
            }
        }
        return null;
    }

    private static CardLoginFailure? CheckSignature(X509Certificate2 leaf, byte[] challenge, byte[] signature, string? algorithm)
    {
        var padding = algorithm switch
        {
            "RS256" or null => RSASignaturePadding.Pkcs1,
            "PS256" => RSASignaturePadding.Pss,
            _ => null,
        };
        if (padding is null)
        {
            return CardLoginFailure.Algorithm();
        }
        using var rsa = leaf.GetRSAPublicKey();
        if (rsa is null)
        {
            return CardLoginFailure.Algorithm();
        }
        try
        {
            return rsa.VerifyData(challenge, signature, HashAlgorithmName.SHA256, padding) ? null : CardLoginFailure.SignatureInvalid();
        }
        catch (CryptographicException)
        {
            return CardLoginFailure.SignatureInvalid();
        }
    }

    private static string Mask(string idNat) =>
        idNat.Length <= 7 ? new string('•', idNat.Length) : idNat[..4] + new string('•', idNat.Length - 7) + idNat[^3..];
}
