using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace MSSante.Webmail.Authentication;

/// <summary>
/// The configured trust anchors, intermediates and CRLs, read from files and read again when
/// a file changes (CRLs are republished regularly; no restart needed).
/// </summary>
public sealed class TrustMaterial(IOptions<CardLoginOptions> options)
{
    private readonly Lock _lock = new();
    private Snapshot? _snapshot;

    /// <summary>What the files held at one moment.</summary>
    public sealed record Snapshot(
        X509Certificate2Collection Anchors,
        X509Certificate2Collection Intermediates,
        IReadOnlyList<CertificateRevocationList> Crls,
        string Stamp);

    /// <summary>The current material.</summary>
    public Snapshot Current
    {
        get
        {
            var o = options.Value;
            var stamp = string.Join('|', o.TrustAnchorFiles.Concat(o.IntermediateFiles).Concat(o.CrlFiles)
                .Select(f => f + "@" + (File.Exists(f) ? File.GetLastWriteTimeUtc(f).Ticks : 0)));
            lock (_lock)
            {
                if (_snapshot?.Stamp == stamp)
                {
                    return _snapshot;
                }
                _snapshot = new Snapshot(LoadCertificates(o.TrustAnchorFiles), LoadCertificates(o.IntermediateFiles),
                    o.CrlFiles.Where(File.Exists).Select(f => CertificateRevocationList.Parse(File.ReadAllBytes(f))).ToList(), stamp);
                return _snapshot;
            }
        }
    }

    private static X509Certificate2Collection LoadCertificates(IEnumerable<string> files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files.Where(File.Exists))
        {
            var text = File.ReadAllText(file);
            if (text.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
            {
                collection.ImportFromPem(text);
            }
            else
            {
                collection.Add(X509CertificateLoader.LoadCertificate(File.ReadAllBytes(file)));
            }
        }
        return collection;
    }
}
