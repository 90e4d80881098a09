using System.Globalization;
using MSSante.Domain.NationalDirectory;

namespace MSSante.Webmail.Components.Pages.NationalDirectory;

/// <summary>
/// What the directory page's search form holds, and how it becomes a directory query. The
/// search matches every word against the whole entry (<see cref="IDirectorySearch"/>), so the
/// detailed fields only help people say what they know; their words are combined, with two
/// corrections: an identifier or a postcode typed with spaces ("10 00 12 34 567", "75 012")
/// is one word, and a whole mailbox address is looked up as such.
/// </summary>
public sealed record DirectorySearchForm
{
    /// <summary>Entries per page of results.</summary>
    public const int PageSize = 20;

    /// <summary>The words the search engine takes at most (<see cref="DirectoryQuery.Tokens"/>).</summary>
    public const int MaxWords = 8;

    /// <summary>Free text: name, first name, profession, town, anything (query parameter <c>q</c>).</summary>
    public string? Text { get; init; }

    /// <summary>Surname, with or without accents (<c>nom</c>).</summary>
    public string? LastName { get; init; }

    /// <summary>First name (<c>prenom</c>).</summary>
    public string? FirstName { get; init; }

    /// <summary>Profession or specialty (savoir-faire) (<c>profession</c>).</summary>
    public string? Profession { get; init; }

    /// <summary>Town or postcode (<c>lieu</c>).</summary>
    public string? Place { get; init; }

    /// <summary>idNat, RPPS or ADELI number (<c>identifiant</c>).</summary>
    public string? Identifier { get; init; }

    /// <summary>Street or structure name (<c>adresse</c>).</summary>
    public string? Street { get; init; }

    /// <summary>Only this mailbox type (<c>type</c>), or all.</summary>
    public MailboxType? Type { get; init; }

    /// <summary>Zero-based page (<c>page</c> in the address is one-based).</summary>
    public int Page { get; init; }

    /// <summary>True when nothing was asked: the page shows its help instead of results.</summary>
    public bool IsEmpty => ExactAddress is null && Words().Count == 0;

    /// <summary>
    /// The mailbox address typed alone in the free text, lower-case, or null. The search engine
    /// splits an address into words that few entries hold whole, so the page looks it up directly.
    /// </summary>
    public string? ExactAddress
    {
        get
        {
            var text = Text?.Trim();
            if (string.IsNullOrEmpty(text) || text.Any(char.IsWhiteSpace))
            {
                return null;
            }

            var at = text.IndexOf('@', StringComparison.Ordinal);
            return at > 0 && at == text.LastIndexOf('@') && at < text.Length - 1 && !text.Any(c => c is '<' or '>' or ',' or ';' or '"')
                ? text.ToLowerInvariant()
                : null;
        }
    }

    /// <summary>True when more words were typed than the search takes: the page says so.</summary>
    public bool HasTooManyWords => Words().Count > MaxWords;

    /// <summary>The query for the directory search of <see cref="Page"/>.</summary>
    public DirectoryQuery ToQuery() => new(string.Join(' ', Words()), Math.Max(0, Page), PageSize, Type);

    /// <summary>The normalised, distinct words of every field, identifiers and postcodes kept whole.</summary>
    public IReadOnlyList<string> Words()
    {
        var words = new List<string>();
        void Add(string? text) => words.AddRange(SearchText.Tokenize(text));
        Add(Text);
        Add(LastName);
        Add(FirstName);
        Add(Profession);
        Add(Joined(Place));
        Add(Joined(Identifier));
        Add(Street);
        return words.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>The query parameters that reproduce this search (for the address bar and the back button).</summary>
    public IReadOnlyDictionary<string, object?> ToQueryParameters() => new Dictionary<string, object?>
    {
        ["q"] = Blank(Text),
        ["nom"] = Blank(LastName),
        ["prenom"] = Blank(FirstName),
        ["profession"] = Blank(Profession),
        ["lieu"] = Blank(Place),
        ["identifiant"] = Blank(Identifier),
        ["adresse"] = Blank(Street),
        ["type"] = Type is { } t and not MailboxType.Unknown ? t.ToString().ToUpperInvariant() : null,
        ["page"] = Page > 0 ? (Page + 1).ToString(CultureInfo.InvariantCulture) : null,
    };

    /// <summary>The form described by the page's query parameters; unknown values are ignored.</summary>
    public static DirectorySearchForm FromQuery(
        string? text, string? lastName, string? firstName, string? profession, string? place, string? identifier, string? street, string? type, string? page) => new()
    {
        Text = Blank(text),
        LastName = Blank(lastName),
        FirstName = Blank(firstName),
        Profession = Blank(profession),
        Place = Blank(place),
        Identifier = Blank(identifier),
        Street = Blank(street),
        Type = ParseType(type),
        Page = int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 10_000 ? p - 1 : 0,
    };

    /// <summary>"PER", "org"... as a mailbox type; null for empty or unknown.</summary>
    public static MailboxType? ParseType(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "PER" => MailboxType.Per,
        "ORG" => MailboxType.Org,
        "APP" => MailboxType.App,
        "CAB" => MailboxType.Cab,
        _ => null,
    };

    /// <summary>
    /// A postcode or number typed in groups ("75 012", "8 100 012 345 67") is one word; anything
    /// with letters (a town, a local identifier "3990000001/SB0001") is left as typed, since the
    /// directory splits it the same way.
    /// </summary>
    private static string? Joined(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var compact = new string(value.Where(char.IsLetterOrDigit).ToArray());
        return compact.Length > 0 && compact.All(char.IsAsciiDigit) ? compact : value;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
