using MSSante.Domain.NationalDirectory;

namespace MSSante.Domain.TrustSpace;

/// <summary>
/// The trust-space rule: a recipient is allowed when its domain is exactly on the whitelist
/// (case-insensitive; the format lists whole domains, so no parent or sub-domain matching).
/// </summary>
public sealed class TrustSpaceChecker : ITrustSpace
{
    private const int MaxSuggestions = 5;
    private readonly IWhitelistStore _whitelist;
    private readonly ITrustSpaceSuggestionSource? _suggestions;

    /// <summary>Creates the checker; <paramref name="suggestions"/> may be null when no directory is available.</summary>
    public TrustSpaceChecker(IWhitelistStore whitelist, ITrustSpaceSuggestionSource? suggestions = null)
    {
        _whitelist = whitelist ?? throw new ArgumentNullException(nameof(whitelist));
        _suggestions = suggestions;
    }

    /// <inheritdoc />
    public async Task<TrustSpaceVerdict> CheckAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var trimmed = address.Trim();
        var at = trimmed.LastIndexOf('@');
        if (at <= 0 || at == trimmed.Length - 1)
        {
            return new TrustSpaceVerdict(
                trimmed,
                null,
                false,
                $"L'adresse « {trimmed} » n'est pas une adresse de messagerie valide.",
                []);
        }

        var localPart = trimmed[..at];
        var rawDomain = trimmed[(at + 1)..];
        var domain = WhitelistParser.NormalizeDomain(rawDomain);
        if (domain is null)
        {
            return new TrustSpaceVerdict(
                trimmed,
                null,
                false,
                $"L'adresse « {trimmed} » n'est pas une adresse de messagerie valide : le domaine « {rawDomain} » est incorrect.",
                []);
        }

        if (await _whitelist.ContainsDomainAsync(domain, cancellationToken).ConfigureAwait(false))
        {
            return new TrustSpaceVerdict(trimmed, domain, true, null, []);
        }

        IReadOnlyList<TrustSpaceSuggestion> suggestions = [];
        if (_suggestions is not null)
        {
            var tokens = LocalPartTokens(localPart);
            if (tokens.Count > 0)
            {
                suggestions = await _suggestions.SuggestAsync(tokens, MaxSuggestions, cancellationToken).ConfigureAwait(false);
            }
        }

        var message = $"Le domaine {domain} n'appartient pas à l'espace de confiance MSSanté : "
            + "ce destinataire ne peut pas recevoir de messagerie sécurisée de santé.";
        if (suggestions.Count > 0)
        {
            message += " Vouliez-vous écrire à "
                + string.Join(" ou ", suggestions.Select(s => $"{s.DisplayName} <{s.Address}>"))
                + " ?";
        }

        return new TrustSpaceVerdict(trimmed, domain, false, message, suggestions);
    }

    /// <summary>
    /// Splits a local part such as <c>jean-pierre.dupont2</c> into search tokens
    /// (<c>JEAN</c>, <c>PIERRE</c>, <c>DUPONT</c>): digits and separators are dropped, tokens
    /// under two letters ignored.
    /// </summary>
    public static IReadOnlyList<string> LocalPartTokens(string localPart)
    {
        ArgumentNullException.ThrowIfNull(localPart);
        var plus = localPart.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            localPart = localPart[..plus];
        }

        return SearchText.Tokenize(localPart)
            .Select(t => new string(t.Where(char.IsLetter).ToArray()))
            .Where(t => t.Length >= 2)
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }
}
