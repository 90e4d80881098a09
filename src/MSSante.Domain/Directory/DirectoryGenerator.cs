using System.Globalization;
using System.Text;

namespace MSSante.Domain.NationalDirectory;

/// <summary>
/// Writes a fictitious national directory extraction in the published format: French names,
/// professions, specialties and towns from short hand-written lists, test identifiers in the
/// <c>8997</c> range, never real data. Deterministic for a given seed.
/// </summary>
public static class DirectoryGenerator
{
    private static readonly string[] LastNames =
    [
        "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS", "MOREAU", "LAURENT",
        "SIMON", "MICHEL", "LEFÈVRE", "LEROY", "ROUX", "DAVID", "BERTRAND", "MOREL", "FOURNIER", "GIRARD",
        "BONNET", "DUPONT", "LAMBERT", "FONTAINE", "ROUSSEAU", "VINCENT", "MÜLLER", "LEFEBVRE", "FAURE", "ANDRÉ",
        "MERCIER", "BLANC", "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "GARCIA",
        "PERRIN", "ROBIN", "CLÉMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU", "GAUTIER", "MASSON",
        "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE", "NOËL", "MEYER", "DUFOUR", "MEUNIER",
        "BRUN", "BLANCHARD", "GIRAUD", "JOLY", "RIVIÈRE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD",
        "MARTINEZ", "GÉRARD", "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON",
        "PICARD", "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER", "PHILIPPE",
        "BOURGEOIS", "PIERRE", "BENOÎT", "REY", "LECLERC", "PAYET", "ROLLAND", "LE GALL", "GUILLAUME", "LECOMTE",
        "N'DIAYE", "DE LA FONTAINE", "LE BRETON", "CÔTÉ", "D'ALEMBERT", "BÉRANGER", "HÉBERT", "PRÉVOST", "JÉRÔME", "ŒUVRARD",
    ];

    private static readonly string[] FirstNames =
    [
        "Jeanne", "Paul", "Claire", "Marc", "Sophie", "Hélène", "François", "Élodie", "Jérôme", "Anaïs",
        "Chloé", "Zoé", "Noël", "Loïc", "Gaëlle", "Agnès", "Benoît", "Cécile", "Céline", "Clément",
        "Émilie", "Étienne", "Frédéric", "Geneviève", "Hervé", "Inès", "Joël", "Léa", "Léon", "Mélanie",
        "Michèle", "Nathalie", "Pierre", "Rémi", "Stéphane", "Thérèse", "Valérie", "Yves", "Ophélie", "Raphaël",
        "Jean-Pierre", "Marie-Claire", "Anne-Sophie", "Jean-Baptiste", "Louis", "Camille", "Julien", "Nicolas",
        "Isabelle", "Catherine", "Philippe", "Laurent", "Sandrine", "Christophe", "Aurélie", "Guillaume", "Manon",
        "Thomas", "Lucie", "Antoine", "Mathilde", "Hugo", "Pauline", "Maxime", "Sarah", "Alexandre", "Juliette",
    ];

    private static readonly (string Category, string CategoryLabel, string Code, string Label, string Domain, (string Code, string Label)[] Specialties)[] Professions =
    [
        ("C", "Civil", "10", "Médecin", "medecin", [
            ("SM54", "Médecine générale (SM)"), ("SM26", "Qualifié en Médecine Générale (SM)"), ("SM42", "Pneumologie (SM)"),
            ("SM04", "Cardiologie et maladies vasculaires (SM)"), ("SM15", "Dermatologie et vénéréologie (SM)"),
            ("SM32", "Neurologie (SM)"), ("SM40", "Pédiatrie (SM)"), ("SM43", "Psychiatrie (SM)"),
            ("SM44", "Radio-diagnostic (SM)"), ("SM21", "Gynécologie-obstétrique (SM)"), ("SM38", "Ophtalmologie (SM)"),
            ("SM24", "Gastro-entérologie et hépatologie (SM)"), ("SM19", "Endocrinologie, diabétologie, nutrition (SM)"),
            ("SM53", "Biologie médicale (SM)")]),
        ("C", "Civil", "21", "Pharmacien", "pharmacien", [("", ""), ("SM53", "Biologie médicale (SM)")]),
        ("C", "Civil", "60", "Infirmier", "infirmier", [("", "")]),
        ("C", "Civil", "40", "Chirurgien-Dentiste", "chirurgien-dentiste", [("", ""), ("SCD01", "Orthopédie dento-faciale (SCD)")]),
        ("C", "Civil", "50", "Sage-Femme", "sage-femme", [("", "")]),
        ("C", "Civil", "70", "Masseur-Kinésithérapeute", "masseur-kinesitherapeute", [("", "")]),
        ("C", "Civil", "80", "Pédicure-Podologue", "pedicure-podologue", [("", "")]),
        ("C", "Civil", "91", "Orthophoniste", "orthophoniste", [("", "")]),
    ];

    private static readonly (string PostalCode, string Town)[] Towns =
    [
        ("75012", "PARIS"), ("75015", "PARIS"), ("13005", "MARSEILLE"), ("69003", "LYON"), ("31000", "TOULOUSE"),
        ("06000", "NICE"), ("44000", "NANTES"), ("67000", "STRASBOURG"), ("34000", "MONTPELLIER"), ("33000", "BORDEAUX"),
        ("59000", "LILLE"), ("35000", "RENNES"), ("51100", "REIMS"), ("42000", "SAINT-ÉTIENNE"), ("83000", "TOULON"),
        ("38000", "GRENOBLE"), ("21000", "DIJON"), ("49000", "ANGERS"), ("30000", "NÎMES"), ("63000", "CLERMONT-FERRAND"),
        ("72000", "LE MANS"), ("29200", "BREST"), ("37000", "TOURS"), ("80000", "AMIENS"), ("87000", "LIMOGES"),
        ("74000", "ANNECY"), ("66000", "PERPIGNAN"), ("57000", "METZ"), ("25000", "BESANÇON"), ("45000", "ORLÉANS"),
        ("76000", "ROUEN"), ("14000", "CAEN"), ("54000", "NANCY"), ("64000", "PAU"), ("17000", "LA ROCHELLE"),
        ("97400", "SAINT-DENIS"), ("2A000", "AJACCIO"), ("86000", "POITIERS"), ("84000", "AVIGNON"), ("56000", "VANNES"),
        ("22000", "SAINT-BRIEUC"), ("81000", "ALBI"), ("12000", "RODEZ"), ("05000", "GAP"), ("73000", "CHAMBÉRY"),
    ];

    private static readonly string[] StreetTypes = ["R", "AV", "BD", "PL", "CHE", "ALL", "QUAI", "IMP"];

    private static readonly string[] StreetNames =
    [
        "DE LA RÉPUBLIQUE", "VICTOR HUGO", "JEAN JAURÈS", "PASTEUR", "DU GÉNÉRAL DE GAULLE", "DES LILAS", "DE LA GARE",
        "DE L'ÉGLISE", "GAMBETTA", "DU MARÉCHAL FOCH", "DES ÉCOLES", "SAINT-MICHEL", "CLÉMENCEAU", "DES TILLEULS",
        "MARIE CURIE", "DU MOULIN", "DES ACACIAS", "JULES FERRY", "DE VERDUN", "NATIONALE",
    ];

    private static readonly string[] Services =
    [
        "Pneumologie", "Cardiologie", "Secrétariat de médecine interne", "Urgences", "Pédiatrie", "Radiologie",
        "Laboratoire de biologie", "Maternité", "Oncologie", "Gériatrie", "Bloc opératoire", "Consultations externes",
    ];

    /// <summary>The header line, as published.</summary>
    public static string Header => string.Join('|', DirectoryExtractionReader.Columns);

    /// <summary>
    /// Writes the header and <paramref name="rows"/> rows. Mailbox types are mostly PER, with
    /// ORG, APP and CAB boxes of fictitious establishments; addresses are unique.
    /// </summary>
    public static void Write(TextWriter writer, int rows, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        var random = new Random(seed);
        writer.Write(Header);
        writer.Write('\n');
        var fields = new string[31];
        for (var i = 0; i < rows; i++)
        {
            Fill(fields, i, random);
            writer.Write(string.Join('|', fields));
            writer.Write('\n');
        }
    }

    /// <summary>The generated file as a string (small sizes, for tests).</summary>
    public static string ToText(int rows, int seed = 42)
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        Write(writer, rows, seed);
        return builder.ToString();
    }

    /// <summary>Writes a generated file to disk, as TXT or inside a ZIP named like the official one.</summary>
    public static async Task WriteFileAsync(string path, int rows, bool zip, int seed = 42, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using (stream.ConfigureAwait(false))
        {
            if (!zip)
            {
                var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16);
                await using (writer.ConfigureAwait(false))
                {
                    Write(writer, rows, seed);
                }

                return;
            }

            var archive = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true);
            await using (archive.ConfigureAwait(false))
            {
                var entry = archive.CreateEntry("Extraction_Correspondance_MSSante_202601050600.txt", System.IO.Compression.CompressionLevel.Fastest);
                var entryStream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (entryStream.ConfigureAwait(false))
                {
                    var writer = new StreamWriter(entryStream, new UTF8Encoding(false), 1 << 16);
                    await using (writer.ConfigureAwait(false))
                    {
                        Write(writer, rows, seed);
                    }
                }
            }
        }
    }

    private static void Fill(string[] f, int index, Random random)
    {
        Array.Fill(f, string.Empty);
        var roll = random.Next(100);
        var type = roll switch
        {
            < 86 => "PER",
            < 95 => "ORG",
            < 99 => "APP",
            _ => "CAB",
        };
        var (postalCode, town) = Towns[random.Next(Towns.Length)];
        var establishment = string.Create(CultureInfo.InvariantCulture, $"{(index % 3 == 0 ? "CH" : index % 3 == 1 ? "CLINIQUE" : "CENTRE DE SANTÉ")} DÉMO {town}");
        var finess = string.Create(CultureInfo.InvariantCulture, $"99{index % 10_000_000:D7}");
        var siteDomain = string.Create(CultureInfo.InvariantCulture, $"etab-{index % 5000:D5}.mssante.fr");
        f[0] = type;
        f[5] = "1";
        f[6] = "1" + finess;
        f[17] = random.Next(3) switch { 0 => "true", 1 => "false", _ => string.Empty };
        f[18] = establishment;
        f[19] = random.Next(4) == 0 ? string.Create(CultureInfo.InvariantCulture, $"Maison de santé {town}") : string.Empty;
        f[20] = random.Next(5) == 0 ? "Bâtiment B" : string.Empty;
        f[21] = random.Next(8) == 0 ? "BP 12" : string.Empty;
        f[22] = random.Next(1, 200).ToString(CultureInfo.InvariantCulture);
        f[23] = random.Next(10) == 0 ? "B" : string.Empty;
        f[24] = StreetTypes[random.Next(StreetTypes.Length)];
        f[25] = StreetNames[random.Next(StreetNames.Length)];
        f[26] = string.Empty;
        f[27] = postalCode + " " + town;
        f[28] = postalCode;
        f[29] = postalCode[..2];
        f[30] = string.Empty;
        var serial = string.Create(CultureInfo.InvariantCulture, $"{index:D7}");
        switch (type)
        {
            case "PER":
            case "CAB":
            {
                var profession = Professions[random.Next(10) < 5 ? 0 : random.Next(Professions.Length)];
                var specialty = profession.Specialties[random.Next(profession.Specialties.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var first = FirstNames[random.Next(FirstNames.Length)];
                var rpps = "997" + index.ToString("D8", CultureInfo.InvariantCulture);
                f[2] = "8";
                f[3] = rpps;
                f[4] = "8" + rpps;
                f[8] = profession.Code == "10" ? "DR" : random.Next(2) == 0 ? "M" : "MME";
                f[9] = last;
                f[10] = first;
                f[11] = profession.Category;
                f[12] = profession.CategoryLabel;
                f[13] = profession.Code;
                f[14] = profession.Label;
                f[15] = specialty.Code;
                f[16] = specialty.Label;
                var local = AddressPart(first) + "." + AddressPart(last);
                f[1] = type == "CAB"
                    ? string.Create(CultureInfo.InvariantCulture, $"cabinet.{AddressPart(last)}.{serial}@{siteDomain}")
                    : random.Next(3) == 0
                        ? string.Create(CultureInfo.InvariantCulture, $"{local}.{serial}@{siteDomain}")
                        : string.Create(CultureInfo.InvariantCulture, $"{local}.{serial}@{profession.Domain}.mssante.fr");
                break;
            }

            case "ORG":
            {
                var service = Services[random.Next(Services.Length)];
                f[7] = service;
                f[1] = string.Create(CultureInfo.InvariantCulture, $"{AddressPart(service)}.{serial}@{siteDomain}");
                break;
            }

            default:
                f[7] = "Laboratoire de biologie";
                f[1] = string.Create(CultureInfo.InvariantCulture, $"labo-bio.{serial}@{siteDomain}");
                break;
        }
    }

    private static string AddressPart(string value) =>
        SearchText.Normalize(value).ToLowerInvariant().Replace(' ', '-');
}
