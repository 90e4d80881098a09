using System.Runtime.CompilerServices;
using MSSante.Domain.Audit;

namespace MSSante.Domain.Tests.Audit;

public class AuditChainTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    internal static (List<AuditEntry> Entries, AuditChainState State) BuildChain(int count)
    {
        var entries = new List<AuditEntry>();
        var previous = AuditChain.GenesisHash;
        for (var i = 1; i <= count; i++)
        {
            var record = new AuditRecord(
                "899700100015",
                "jeanne.martin@medecin.mssante.fr",
                (AuditAction)((i % 8) + 1),
                Success: i % 5 != 0,
                TargetUid: 1000 + i,
                TargetMessageId: $"<m{i}@ch-demo.mssante.fr>",
                ServerResponse: "OK Fetch completed",
                OccurredAt: T0.AddMinutes(i).AddTicks(7));
            var entry = AuditChain.Seal(record, i, previous, T0);
            entries.Add(entry);
            previous = entry.Hash;
        }

        return (entries, new AuditChainState { LastSequence = count, LastHash = previous });
    }

    private static async IAsyncEnumerable<AuditEntry> Stream(IEnumerable<AuditEntry> entries, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var e in entries.OrderBy(e => e.Sequence))
        {
            await Task.Yield();
            yield return e;
        }
    }

    private static Task<AuditVerification> VerifyAsync(IEnumerable<AuditEntry> entries, AuditChainState state) =>
        AuditChainVerifier.VerifyAsync(Stream(entries), state);

    [Fact]
    public async Task Intact_chain_verifies()
    {
        var (entries, state) = BuildChain(50);
        var result = await VerifyAsync(entries, state);
        Assert.True(result.IsValid);
        Assert.Equal(50, result.EntriesChecked);
        Assert.Equal(entries[^1].Hash, result.HeadHash);
    }

    [Fact]
    public async Task Empty_chain_verifies()
    {
        var result = await VerifyAsync([], new AuditChainState());
        Assert.True(result.IsValid);
    }

    [Fact]
    public void Time_is_kept_to_the_microsecond_and_in_utc()
    {
        var (entries, _) = BuildChain(1);
        Assert.Equal(DateTimeKind.Utc, entries[0].OccurredAtUtc.Kind);
        Assert.Equal(0, entries[0].OccurredAtUtc.Ticks % 10);
    }

    [Fact]
    public async Task Modified_entry_is_named()
    {
        var (entries, state) = BuildChain(20);
        entries[11].ServerResponse = "NO [NONEXISTENT] Unknown UID"; // entry 12

        var result = await VerifyAsync(entries, state);

        Assert.False(result.IsValid);
        Assert.Equal(12, result.FirstBreak!.Sequence);
        Assert.Equal(AuditBreakKind.Modified, result.FirstBreak.Kind);
        Assert.Equal(11, result.EntriesChecked);
    }

    [Fact]
    public async Task Modified_entry_with_a_recomputed_hash_is_still_found()
    {
        var (entries, state) = BuildChain(20);
        entries[11].AuthorIdNat = "899700100023";
        entries[11].Hash = AuditChain.ComputeHash(entries[11]);

        var result = await VerifyAsync(entries, state);

        Assert.Equal(AuditBreakKind.Modified, result.FirstBreak!.Kind);
        Assert.Equal(12, result.FirstBreak.Sequence);
    }

    [Fact]
    public async Task Deleted_entry_is_named()
    {
        var (entries, state) = BuildChain(20);
        entries.RemoveAt(6); // entry 7

        var result = await VerifyAsync(entries, state);

        Assert.Equal(AuditBreakKind.Deleted, result.FirstBreak!.Kind);
        Assert.Equal(7, result.FirstBreak.Sequence);
        Assert.Contains("entries 7 to 7 are missing", result.FirstBreak.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Entries_deleted_from_the_end_are_detected_through_the_head()
    {
        var (entries, state) = BuildChain(20);
        entries.RemoveRange(17, 3);

        var result = await VerifyAsync(entries, state);

        Assert.Equal(AuditBreakKind.Deleted, result.FirstBreak!.Kind);
        Assert.Equal(18, result.FirstBreak.Sequence);
    }

    [Fact]
    public async Task Reordered_entries_are_named()
    {
        var (entries, state) = BuildChain(20);
        // Swap positions of entries 9 and 10, as an UPDATE of their sequence numbers would.
        (entries[8].Sequence, entries[9].Sequence) = (entries[9].Sequence, entries[8].Sequence);

        var result = await VerifyAsync(entries, state);

        Assert.Equal(AuditBreakKind.Reordered, result.FirstBreak!.Kind);
        Assert.Equal(9, result.FirstBreak.Sequence);
    }

    [Fact]
    public async Task Entry_moved_far_back_is_reordered_too()
    {
        var (entries, state) = BuildChain(30);
        // Entry 25 moved to position 5, entries 5..24 shifted up by one.
        foreach (var e in entries.Where(e => e.Sequence is >= 5 and <= 24))
        {
            e.Sequence++;
        }

        entries[24].Sequence = 5;

        var result = await VerifyAsync(entries, state);

        Assert.Equal(AuditBreakKind.Reordered, result.FirstBreak!.Kind);
        Assert.Equal(5, result.FirstBreak.Sequence);
    }

    [Fact]
    public async Task Purged_chain_verifies_from_its_anchor_and_detects_deletion_right_after_it()
    {
        var (entries, state) = BuildChain(20);
        var anchor = entries[9];
        var kept = entries.Skip(10).ToList();
        state.AnchorSequence = anchor.Sequence;
        state.AnchorHash = anchor.Hash;

        Assert.True((await VerifyAsync(kept, state)).IsValid);

        var tampered = kept.Skip(1).ToList();
        var result = await VerifyAsync(tampered, state);
        Assert.Equal(AuditBreakKind.Deleted, result.FirstBreak!.Kind);
        Assert.Equal(11, result.FirstBreak.Sequence);
    }

    [Fact]
    public void Every_field_is_covered_by_the_hash()
    {
        var (entries, _) = BuildChain(1);
        var original = entries[0];
        var mutations = new Action<AuditEntry>[]
        {
            e => e.Sequence++,
            e => e.OccurredAtUtc = e.OccurredAtUtc.AddTicks(10),
            e => e.AuthorIdNat += "0",
            e => e.Mailbox = "autre@medecin.mssante.fr",
            e => e.Action = AuditAction.Suppression == e.Action ? AuditAction.Envoi : AuditAction.Suppression,
            e => e.Success = !e.Success,
            e => e.TargetUid = null,
            e => e.TargetMessageId = null,
            e => e.ServerResponse = "",
            e => e.Detail = "x",
            e => e.PreviousHash = new string('1', 64),
        };
        foreach (var mutate in mutations)
        {
            var copy = new AuditEntry
            {
                Sequence = original.Sequence, OccurredAtUtc = original.OccurredAtUtc, AuthorIdNat = original.AuthorIdNat,
                Mailbox = original.Mailbox, Action = original.Action, Success = original.Success, TargetUid = original.TargetUid,
                TargetMessageId = original.TargetMessageId, ServerResponse = original.ServerResponse, Detail = original.Detail,
                PreviousHash = original.PreviousHash,
            };
            Assert.Equal(original.Hash, AuditChain.ComputeHash(copy));
            mutate(copy);
            Assert.NotEqual(original.Hash, AuditChain.ComputeHash(copy));
        }
    }

    [Fact]
    public async Task Csv_export_quotes_and_neutralises_formulas()
    {
        var (entries, _) = BuildChain(2);
        entries[0].ServerResponse = "NO \"quota\", retry";
        entries[1].Detail = "=HYPERLINK(\"x\")";
        var writer = new StringWriter();

        var count = await AuditCsv.WriteAsync(writer, Stream(entries));

        Assert.Equal(2, count);
        var lines = writer.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Equal(string.Join(',', AuditCsv.Columns), lines[0]);
        Assert.Contains(",\"NO \"\"quota\"\", retry\",", lines[1], StringComparison.Ordinal);
        Assert.Contains(",\"'=HYPERLINK(\"\"x\"\")\",", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("1,2026-03-01T08:01:00.000000Z,899700100015,jeanne.martin@medecin.mssante.fr,", lines[1], StringComparison.Ordinal);
    }
}
