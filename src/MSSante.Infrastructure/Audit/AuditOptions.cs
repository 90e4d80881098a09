using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.Audit;

/// <summary>Settings of section <c>Audit</c>.</summary>
public sealed class AuditOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Audit";

    /// <summary>How long entries are kept (MSSanté recommends 6 months).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(183);

    /// <summary>Time between scheduled purges; 0 disables the scheduled purge.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromDays(1);
}
