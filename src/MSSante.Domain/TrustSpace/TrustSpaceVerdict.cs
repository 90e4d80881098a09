namespace MSSante.Domain.TrustSpace;

/// <summary>A directory entry proposed instead of an address outside the trust space.</summary>
/// <param name="Address">The MSSanté mailbox address.</param>
/// <param name="DisplayName">How the entry reads to a person (civility, names, profession).</param>
public sealed record TrustSpaceSuggestion(string Address, string DisplayName);

/// <summary>Whether an address may receive MSSanté mail, with the French explanation shown to the user.</summary>
/// <param name="Address">The address as checked.</param>
/// <param name="Domain">Its domain, lower-case, or null when the address is malformed.</param>
/// <param name="Allowed">True when the domain belongs to the trust space.</param>
/// <param name="Message">French explanation when refused, null when allowed.</param>
/// <param name="Suggestions">Directory entries that may be the intended recipient.</param>
public sealed record TrustSpaceVerdict(
    string Address,
    string? Domain,
    bool Allowed,
    string? Message,
    IReadOnlyList<TrustSpaceSuggestion> Suggestions);
