namespace MSSante.Domain.TrustSpace;

/// <summary>Outcome of comparing a freshly parsed whitelist with the stored one.</summary>
/// <param name="Accepted">True when the new list may replace the stored one.</param>
/// <param name="PreviousCount">Distinct domains in the stored list.</param>
/// <param name="NewCount">Distinct domains in the new list.</param>
/// <param name="Reason">Why the list was refused (English, for logs and the CLI), or null.</param>
public sealed record WhitelistImportDecision(bool Accepted, int PreviousCount, int NewCount, string? Reason);

/// <summary>
/// Guards the trust space against a broken publication: a list that suddenly loses many
/// domains is far more likely a bad download than a real change, and applying it would make
/// the operator refuse legitimate mail.
/// </summary>
public static class WhitelistImportPolicy
{
    /// <summary>The default largest accepted shrink, as a fraction of the stored list.</summary>
    public const double DefaultMaxShrinkFraction = 0.10;

    /// <summary>Decides whether a list of <paramref name="newCount"/> domains may replace one of <paramref name="previousCount"/>.</summary>
    public static WhitelistImportDecision Evaluate(int previousCount, int newCount, double maxShrinkFraction = DefaultMaxShrinkFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(previousCount);
        ArgumentOutOfRangeException.ThrowIfNegative(newCount);
        if (maxShrinkFraction is < 0 or > 1 || double.IsNaN(maxShrinkFraction))
        {
            throw new ArgumentOutOfRangeException(nameof(maxShrinkFraction), "Expected a fraction between 0 and 1.");
        }

        if (newCount == 0)
        {
            return new WhitelistImportDecision(false, previousCount, newCount, "the new list contains no domain");
        }

        if (previousCount > 0 && newCount < previousCount)
        {
            var shrink = (double)(previousCount - newCount) / previousCount;
            if (shrink > maxShrinkFraction)
            {
                return new WhitelistImportDecision(
                    false,
                    previousCount,
                    newCount,
                    string.Create(
                        System.Globalization.CultureInfo.InvariantCulture,
                        $"the new list has {newCount} domains instead of {previousCount} ({shrink:P1} fewer, more than the allowed {maxShrinkFraction:P0}); the previous list is kept"));
            }
        }

        return new WhitelistImportDecision(true, previousCount, newCount, null);
    }
}
