namespace MSSante.Domain.NationalDirectory;

/// <summary>Mailbox type (type de BAL) as published in the national directory.</summary>
public enum MailboxType
{
    /// <summary>A value the directory did not document.</summary>
    Unknown = 0,

    /// <summary>Personnelle: one practitioner.</summary>
    Per = 1,

    /// <summary>Organisationnelle: a service or secretariat.</summary>
    Org = 2,

    /// <summary>Applicative: software, no human login.</summary>
    App = 3,

    /// <summary>Cabinet: a group practice.</summary>
    Cab = 4,
}

/// <summary>
/// One row of the national directory extraction (31 columns), keyed by its mailbox address.
/// Property order follows the file's column order.
/// </summary>
public sealed record DirectoryEntry
{
    /// <summary>Type de BAL, parsed.</summary>
    public MailboxType MailboxType { get; init; }

    /// <summary>Adresse BAL, lower-case: the key of the entry.</summary>
    public required string Address { get; init; }

    /// <summary>Type Identifiant PP (8 = RPPS, 0 = ADELI...).</summary>
    public string? PractitionerIdType { get; init; }

    /// <summary>Identifiant PP (RPPS or ADELI number).</summary>
    public string? PractitionerId { get; init; }

    /// <summary>Identification nationale PP (idNat_PS: type prefix + identifier).</summary>
    public string? NationalId { get; init; }

    /// <summary>Type identifiant structure.</summary>
    public string? StructureIdType { get; init; }

    /// <summary>Identification Structure.</summary>
    public string? StructureId { get; init; }

    /// <summary>Service de rattachement.</summary>
    public string? Service { get; init; }

    /// <summary>Civilité d'exercice (DR, PR, M, MME...).</summary>
    public string? Civility { get; init; }

    /// <summary>Nom d'exercice.</summary>
    public string? LastName { get; init; }

    /// <summary>Prénom d'exercice.</summary>
    public string? FirstName { get; init; }

    /// <summary>Catégorie profession (code).</summary>
    public string? ProfessionCategory { get; init; }

    /// <summary>Libellé de catégorie profession.</summary>
    public string? ProfessionCategoryLabel { get; init; }

    /// <summary>Code Profession.</summary>
    public string? ProfessionCode { get; init; }

    /// <summary>Libellé Profession.</summary>
    public string? ProfessionLabel { get; init; }

    /// <summary>Code savoir-faire (specialty).</summary>
    public string? SpecialtyCode { get; init; }

    /// <summary>Libellé savoir-faire.</summary>
    public string? SpecialtyLabel { get; init; }

    /// <summary>
    /// Dématérialisation: true when the practitioner chose to stop receiving on paper what
    /// arrives electronically; null when the directory does not say.
    /// </summary>
    public bool? Dematerialisation { get; init; }

    /// <summary>Raison Sociale structure BAL.</summary>
    public string? StructureName { get; init; }

    /// <summary>Enseigne commerciale structure BAL.</summary>
    public string? StructureTradeName { get; init; }

    /// <summary>L2COMPLEMENTLOCALISATION structure BAL.</summary>
    public string? AddressComplement { get; init; }

    /// <summary>L3COMPLEMENTDISTRIBUTION structure BAL.</summary>
    public string? DistributionComplement { get; init; }

    /// <summary>L4NUMEROVOIE structure BAL.</summary>
    public string? StreetNumber { get; init; }

    /// <summary>L4COMPLEMENTNUMEROVOIE structure BAL (bis, ter...).</summary>
    public string? StreetNumberSuffix { get; init; }

    /// <summary>NL4TYPEVOIE structure BAL (R, AV, BD...).</summary>
    public string? StreetType { get; init; }

    /// <summary>L4LIBELLEVOIE structure BAL.</summary>
    public string? StreetName { get; init; }

    /// <summary>L5LIEUDITMENTION structure BAL.</summary>
    public string? Locality { get; init; }

    /// <summary>L6LIGNEACHEMINEMENT structure BAL (postcode and town as printed).</summary>
    public string? DeliveryLine { get; init; }

    /// <summary>Code postal structure BAL.</summary>
    public string? PostalCode { get; init; }

    /// <summary>Département structure BAL.</summary>
    public string? Department { get; init; }

    /// <summary>Pays structure BAL.</summary>
    public string? Country { get; init; }

    /// <summary>Hash of the row's 31 values, to detect a changed row on re-import.</summary>
    public required string RowHash { get; init; }

    /// <summary>The town, from the delivery line without its postcode.</summary>
    public string? Town => DirectoryText.TownOf(DeliveryLine, PostalCode);

    /// <summary>"DR Jeanne MARTIN" or the structure name for boxes without a person.</summary>
    public string DisplayName => DirectoryText.DisplayNameOf(this);

    /// <summary>Normalised surname and first name, the heavily weighted search field.</summary>
    public string SearchNames => SearchText.Normalize(string.Join(' ', LastName, FirstName));

    /// <summary>Normalised other searchable text: profession, specialty, structure, address, ids.</summary>
    public string SearchOther => SearchText.Normalize(string.Join(
        ' ',
        ProfessionLabel,
        ProfessionCategoryLabel,
        SpecialtyLabel,
        Service,
        StructureName,
        StructureTradeName,
        StreetNumber,
        StreetName,
        Locality,
        DeliveryLine,
        PostalCode,
        NationalId,
        PractitionerId,
        LocalPartOf(Address)));

    private static string LocalPartOf(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 ? address[..at] : address;
    }
}
