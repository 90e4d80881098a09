using System.Globalization;
using System.Xml;

namespace MSSante.Domain.TrustSpace;

/// <summary>
/// Streaming reader of the published whitelist (<c>ListeBlancheMSSante</c>, namespace
/// <see cref="Namespace"/>). Lenient on the known truncated form (no closing root tag): entries
/// read before the end of the data are kept. Never accepts a file that yields no domain.
/// </summary>
public static class WhitelistParser
{
    /// <summary>The namespace of the official format.</summary>
    public const string Namespace = "https://listeblanche.mssante.fr/schema";

    private const string RootName = "ListeBlancheMSSante";

    /// <summary>Parses a whitelist from a stream without loading it whole.</summary>
    /// <exception cref="WhitelistFormatException">The data is not a whitelist or yields no domain.</exception>
    public static async Task<WhitelistDocument> ParseAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var settings = new XmlReaderSettings
        {
            Async = true,
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            CloseInput = false,
        };

        var entries = new List<WhitelistEntry>();
        DateTimeOffset? generatedAt = null;
        var truncated = false;
        var sawRoot = false;
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            var advance = true;
            while (!advance || await reader.ReadAsync().ConfigureAwait(false))
            {
                advance = true;
                cancellationToken.ThrowIfCancellationRequested();
                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                if (!sawRoot)
                {
                    if (reader.LocalName != RootName || !IsAcceptedNamespace(reader.NamespaceURI))
                    {
                        throw new WhitelistFormatException(
                            $"Not an MSSanté whitelist: root element is '{reader.Name}', expected '{RootName}'.");
                    }

                    sawRoot = true;
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "DateDeGeneration":
                        generatedAt = ParseDate(await reader.ReadElementContentAsStringAsync().ConfigureAwait(false));
                        advance = false; // already on the next node
                        break;
                    case "Domaine":
                        var entry = await ReadDomainAsync(reader).ConfigureAwait(false);
                        if (entry is not null)
                        {
                            entries.Add(entry);
                        }

                        break;
                }
            }
        }
        catch (XmlException ex)
        {
            // The publisher's copies have been seen ending without </ListeBlancheMSSante>: keep
            // what was read completely, but only if that is something.
            if (entries.Count == 0)
            {
                throw new WhitelistFormatException($"The whitelist could not be read: {ex.Message}", ex);
            }

            truncated = true;
        }

        if (!sawRoot)
        {
            throw new WhitelistFormatException("The whitelist file is empty.");
        }

        if (entries.Count == 0)
        {
            throw new WhitelistFormatException("The whitelist contains no domain: refused.");
        }

        return new WhitelistDocument(generatedAt, entries, truncated);
    }

    /// <summary>
    /// Normalises a domain name for comparison: trimmed, trailing dot removed, IDN to ASCII,
    /// lower-case. Returns null when the value is not a plausible domain name.
    /// </summary>
    public static string? NormalizeDomain(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var name = value.Trim().TrimEnd('.');
        try
        {
            name = new IdnMapping().GetAscii(name);
        }
        catch (ArgumentException)
        {
            return null;
        }

        name = name.ToLowerInvariant();
        if (name.Length > 253 || !name.Contains('.', StringComparison.Ordinal))
        {
            return null;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
            {
                return null;
            }

            foreach (var c in label)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
                {
                    return null;
                }
            }
        }

        return name;
    }

    private static bool IsAcceptedNamespace(string ns) =>
        ns.Length == 0 || string.Equals(ns, Namespace, StringComparison.Ordinal);

    private static async Task<WhitelistEntry?> ReadDomainAsync(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            return null;
        }

        string? name = null, description = null, dn = null, responsible = null, support = null;
        DateTimeOffset? updated = null;
        var depth = reader.Depth;
        if (!await reader.ReadAsync().ConfigureAwait(false))
        {
            throw new XmlException("Unexpected end of data inside a Domaine element.");
        }

        while (true)
        {
            if (reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth)
            {
                var normalized = NormalizeDomain(name);
                return normalized is null
                    ? null
                    : new WhitelistEntry(normalized, description, dn, responsible, support, updated);
            }

            if (reader.NodeType == XmlNodeType.Element && reader.Depth == depth + 1)
            {
                // ReadElementContentAsString leaves the reader on the node after the field.
                var field = reader.LocalName;
                var text = Clean(await reader.ReadElementContentAsStringAsync().ConfigureAwait(false));
                switch (field)
                {
                    case "Nom": name = text; break;
                    case "Description": description = text; break;
                    case "DNCertificatOperateur": dn = text; break;
                    case "ResponsableContact": responsible = text; break;
                    case "SupportContact": support = text; break;
                    case "DateMAJ": updated = ParseDate(text); break;
                }

                continue;
            }

            if (!await reader.ReadAsync().ConfigureAwait(false))
            {
                // End of data inside a Domaine: the entry is incomplete, drop it.
                throw new XmlException("Unexpected end of data inside a Domaine element.");
            }
        }
    }

    private static string? Clean(string? text)
    {
        var trimmed = text?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }

    private static DateTimeOffset? ParseDate(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : null;
}
