namespace MSSante.Domain.TrustSpace;

/// <summary>Decides whether a recipient belongs to the MSSanté trust space.</summary>
public interface ITrustSpace
{
    /// <summary>
    /// Checks one recipient address. Refusals carry a French explanation and, when the national
    /// directory knows someone whose name matches the local part, suggestions.
    /// </summary>
    Task<TrustSpaceVerdict> CheckAsync(string address, CancellationToken cancellationToken = default);
}

/// <summary>Read access to the stored whitelist.</summary>
public interface IWhitelistStore
{
    /// <summary>True when <paramref name="domain"/> (already normalised) is on the stored list.</summary>
    Task<bool> ContainsDomainAsync(string domain, CancellationToken cancellationToken = default);

    /// <summary>Number of distinct domains on the stored list.</summary>
    Task<int> CountDomainsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every distinct domain, ordinal order.</summary>
    IAsyncEnumerable<string> ListDomainsAsync(CancellationToken cancellationToken = default);
}

/// <summary>Finds directory entries whose names match the local part of a refused address.</summary>
public interface ITrustSpaceSuggestionSource
{
    /// <summary>Up to <paramref name="limit"/> entries whose surname and first name match <paramref name="nameTokens"/>.</summary>
    Task<IReadOnlyList<TrustSpaceSuggestion>> SuggestAsync(
        IReadOnlyList<string> nameTokens, int limit, CancellationToken cancellationToken = default);
}
