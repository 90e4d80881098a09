using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// Storage shape of a directory entry. Imports and searches go through plain SQL
/// (<see cref="DirectoryImporter"/>, <see cref="DirectorySearchService"/>) for speed; this type
/// exists so that the schema lives in the EF model and its migrations.
/// </summary>
public sealed class DirectoryEntryRow
{
    /// <summary>Surrogate key, also the full-text index's row id on SQLite.</summary>
    public long Id { get; set; }

    /// <summary>Mailbox address, lower-case, unique.</summary>
    public string Address { get; set; } = string.Empty;

    /// <summary>PER, ORG, APP, CAB or empty.</summary>
    public string MailboxType { get; set; } = string.Empty;

#pragma warning disable CS1591 // One property per published column, named as the domain record names them.
    public string? PractitionerIdType { get; set; }
    public string? PractitionerId { get; set; }
    public string? NationalId { get; set; }
    public string? StructureIdType { get; set; }
    public string? StructureId { get; set; }
    public string? Service { get; set; }
    public string? Civility { get; set; }
    public string? LastName { get; set; }
    public string? FirstName { get; set; }
    public string? ProfessionCategory { get; set; }
    public string? ProfessionCategoryLabel { get; set; }
    public string? ProfessionCode { get; set; }
    public string? ProfessionLabel { get; set; }
    public string? SpecialtyCode { get; set; }
    public string? SpecialtyLabel { get; set; }
    public bool? Dematerialisation { get; set; }
    public string? StructureName { get; set; }
    public string? StructureTradeName { get; set; }
    public string? AddressComplement { get; set; }
    public string? DistributionComplement { get; set; }
    public string? StreetNumber { get; set; }
    public string? StreetNumberSuffix { get; set; }
    public string? StreetType { get; set; }
    public string? StreetName { get; set; }
    public string? Locality { get; set; }
    public string? DeliveryLine { get; set; }
    public string? PostalCode { get; set; }
    public string? Department { get; set; }
    public string? Country { get; set; }
#pragma warning restore CS1591

    /// <summary>Hash of the published row, compared on re-import.</summary>
    public string RowHash { get; set; } = string.Empty;

    /// <summary>Normalised surname and first name.</summary>
    public string SearchNames { get; set; } = string.Empty;

    /// <summary>Normalised other searchable words.</summary>
    public string SearchOther { get; set; } = string.Empty;
}

/// <summary>One directory import, for the operator's history.</summary>
public sealed class DirectoryImportRow
{
    /// <summary>Surrogate key.</summary>
    public long Id { get; set; }

    /// <summary>When it finished, UTC.</summary>
    public DateTime ImportedAtUtc { get; set; }

    /// <summary>The file imported.</summary>
    public string Source { get; set; } = string.Empty;

#pragma warning disable CS1591 // Counts, as in DirectoryImportResult.
    public int Read { get; set; }
    public int Inserted { get; set; }
    public int Updated { get; set; }
    public int Unchanged { get; set; }
    public int Deleted { get; set; }
    public int Malformed { get; set; }
#pragma warning restore CS1591
}

internal sealed class DirectoryConfiguration : IEntityTypeConfiguration<DirectoryEntryRow>, IEntityTypeConfiguration<DirectoryImportRow>
{
    public void Configure(EntityTypeBuilder<DirectoryEntryRow> builder)
    {
        builder.ToTable(DirectorySql.Table);
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.Address).HasColumnName("address").HasMaxLength(254).IsRequired();
        builder.Property(e => e.MailboxType).HasColumnName("mailbox_type").HasMaxLength(8).IsRequired();
        Text(builder.Property(e => e.PractitionerIdType), "practitioner_id_type", 8);
        Text(builder.Property(e => e.PractitionerId), "practitioner_id", 64);
        Text(builder.Property(e => e.NationalId), "national_id", 64);
        Text(builder.Property(e => e.StructureIdType), "structure_id_type", 8);
        Text(builder.Property(e => e.StructureId), "structure_id", 64);
        Text(builder.Property(e => e.Service), "service", 300);
        Text(builder.Property(e => e.Civility), "civility", 32);
        Text(builder.Property(e => e.LastName), "last_name", 200);
        Text(builder.Property(e => e.FirstName), "first_name", 200);
        Text(builder.Property(e => e.ProfessionCategory), "profession_category", 8);
        Text(builder.Property(e => e.ProfessionCategoryLabel), "profession_category_label", 200);
        Text(builder.Property(e => e.ProfessionCode), "profession_code", 16);
        Text(builder.Property(e => e.ProfessionLabel), "profession_label", 200);
        Text(builder.Property(e => e.SpecialtyCode), "specialty_code", 16);
        Text(builder.Property(e => e.SpecialtyLabel), "specialty_label", 300);
        builder.Property(e => e.Dematerialisation).HasColumnName("dematerialisation");
        Text(builder.Property(e => e.StructureName), "structure_name", 300);
        Text(builder.Property(e => e.StructureTradeName), "structure_trade_name", 300);
        Text(builder.Property(e => e.AddressComplement), "address_complement", 300);
        Text(builder.Property(e => e.DistributionComplement), "distribution_complement", 300);
        Text(builder.Property(e => e.StreetNumber), "street_number", 32);
        Text(builder.Property(e => e.StreetNumberSuffix), "street_number_suffix", 32);
        Text(builder.Property(e => e.StreetType), "street_type", 64);
        Text(builder.Property(e => e.StreetName), "street_name", 300);
        Text(builder.Property(e => e.Locality), "locality", 300);
        Text(builder.Property(e => e.DeliveryLine), "delivery_line", 300);
        Text(builder.Property(e => e.PostalCode), "postal_code", 16);
        Text(builder.Property(e => e.Department), "department", 16);
        Text(builder.Property(e => e.Country), "country", 100);
        builder.Property(e => e.RowHash).HasColumnName("row_hash").HasMaxLength(64).IsRequired();
        builder.Property(e => e.SearchNames).HasColumnName("search_names").HasMaxLength(500).IsRequired();
        builder.Property(e => e.SearchOther).HasColumnName("search_other").HasMaxLength(4000).IsRequired();
        builder.HasIndex(e => e.Address).IsUnique().HasDatabaseName("ux_directory_entries_address");
        builder.HasIndex(e => e.NationalId).HasDatabaseName("ix_directory_entries_national_id");
    }

    public void Configure(EntityTypeBuilder<DirectoryImportRow> builder)
    {
        builder.ToTable("directory_imports");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).HasColumnName("id");
        builder.Property(e => e.ImportedAtUtc).HasColumnName("imported_at_utc");
        builder.Property(e => e.Source).HasColumnName("source").HasMaxLength(2000).IsRequired();
        builder.Property(e => e.Read).HasColumnName("read");
        builder.Property(e => e.Inserted).HasColumnName("inserted");
        builder.Property(e => e.Updated).HasColumnName("updated");
        builder.Property(e => e.Unchanged).HasColumnName("unchanged");
        builder.Property(e => e.Deleted).HasColumnName("deleted");
        builder.Property(e => e.Malformed).HasColumnName("malformed");
    }

    private static void Text(PropertyBuilder<string?> property, string column, int maxLength) =>
        property.HasColumnName(column).HasMaxLength(maxLength);
}
