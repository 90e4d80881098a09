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
/// A snapshot is keyed by the SHA-256 of the files' contents. Each login compares the files'
/// sizes and modification times with the snapshot's (one stat per file) and reads and hashes
/// the contents when they differ, and at least every 30 seconds anyway; a CRL with new content
/// makes a new snapshot, whose CRLs are parsed and verified again. Inside one snapshot the CRL
/// signature checks are cached: a login checks the chain and looks the serials up in the
/// already verified revocation sets.
/// </remarks>
public sealed class TrustMaterial(IOptions<CardLoginOptions> options)
{
    private readonly Lock _lock = new();
    private volatile Snapshot? _snapshot;

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

        internal string Metadata { get; set; } = "";

        internal long HashedAtTicks { get; set; }

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
            var metadata = Metadata(files);
            var now = Environment.TickCount64;
            var current = _snapshot;
            if (current is not null && current.Metadata == metadata && now - current.HashedAtTicks < ContentRecheckMilliseconds)
            {
                return current;
            }
            lock (_lock)
            {
                var contents = files.Select(f => File.Exists(f) ? File.ReadAllBytes(f) : null).ToList();
                var stamp = Stamp(files, contents);
                if (_snapshot?.Stamp == stamp)
                {
                    // Same bytes (touched, or the periodic re-read): keep the verified CRLs.
                    _snapshot.Metadata = metadata;
                    _snapshot.HashedAtTicks = now;
                    return _snapshot;
                }
                var anchorCount = o.TrustAnchorFiles.Length;
                var intermediateCount = o.IntermediateFiles.Length;
                _snapshot = new Snapshot(
                    LoadCertificates(contents.Take(anchorCount)),
                    LoadCertificates(contents.Skip(anchorCount).Take(intermediateCount)),
                    contents.Skip(anchorCount + intermediateCount).OfType<byte[]>().Select(CertificateRevocationList.Parse).ToList(),
                    stamp)
                {
                    Metadata = metadata,
                    HashedAtTicks = now,
                };
                return _snapshot;
            }
        }
    }

    // Size and modification time (to the tick) of each file: a republished CRL changes them,
    // so the per-login check is one stat per file, not a read of a CRL that may weigh hundreds
    // of kilobytes. The contents are hashed again at least this often all the same, in case a
    // copy kept both (cp -p, rsync -t of a same-sized file).
    private const long ContentRecheckMilliseconds = 30_000;

    private static string Metadata(List<string> files)
    {
        var builder = new System.Text.StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            builder.Append(file).Append('@');
            if (info.Exists)
            {
                builder.Append(info.Length).Append(':').Append(info.LastWriteTimeUtc.Ticks);
            }
            builder.Append('|');
        }
        return builder.ToString();
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
