using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;

namespace MSSante.Webmail.Components.Pages.NationalDirectory;

/// <summary>A directory entry as the page shows it, in French, with its absence if one is running.</summary>
public sealed record DirectoryEntryView(DirectoryEntry Entry, AbsenceNotice? Absence)
{
    /// <summary>"PER", "ORG"... as published, or null when the directory did not say.</summary>
    public string? TypeCode => Entry.MailboxType is MailboxType.Unknown ? null : Entry.MailboxType.ToString().ToUpperInvariant();

    /// <summary>What the mailbox type means, for someone who never heard of PER/ORG/APP.</summary>
    public string TypeExplained => ExplainType(Entry.MailboxType);

    /// <summary>Profession, or its category when the profession is not given.</summary>
    public string? Profession => First(Entry.ProfessionLabel, Entry.ProfessionCategoryLabel);

    /// <summary>Specialty (savoir-faire), or null.</summary>
    public string? Specialty => First(Entry.SpecialtyLabel);

    /// <summary>The structure: trade name or legal name, with the service when there is one.</summary>
    public string? Structure
    {
        get
        {
            var name = First(Entry.StructureTradeName, Entry.StructureName);
            var service = First(Entry.Service);
            return (name, service) switch
            {
                (null, null) => null,
                (null, _) => service,
                (_, null) => name,
                _ when string.Equals(name, service, StringComparison.OrdinalIgnoreCase) => name,
                _ => $"{service}, {name}",
            };
        }
    }

    /// <summary>Street address line, or null.</summary>
    public string? Street
    {
        get
        {
            var parts = new[] { Entry.StreetNumber, Entry.StreetNumberSuffix, StreetType(Entry.StreetType), Entry.StreetName }
                .Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p!.Trim()).ToList();
            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }

    /// <summary>"75012 PARIS", or whichever of the two is known.</summary>
    public string? Town
    {
        get
        {
            var parts = new[] { Entry.PostalCode, Entry.Town }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
            return parts.Count == 0 ? null : string.Join(' ', parts);
        }
    }

    /// <summary>The dematerialisation choice in plain French.</summary>
    public string Dematerialisation => DirectoryText.DematerialisationLabel(Entry.Dematerialisation);

    /// <summary>"Absent jusqu'au ..., contactez ...", or null when no absence is running.</summary>
    public string? AbsenceLine => Absence?.Describe();

    /// <summary>The French explanation of a mailbox type.</summary>
    public static string ExplainType(MailboxType type) => type switch
    {
        MailboxType.Per => "Boîte personnelle : un professionnel de santé, qui la lit lui-même",
        MailboxType.Org => "Boîte organisationnelle : un service ou un secrétariat, lue par plusieurs personnes",
        MailboxType.App => "Boîte applicative : un logiciel (laboratoire, automate), sans lecteur humain",
        MailboxType.Cab => "Boîte de cabinet : un cabinet de groupe",
        _ => "Type de boîte non renseigné par l'annuaire",
    };

    // NL4TYPEVOIE holds abbreviations; the common ones read better spelled out.
    private static string? StreetType(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        null or "" => null,
        "R" => "rue",
        "AV" => "avenue",
        "BD" => "boulevard",
        "PL" => "place",
        "CHE" => "chemin",
        "IMP" => "impasse",
        "ALL" => "allée",
        "QU" or "QUAI" => "quai",
        "RTE" => "route",
        _ => code,
    };

    private static string? First(params string?[] values) =>
        values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();
}
