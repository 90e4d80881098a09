using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MSSante.Domain.NationalDirectory;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>Column mapping and provider-specific SQL of the directory tables.</summary>
internal static class DirectorySql
{
    public const string Table = "directory_entries";
    public const string FtsTable = "directory_fts";

    /// <summary>Stored columns except the key, with their length limit and value from an entry.</summary>
    public static readonly (string Name, int MaxLength, Func<DirectoryEntry, object?> Value)[] Columns =
    [
        ("address", 254, e => e.Address),
        ("mailbox_type", 8, e => e.MailboxType == MailboxType.Unknown ? string.Empty : e.MailboxType.ToString().ToUpperInvariant()),
        ("practitioner_id_type", 8, e => e.PractitionerIdType),
        ("practitioner_id", 64, e => e.PractitionerId),
        ("national_id", 64, e => e.NationalId),
        ("structure_id_type", 8, e => e.StructureIdType),
        ("structure_id", 64, e => e.StructureId),
        ("service", 300, e => e.Service),
        ("civility", 32, e => e.Civility),
        ("last_name", 200, e => e.LastName),
        ("first_name", 200, e => e.FirstName),
        ("profession_category", 8, e => e.ProfessionCategory),
        ("profession_category_label", 200, e => e.ProfessionCategoryLabel),
        ("profession_code", 16, e => e.ProfessionCode),
        ("profession_label", 200, e => e.ProfessionLabel),
        ("specialty_code", 16, e => e.SpecialtyCode),
        ("specialty_label", 300, e => e.SpecialtyLabel),
        ("dematerialisation", 0, e => e.Dematerialisation),
        ("structure_name", 300, e => e.StructureName),
        ("structure_trade_name", 300, e => e.StructureTradeName),
        ("address_complement", 300, e => e.AddressComplement),
        ("distribution_complement", 300, e => e.DistributionComplement),
        ("street_number", 32, e => e.StreetNumber),
        ("street_number_suffix", 32, e => e.StreetNumberSuffix),
        ("street_type", 64, e => e.StreetType),
        ("street_name", 300, e => e.StreetName),
        ("locality", 300, e => e.Locality),
        ("delivery_line", 300, e => e.DeliveryLine),
        ("postal_code", 16, e => e.PostalCode),
        ("department", 16, e => e.Department),
        ("country", 100, e => e.Country),
        ("row_hash", 64, e => e.RowHash),
        ("search_names", 500, e => e.SearchNames),
        ("search_other", 4000, e => e.SearchOther),
    ];

    public static readonly string SelectList = "id, " + string.Join(", ", Columns.Select(c => c.Name));

    public static bool IsPostgreSql(DbContext context) =>
        context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true;

    /// <summary>The value to bind for column <paramref name="index"/>, cut to the column's limit.</summary>
    public static object Bind(DirectoryEntry entry, int index)
    {
        var (_, max, value) = Columns[index];
        var v = value(entry);
        if (v is string s && max > 0 && s.Length > max)
        {
            v = s[..max];
        }

        return v ?? DBNull.Value;
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
    }

    /// <summary>Reads an entry from a row selected with <see cref="SelectList"/>.</summary>
    public static DirectoryEntry Read(DbDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new DirectoryEntry
        {
            Address = r.GetString(1),
            MailboxType = DirectoryExtractionReader.ParseType(S(2)),
            PractitionerIdType = S(3),
            PractitionerId = S(4),
            NationalId = S(5),
            StructureIdType = S(6),
            StructureId = S(7),
            Service = S(8),
            Civility = S(9),
            LastName = S(10),
            FirstName = S(11),
            ProfessionCategory = S(12),
            ProfessionCategoryLabel = S(13),
            ProfessionCode = S(14),
            ProfessionLabel = S(15),
            SpecialtyCode = S(16),
            SpecialtyLabel = S(17),
            Dematerialisation = r.IsDBNull(18) ? null : Convert.ToBoolean(r.GetValue(18), CultureInfo.InvariantCulture),
            StructureName = S(19),
            StructureTradeName = S(20),
            AddressComplement = S(21),
            DistributionComplement = S(22),
            StreetNumber = S(23),
            StreetNumberSuffix = S(24),
            StreetType = S(25),
            StreetName = S(26),
            Locality = S(27),
            DeliveryLine = S(28),
            PostalCode = S(29),
            Department = S(30),
            Country = S(31),
            RowHash = r.GetString(32),
        };
    }
}
