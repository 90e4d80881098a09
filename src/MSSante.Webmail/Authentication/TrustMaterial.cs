using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MSSante.Webmail.Authentication;

/// <summary>
/// The configured trust anchors, intermediates and CRLs, read from files and read again when
/// a file's content changes (CRLs are republished regularly; no restart needed).
/// </summary>
/// <remarks>
/// Each login hashes the files' bytes (a few kilobytes, from the page cache) and reuses the
/// parsed material while the hash is unchanged, so a replaced CRL is used from the next login
/// on, whatever its modification time says. The CRL signature checks are cached inside one
/// snapshot: a login then checks the chain and looks the serials up in the already verified
/// revocation sets; a new snapshot (any file changed) verifies its CRLs again.
/// </remarks>
public sealed class TrustMaterial(IOptions<CardLoginOptions> options)
{
    private readonly Lock _lock = new();
    private Snapshot? _snapshot;

    /// <summary>What the files held at one moment.</summary>
    public sealed class Snapshot
    {
        // Bounded: issuers are the configured or card-presented CA certificates of chains that
        // already reached a configured anchor, a handful in practice.
        private const int MaxCachedIssuers = 256;
        private readonly ConcurrentDictionary<string, CertificateRevocationList?> _crlByIssuer = new(StringComparer.Ordinal);

        internal Snapshot(X509Certificate2Collection anchors, X509Certificate2Collection intermediates, IReadOnlyList<CertificateRevocationList> crls, string stamp)
        {
            Anchors = anchors;
            Intermediates = intermediates;
            Crls = crls;
            Stamp = stamp;
        }

        /// <summary>Trust anchors.</summary>
        public X509Certificate2Collection Anchors { get; }

        /// <summary>Configured intermediates.</summary>
        public X509Certificate2Collection Intermediates { get; }

        /// <summary>Parsed CRLs (signatures not yet checked: see <see cref="CrlSignedBy"/>).</summary>
        public IReadOnlyList<CertificateRevocationList> Crls { get; }

        /// <summary>SHA-256 over the files' names and contents.</summary>
        public string Stamp { get; }

        /// <summary>
        /// The CRL issued and validly signed by <paramref name="issuer"/>, or null. The signature
        /// is checked once per (issuer certificate, snapshot) and remembered.
        /// </summary>
        public CertificateRevocationList? CrlSignedBy(X509Certificate2 issuer)
        {
            ArgumentNullException.ThrowIfNull(issuer);
            var key = Convert.ToHexString(SHA256.HashData(issuer.RawData));
            if (_crlByIssuer.TryGetValue(key, out var known))
            {
                return known;
            }
            var crl = Crls.FirstOrDefault(c => c.IsSignedBy(issuer));
            if (_crlByIssuer.Count < MaxCachedIssuers)
            {
                _crlByIssuer[key] = crl;
            }
            return crl;
        }
    }

    /// <summary>The current material.</summary>
    public Snapshot Current
    {
        get
        {
            var o = options.Value;
            var files = o.TrustAnchorFiles.Concat(o.IntermediateFiles).Concat(o.CrlFiles).ToList();
            var contents = files.Select(f => File.Exists(f) ? File.ReadAllBytes(f) : null).ToList();
            var stamp = Stamp(files, contents);
            lock (_lock)
            {
                if (_snapshot?.Stamp == stamp)
                {
                    return _snapshot;
                }
                var anchorCount = o.TrustAnchorFiles.Length;
                var intermediateCount = o.IntermediateFiles.Length;
                _snapshot = new Snapshot(
                    LoadCertificates(contents.Take(anchorCount)),
                    LoadCertificates(contents.Skip(anchorCount).Take(intermediateCount)),
                    contents.Skip(anchorCount + intermediateCount).OfType<byte[]>().Select(CertificateRevocationList.Parse).ToList(),
                    stamp);
                return _snapshot;
            }
        }
    }

    private static string Stamp(List<string> files, List<byte[]?> contents)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        for (var i = 0; i < files.Count; i++)
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(files[i] + "\n"));
            hash.AppendData(contents[i] is null ? [] : SHA256.HashData(contents[i]!));
        }
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static X509Certificate2Collection LoadCertificates(IEnumerable<byte[]?> contents)
    {
        var collection = new X509Certificate2Collection();
        foreach (var data in contents.OfType<byte[]>())
        {
            var text = System.Text.Encoding.ASCII.GetString(data);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(data));
            }
        }
        return collection;
    }
}
