using System.Collections.Concurrent;

namespace MSSante.CardBridge;

/// <summary>
/// Counts wrong PINs per card (token serial number) and refuses further attempts after the
/// configured number, so that a page cannot guess PINs even on a token that never locks. A
/// correct PIN resets the count. The count lives in memory only: it is not a PIN, and the
/// card's own counter remains the authority for real CPS cards.
/// </summary>
public sealed class PinGuard(int maxAttempts)
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    /// <summary>Attempts allowed in a row.</summary>
    public int MaxAttempts { get; } = maxAttempts;

    /// <summary>Tries left for <paramref name="card"/> as far as the bridge knows.</summary>
    public int Remaining(string card) => Math.Max(0, MaxAttempts - _failures.GetValueOrDefault(card));

    /// <summary>Records a wrong PIN; returns the tries left.</summary>
    public int RecordFailure(string card) => Math.Max(0, MaxAttempts - _failures.AddOrUpdate(card, 1, (_, n) => n + 1));

    /// <summary>Records a correct PIN.</summary>
    public void RecordSuccess(string card) => _failures.TryRemove(card, out _);

    /// <summary>Marks the card locked (the card itself said CKR_PIN_LOCKED).</summary>
    public void RecordLocked(string card) => _failures[card] = MaxAttempts;
}
