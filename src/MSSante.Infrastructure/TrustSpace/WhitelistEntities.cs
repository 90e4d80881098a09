using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>One stored <c>Domaine</c> element of the current whitelist (duplicates kept: one per operator certificate).</summary>
public sealed class WhitelistEntryRow
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>The domain, lower-case.</summary>
    public string Domain { get; set; } = string.Empty;

    /// <summary>Description as published.</summary>
    public string? Description { get; set; }

    /// <summary>Operator certificate DN.</summary>
    public string? OperatorCertificateDn { get; set; }

    /// <summary>Responsible contact line.</summary>
    public string? ResponsibleContact { get; set; }

    /// <summary>Support contact line.</summary>
    public string? SupportContact { get; set; }

    /// <summary>DateMAJ, UTC.</summary>
    public DateTime? UpdatedAtUtc { get; set; }
}

/// <summary>One import attempt, accepted or refused, so an operator can see why the list did not change.</summary>
public sealed class WhitelistImportRow
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>When the import ran, UTC.</summary>
    public DateTime ImportedAtUtc { get; set; }

    /// <summary>File path or URL the list came from.</summary>
    public string Source { get; set; } = string.Empty;

    /// <summary>The publisher's DateDeGeneration, UTC.</summary>
    public DateTime? GeneratedAtUtc { get; set; }

    /// <summary>Domaine elements read.</summary>
    public int Entries { get; set; }

    /// <summary>Distinct domains read.</summary>
    public int Domains { get; set; }

    /// <summary>Distinct domains stored before the import.</summary>
    public int PreviousDomains { get; set; }

    /// <summary>True when the file ended without its closing root tag.</summary>
    public bool Truncated { get; set; }

    /// <summary>True when the list replaced the stored one.</summary>
    public bool Accepted { get; set; }

    /// <summary>Why it was refused.</summary>
    public string? Reason { get; set; }
}

internal sealed class WhitelistConfiguration : IEntityTypeConfiguration<WhitelistEntryRow>, IEntityTypeConfiguration<WhitelistImportRow>
{
    public void Configure(EntityTypeBuilder<WhitelistEntryRow> builder)
    {
        builder.ToTable("whitelist_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.Domain).HasColumnName("domain").HasMaxLength(253).IsRequired();
        builder.Property(e => e.Description).HasColumnName("description").HasMaxLength(1000);
        builder.Property(e => e.OperatorCertificateDn).HasColumnName("operator_certificate_dn").HasMaxLength(1000);
        builder.Property(e => e.ResponsibleContact).HasColumnName("responsible_contact").HasMaxLength(500);
        builder.Property(e => e.SupportContact).HasColumnName("support_contact").HasMaxLength(500);
        builder.Property(e => e.UpdatedAtUtc).HasColumnName("updated_at_utc");
        builder.HasIndex(e => e.Domain).HasDatabaseName("ix_whitelist_entries_domain");
    }

    public void Configure(EntityTypeBuilder<WhitelistImportRow> builder)
    {
        builder.ToTable("whitelist_imports");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.ImportedAtUtc).HasColumnName("imported_at_utc");
        builder.Property(e => e.Source).HasColumnName("source").HasMaxLength(2000).IsRequired();
        builder.Property(e => e.GeneratedAtUtc).HasColumnName("generated_at_utc");
        builder.Property(e => e.Entries).HasColumnName("entries");
        builder.Property(e => e.Domains).HasColumnName("domains");
        builder.Property(e => e.PreviousDomains).HasColumnName("previous_domains");
        builder.Property(e => e.Truncated).HasColumnName("truncated");
        builder.Property(e => e.Accepted).HasColumnName("accepted");
        builder.Property(e => e.Reason).HasColumnName("reason").HasMaxLength(1000);
        builder.HasIndex(e => e.ImportedAtUtc).HasDatabaseName("ix_whitelist_imports_imported_at");
    }
}
