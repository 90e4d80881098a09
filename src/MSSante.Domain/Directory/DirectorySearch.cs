namespace MSSante.Domain.NationalDirectory;

/// <summary>A directory search: free text matched word by word, optionally filtered.</summary>
/// <param name="Text">
/// Words to find, in any order, with or without accents: surname, first name, profession,
/// specialty, town, postcode, idNat/RPPS, street, structure. Each word matches the start of a
/// word of the entry ("mart" finds MARTIN).
/// </param>
/// <param name="Page">Zero-based page number.</param>
/// <param name="PageSize">Entries per page (1 to 100).</param>
/// <param name="Type">Only this mailbox type, when given.</param>
public sealed record DirectoryQuery(string Text, int Page = 0, int PageSize = 20, MailboxType? Type = null)
{
    /// <summary>The normalised words of <see cref="Text"/> (at most 8: more narrows nothing useful).</summary>
    public IReadOnlyList<string> Tokens { get; } = SearchText.Tokenize(Text).Distinct(StringComparer.Ordinal).Take(8).ToList();

    /// <summary>Throws when paging values are out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Page);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(PageSize, 100);
    }
}

/// <summary>One page of results, best first.</summary>
/// <param name="Entries">The entries of the page.</param>
/// <param name="HasMore">True when another page exists.</param>
public sealed record DirectoryPage(IReadOnlyList<DirectoryEntry> Entries, bool HasMore);

/// <summary>Searches the stored national directory.</summary>
public interface IDirectorySearch
{
    /// <summary>
    /// Entries whose words start with every query word, ranked: a surname or first name
    /// match first, then surname order. An empty query returns no entry.
    /// </summary>
    Task<DirectoryPage> SearchAsync(DirectoryQuery query, CancellationToken cancellationToken = default);

    /// <summary>The entry of one mailbox address, or null.</summary>
    Task<DirectoryEntry?> FindByAddressAsync(string address, CancellationToken cancellationToken = default);
}

/// <summary>
/// The matching rule of <see cref="IDirectorySearch"/> written as a plain scan: every query
/// token is a prefix of some word of the entry. Used as the reference for correctness tests
/// and as the baseline of the search benchmark.
/// </summary>
public static class DirectoryMatcher
{
    /// <summary>True when every token starts a word of <paramref name="names"/> or <paramref name="other"/>.</summary>
    public static bool Matches(string names, string other, IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        if (tokens.Count == 0)
        {
            return false;
        }

        foreach (var token in tokens)
        {
            if (!StartsAWord(names, token) && !StartsAWord(other, token))
            {
                return false;
            }
        }

        return true;
    }

    private static bool StartsAWord(string text, string token)
    {
        var index = 0;
        while ((index = text.IndexOf(token, index, StringComparison.Ordinal)) >= 0)
        {
            if (index == 0 || text[index - 1] == ' ')
            {
                return true;
            }

            index++;
        }

        return false;
    }
}

/// <summary>Outcome of a directory import.</summary>
/// <param name="Read">Entries read from the file.</param>
/// <param name="Inserted">New mailboxes stored.</param>
/// <param name="Updated">Mailboxes whose row changed.</param>
/// <param name="Unchanged">Mailboxes whose row was identical.</param>
/// <param name="Deleted">Mailboxes absent from the file, removed.</param>
/// <param name="Malformed">Lines rejected by the parser.</param>
/// <param name="MalformedSamples">Line numbers and reasons of the first rejected lines.</param>
public sealed record DirectoryImportResult(
    int Read, int Inserted, int Updated, int Unchanged, int Deleted, int Malformed, IReadOnlyList<string> MalformedSamples);
