using System.Globalization;
using System.Security;
using System.Text;

namespace MSSante.Domain.TrustSpace;

/// <summary>
/// Writes fictitious whitelists in the official format, for tests and demonstrations:
/// a chosen number of <c>Domaine</c> entries, some domains repeated (one entry per operator
/// certificate, as published), optionally in the truncated form without the closing root tag.
/// </summary>
public static class WhitelistGenerator
{
    private static readonly string[] Operators =
    [
        "CN=smtp.operateur-demo-a.fr,OU=00000000000001,O=OPERATEUR DEMO A,C=FR",
        "CN=mx.operateur-demo-b.fr,OU=00000000000002,O=OPERATEUR DEMO B,C=FR",
        "CN=relay.operateur-demo-c.fr,OU=00000000000003,O=OPERATEUR DEMO C,C=FR",
    ];

    /// <summary>
    /// Writes <paramref name="entries"/> entries; every <paramref name="duplicateEvery"/>-th entry
    /// repeats the previous domain under another operator certificate (0: no duplicate).
    /// Returns the number of distinct domains written. Domain names always include the
    /// national profession domains so that the demo users stay reachable.
    /// </summary>
    public static int Write(TextWriter writer, int entries, int duplicateEvery = 7, bool truncated = false, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(entries);
        var random = new Random(seed);
        var fixedDomains = new[]
        {
            "medecin.mssante.fr", "pharmacien.mssante.fr", "infirmier.mssante.fr", "sage-femme.mssante.fr",
            "chirurgien-dentiste.mssante.fr", "masseur-kinesitherapeute.mssante.fr", "pedicure-podologue.mssante.fr",
            "orthophoniste.mssante.fr", "pro.mssante.fr", "patient.mssante.fr", "ch-demo.mssante.fr",
        };
        writer.Write("<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListeBlancheMSSante xmlns=\"");
        writer.Write(WhitelistParser.Namespace);
        writer.WriteLine("\">");
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    <DateDeGeneration>{new DateTime(2026, 1, 5, 6, 0, 0, DateTimeKind.Utc):yyyy-MM-ddTHH:mm:ssZ}</DateDeGeneration>"));
        writer.WriteLine("    <ListeDomaines>");
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        string? previous = null;
        var fresh = 0;
        for (var i = 0; i < entries; i++)
        {
            string name;
            if (duplicateEvery > 0 && previous is not null && i % duplicateEvery == 0)
            {
                name = previous;
            }
            else
            {
                name = fresh < fixedDomains.Length
                    ? fixedDomains[fresh]
                    : string.Create(CultureInfo.InvariantCulture, $"etab-{fresh:D5}.mssante.fr");
                fresh++;
            }

            distinct.Add(name);
            previous = name;
            var op = Operators[(i + random.Next(Operators.Length)) % Operators.Length];
            writer.WriteLine("        <Domaine>");
            WriteField(writer, "Nom", name);
            WriteField(writer, "Description", string.Create(CultureInfo.InvariantCulture, $"Établissement fictif n°{i} — données de test"));
            WriteField(writer, "DNCertificatOperateur", op);
            WriteField(writer, "ResponsableContact", "01 00 00 00 00, responsable@operateur-demo.fr");
            WriteField(writer, "SupportContact", "01 00 00 00 01, support@operateur-demo.fr");
            WriteField(writer, "DateMAJ", new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(500_000))
                .ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            writer.WriteLine("        </Domaine>");
        }

        writer.WriteLine("    </ListeDomaines>");
        if (!truncated)
        {
            writer.WriteLine("</ListeBlancheMSSante>");
        }

        return distinct.Count;
    }

    /// <summary>Convenience: the generated list as a UTF-8 string.</summary>
    public static string ToXml(int entries, int duplicateEvery = 7, bool truncated = false, int seed = 1)
    {
        var builder = new StringBuilder();
        using var writer = new StringWriter(builder, CultureInfo.InvariantCulture);
        Write(writer, entries, duplicateEvery, truncated, seed);
        return builder.ToString();
    }

    private static void WriteField(TextWriter writer, string name, string value)
    {
        writer.Write("            <");
        writer.Write(name);
        writer.Write('>');
        writer.Write(SecurityElement.Escape(value));
        writer.Write("</");
        writer.Write(name);
        writer.WriteLine('>');
    }
}
