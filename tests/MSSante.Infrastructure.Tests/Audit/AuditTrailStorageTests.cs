using Microsoft.EntityFrameworkCore;
using MSSante.Domain.Audit;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Tests.TrustSpace;

namespace MSSante.Infrastructure.Tests.Audit;

public sealed class AuditTrailStorageTests
{
    private const string Owner = "paul.durand@ch-demo.mssante.fr";
    private const string Service = "pneumologie@ch-demo.mssante.fr";
    private static readonly DateTimeOffset T0 = new(2026, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static async Task<List<AuditEntry>> AppendSampleAsync(IAuditTrail trail, int count, DateTimeOffset? start = null)
    {
        var list = new List<AuditEntry>();
        for (var i = 0; i < count; i++)
        {
            list.Add(await trail.AppendAsync(new AuditRecord(
                i % 2 == 0 ? "899700100023" : "3990000001/SB0001",
                i % 3 == 0 ? Service : Owner,
                (AuditAction)((i % 8) + 1),
                Success: i % 4 != 3,
                TargetUid: 4200 + i,
                TargetMessageId: $"<cr-{i}@ch-demo.mssante.fr>",
                ServerResponse: i % 4 == 3 ? "NO [NONEXISTENT] Message not found" : "OK done",
                OccurredAt: (start ?? T0).AddMinutes(i))));
        }

        return list;
    }

    private static async Task ExecuteAsync(TrustSpaceDatabase db, string sql)
    {
        await using var context = await db.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        await context.Database.ExecuteSqlRawAsync(sql);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Stored_chain_verifies_and_round_trips_every_field(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        var written = await AppendSampleAsync(trail, 12);

        var result = await trail.VerifyAsync();

        Assert.True(result.IsValid, result.FirstBreak?.Description);
        Assert.Equal(12, result.EntriesChecked);
        var read = new List<AuditEntry>();
        await foreach (var e in trail.ReadAsync(new AuditQuery()))
        {
            read.Add(e);
        }

        Assert.Equal(written.Select(e => e.Hash), read.Select(e => e.Hash));
        Assert.All(read, e => Assert.Equal(e.Hash, AuditChain.ComputeHash(e)));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Modified_entry_in_the_database_is_named(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 10);

        await ExecuteAsync(db, "UPDATE audit_entries SET author_idnat = '899700100015' WHERE sequence = 6");

        var result = await trail.VerifyAsync();
        Assert.Equal(AuditBreakKind.Modified, result.FirstBreak!.Kind);
        Assert.Equal(6, result.FirstBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Deleted_entry_in_the_database_is_named(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 10);

        await ExecuteAsync(db, "DELETE FROM audit_entries WHERE sequence = 4");

        var result = await trail.VerifyAsync();
        Assert.Equal(AuditBreakKind.Deleted, result.FirstBreak!.Kind);
        Assert.Equal(4, result.FirstBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Last_entries_deleted_in_the_database_are_detected(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 10);

        await ExecuteAsync(db, "DELETE FROM audit_entries WHERE sequence >= 9");

        var result = await trail.VerifyAsync();
        Assert.Equal(AuditBreakKind.Deleted, result.FirstBreak!.Kind);
        Assert.Equal(9, result.FirstBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Reordered_entries_in_the_database_are_named(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 10);

        // Swap entries 5 and 6 through a free number, as a person editing the table would.
        await ExecuteAsync(db, "UPDATE audit_entries SET sequence = 1000 WHERE sequence = 5");
        await ExecuteAsync(db, "UPDATE audit_entries SET sequence = 5 WHERE sequence = 6");
        await ExecuteAsync(db, "UPDATE audit_entries SET sequence = 6 WHERE sequence = 1000");

        var result = await trail.VerifyAsync();
        Assert.Equal(AuditBreakKind.Reordered, result.FirstBreak!.Kind);
        Assert.Equal(5, result.FirstBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Concurrent_writers_keep_one_unbroken_chain(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        // Two service providers on the same database behave like two hosts: their in-process
        // locks are separate... except that the lock is static; the database lock is what
        // counts across processes, and it is exercised by the second trail below.
        var trail = db.Get<IAuditTrail>();
        var tasks = Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 10; i++)
            {
                await trail.AppendAsync(new AuditRecord("899700100023", Owner, AuditAction.Consultation, true, TargetUid: (w * 100) + i));
            }
        }));
        await Task.WhenAll(tasks);

        var result = await trail.VerifyAsync();
        Assert.True(result.IsValid, result.FirstBreak?.Description);
        Assert.Equal(80, result.EntriesChecked);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Purge_keeps_the_chain_verifiable_and_a_deletion_after_the_anchor_is_still_detected(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 20, T0); // entries at T0 + 0..19 minutes

        var purge = await trail.PurgeAsync(T0.AddMinutes(8));

        Assert.Equal(8, purge.Purged);
        Assert.Equal(8, purge.AnchorSequence);
        var after = await trail.VerifyAsync();
        Assert.True(after.IsValid, after.FirstBreak?.Description);
        Assert.Equal(12, after.EntriesChecked);
        Assert.Equal(0, (await trail.PurgeAsync(T0.AddMinutes(8))).Purged);

        await ExecuteAsync(db, "DELETE FROM audit_entries WHERE sequence = 9");
        var broken = await trail.VerifyAsync();
        Assert.Equal(AuditBreakKind.Deleted, broken.FirstBreak!.Kind);
        Assert.Equal(9, broken.FirstBreak.Sequence);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Query_for_the_who_accessed_my_mailboxes_view(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var trail = db.Get<IAuditTrail>();
        await AppendSampleAsync(trail, 30);

        var page = await trail.QueryAsync(new AuditQuery(Mailboxes: [Service.ToUpperInvariant()], PageSize: 4));
        Assert.Equal(4, page.Entries.Count);
        Assert.True(page.HasMore);
        Assert.All(page.Entries, e => Assert.Equal(Service, e.Mailbox));
        Assert.Equal(page.Entries.Select(e => e.Sequence).OrderDescending(), page.Entries.Select(e => e.Sequence));

        var window = await trail.QueryAsync(new AuditQuery(From: T0.AddMinutes(10), To: T0.AddMinutes(20), AuthorIdNat: "3990000001/SB0001", PageSize: 100));
        Assert.Equal(5, window.Entries.Count);
        Assert.False(window.HasMore);

        var deletions = await trail.QueryAsync(new AuditQuery(Actions: [AuditAction.Suppression], PageSize: 100));
        Assert.All(deletions.Entries, e => Assert.Equal(AuditAction.Suppression, e.Action));
        Assert.NotEmpty(deletions.Entries);
    }
}
