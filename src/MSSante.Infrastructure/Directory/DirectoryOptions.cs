using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>Settings of section <c>Directory</c>: the national directory extraction to import on a schedule.</summary>
public sealed class DirectoryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Directory";

    /// <summary>URL or file path of the extraction (ZIP or TXT); the scheduled import is off when empty.</summary>
    public string? Source { get; set; }

    /// <summary>Time between scheduled imports (the extraction is published daily).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>HTTP timeout of a download.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "02:00:00")]
    public TimeSpan DownloadTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// SQLite search: queries with at most this many matches are ranked by relevance (BM25);
    /// broader ones list name matches first without scoring, which keeps them fast.
    /// </summary>
    [Range(1, 100_000)]
    public int RankedMatchLimit { get; set; } = 1000;
}
