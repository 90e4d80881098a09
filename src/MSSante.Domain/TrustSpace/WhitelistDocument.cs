namespace MSSante.Domain.TrustSpace;

/// <summary>The result of parsing a whitelist file.</summary>
public sealed class WhitelistDocument
{
    /// <summary>Creates a document from parsed entries.</summary>
    public WhitelistDocument(DateTimeOffset? generatedAt, IReadOnlyList<WhitelistEntry> entries, bool truncated)
    {
        ArgumentNullException.ThrowIfNull(entries);
        GeneratedAt = generatedAt;
        Entries = entries;
        Truncated = truncated;
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            names.Add(entry.Name);
        }

        Domains = names;
    }

    /// <summary>The publisher's generation time (<c>DateDeGeneration</c>), if present.</summary>
    public DateTimeOffset? GeneratedAt { get; }

    /// <summary>Every <c>Domaine</c> element in file order, duplicates included.</summary>
    public IReadOnlyList<WhitelistEntry> Entries { get; }

    /// <summary>Distinct domain names, lower-case, ordinal order.</summary>
    public IReadOnlyCollection<string> Domains { get; }

    /// <summary>True when the file ended before its closing root tag (the known published form).</summary>
    public bool Truncated { get; }
}
