using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>Settings of section <c>Whitelist</c>: where the trust-space list comes from and how often.</summary>
public sealed class WhitelistOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Whitelist";

    /// <summary>URL or file path of the published list; the scheduled import is off when empty.</summary>
    public string? Source { get; set; }

    /// <summary>Time between scheduled imports.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Largest accepted loss of domains, as a fraction of the stored list (default 10 %).</summary>
    [Range(0.0, 1.0)]
    public double MaxShrinkFraction { get; set; } = Domain.TrustSpace.WhitelistImportPolicy.DefaultMaxShrinkFraction;

    /// <summary>Largest accepted download, in bytes (the real list is about 350 kB).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxDownloadBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>HTTP timeout of a download.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:30:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
