namespace MSSante.Domain.Audit;

/// <summary>How a chain link is broken.</summary>
public enum AuditBreakKind
{
    /// <summary>The entry's content no longer matches its hash, or its link was forged.</summary>
    Modified = 1,

    /// <summary>One or more entries are missing (a gap, or entries removed from the end).</summary>
    Deleted = 2,

    /// <summary>Entries are no longer in the order they were written.</summary>
    Reordered = 3,
}

/// <summary>The first broken link found.</summary>
/// <param name="Sequence">Sequence number at which the chain breaks.</param>
/// <param name="Kind">What was detected.</param>
/// <param name="Description">English explanation for the operator.</param>
public sealed record AuditBreak(long Sequence, AuditBreakKind Kind, string Description);

/// <summary>Result of a verification.</summary>
/// <param name="EntriesChecked">Entries read before the first break (or all of them).</param>
/// <param name="FirstBreak">The first broken link, or null when the chain is intact.</param>
/// <param name="HeadHash">The hash the chain ends with (record it elsewhere to detect a rewritten tail).</param>
public sealed record AuditVerification(long EntriesChecked, AuditBreak? FirstBreak, string HeadHash)
{
    /// <summary>True when no link is broken.</summary>
    public bool IsValid => FirstBreak is null;
}

/// <summary>
/// Walks a chain in sequence order from the purge anchor and names the first broken link.
/// Memory stays bounded: recent hashes are kept in a window to tell a reordering from a
/// modification, and a break looks ahead over at most the same window.
/// </summary>
public static class AuditChainVerifier
{
    private const int Window = 1024;

    /// <summary>Verifies <paramref name="entries"/> (ascending <see cref="AuditEntry.Sequence"/>) against <paramref name="state"/>.</summary>
    public static async Task<AuditVerification> VerifyAsync(
        IAsyncEnumerable<AuditEntry> entries, AuditChainState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(state);
        var expectedSequence = state.AnchorSequence + 1;
        var expectedPrevious = state.AnchorHash;
        var seen = new Dictionary<string, long>(StringComparer.Ordinal);
        var seenOrder = new Queue<string>();
        long checkedCount = 0;
        await using var enumerator = entries.GetAsyncEnumerator(cancellationToken);
        while (await enumerator.MoveNextAsync().ConfigureAwait(false))
        {
            var entry = enumerator.Current;
            var recomputed = AuditChain.ComputeHash(entry);
            var selfConsistent = string.Equals(recomputed, entry.Hash, StringComparison.Ordinal);
            var linked = string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal);
            if (!selfConsistent || !linked || entry.Sequence != expectedSequence)
            {
                var kind = await ClassifyAsync(entry, selfConsistent, linked, expectedSequence, seen, enumerator).ConfigureAwait(false);
                return new AuditVerification(checkedCount, Describe(kind, entry, expectedSequence, selfConsistent), state.LastHash);
            }

            checkedCount++;
            Remember(seen, seenOrder, entry);
            expectedPrevious = entry.Hash;
            expectedSequence++;
        }

        if (expectedSequence - 1 < state.LastSequence)
        {
            return new AuditVerification(
                checkedCount,
                new AuditBreak(
                    expectedSequence,
                    AuditBreakKind.Deleted,
                    FormattableString.Invariant(
                        $"entries {expectedSequence} to {state.LastSequence} are missing: the chain ends at {expectedSequence - 1} but its head records {state.LastSequence}")),
                state.LastHash);
        }

        if (!string.Equals(expectedPrevious, state.LastHash, StringComparison.Ordinal))
        {
            return new AuditVerification(
                checkedCount,
                new AuditBreak(
                    expectedSequence - 1,
                    AuditBreakKind.Modified,
                    FormattableString.Invariant($"the last entry {expectedSequence - 1} does not match the hash recorded as the chain's head")),
                state.LastHash);
        }

        return new AuditVerification(checkedCount, null, state.LastHash);
    }

    private static async Task<AuditBreakKind> ClassifyAsync(
        AuditEntry entry,
        bool selfConsistent,
        bool linked,
        long expectedSequence,
        Dictionary<string, long> seen,
        IAsyncEnumerator<AuditEntry> rest)
    {
        if (selfConsistent && !linked && entry.Sequence > expectedSequence && !seen.ContainsKey(entry.PreviousHash))
        {
            // Intact entry whose predecessor is gone.
            return AuditBreakKind.Deleted;
        }

        if (!linked || entry.Sequence != expectedSequence)
        {
            // The entry points at another existing entry than the one before it: entries were
            // swapped or moved. Look back in the window, then ahead.
            if (seen.ContainsKey(entry.PreviousHash))
            {
                return AuditBreakKind.Reordered;
            }

            for (var i = 0; i < Window && await rest.MoveNextAsync().ConfigureAwait(false); i++)
            {
                if (string.Equals(rest.Current.Hash, entry.PreviousHash, StringComparison.Ordinal))
                {
                    return AuditBreakKind.Reordered;
                }
            }
        }

        return AuditBreakKind.Modified;
    }

    private static AuditBreak Describe(AuditBreakKind kind, AuditEntry entry, long expectedSequence, bool selfConsistent) => kind switch
    {
        AuditBreakKind.Modified when selfConsistent && entry.Sequence == expectedSequence && expectedSequence > 1 => new AuditBreak(
            expectedSequence - 1,
            kind,
            FormattableString.Invariant(
                $"entry {expectedSequence - 1} was rewritten: entry {entry.Sequence} recorded another hash for it")),
        AuditBreakKind.Deleted => new AuditBreak(
            expectedSequence,
            kind,
            FormattableString.Invariant(
                $"entries {expectedSequence} to {entry.Sequence - 1} are missing: entry {entry.Sequence} follows entry {expectedSequence - 1}")),
        AuditBreakKind.Reordered => new AuditBreak(
            expectedSequence,
            kind,
            FormattableString.Invariant(
                $"entry found at position {entry.Sequence} was written after another entry than the one before it: entries were reordered")),
        _ => new AuditBreak(
            entry.Sequence,
            kind,
            FormattableString.Invariant(
                $"entry {entry.Sequence} was modified: its content or its link to entry {entry.Sequence - 1} no longer matches its hash")),
    };

    private static void Remember(Dictionary<string, long> seen, Queue<string> order, AuditEntry entry)
    {
        seen[entry.Hash] = entry.Sequence;
        order.Enqueue(entry.Hash);
        if (order.Count > Window)
        {
            seen.Remove(order.Dequeue());
        }
    }
}
