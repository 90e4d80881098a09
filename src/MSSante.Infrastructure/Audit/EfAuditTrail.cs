using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using MSSante.Domain.Audit;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.Audit;

/// <summary>
/// The audit trail in the webmail's database. Appends are serialised three ways: a process-wide
/// lock for writers in one host, the database write lock (SQLite's immediate transactions), and
/// a row lock on the chain state (<c>SELECT ... FOR UPDATE</c> on PostgreSQL) for several hosts.
/// Each append reads the head, seals the entry after it and moves the head in one transaction.
/// </summary>
public sealed partial class EfAuditTrail(
    IDbContextFactory<MSSanteDbContext> contexts,
    ILogger<EfAuditTrail> logger,
    TimeProvider? timeProvider = null) : IAuditTrail
{
    private static readonly SemaphoreSlim AppendLock = new(1, 1);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public async Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await AppendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await using (context.ConfigureAwait(false))
            {
                await EnsureStateRowAsync(context, cancellationToken).ConfigureAwait(false);
                var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var state = await LockStateAsync(context, cancellationToken).ConfigureAwait(false);
                    var entry = AuditChain.Seal(record, state.LastSequence + 1, state.LastHash, _time.GetUtcNow());
                    context.Set<AuditEntry>().Add(entry);
                    state.LastSequence = entry.Sequence;
                    state.LastHash = entry.Hash;
                    await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return entry;
                }
            }
        }
        finally
        {
            AppendLock.Release();
        }
    }

    /// <inheritdoc />
    public async Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Page);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.PageSize, 500);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = await Filter(context, query)
                .OrderByDescending(e => e.Sequence)
                .Skip(query.Page * query.PageSize)
                .Take(query.PageSize + 1)
                .ToListAsync(cancellationToken)
                .ConfigureAwait(false);
            var hasMore = rows.Count > query.PageSize;
            if (hasMore)
            {
                rows.RemoveAt(rows.Count - 1);
            }

            return new AuditPage(rows, hasMore);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> ReadAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var rows = Filter(context, query).OrderBy(e => e.Sequence).AsAsyncEnumerable();
            await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <inheritdoc />
    public async Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            // One read transaction so that entries appended meanwhile do not look like a broken
            // head; on SQLite a deferred one, so writers are not held up during a long check.
            var transaction = await BeginReadTransactionAsync(context, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var state = await context.Set<AuditChainState>().AsNoTracking().SingleOrDefaultAsync(s => s.Id == 1, cancellationToken).ConfigureAwait(false)
                    ?? new AuditChainState();
                var entries = context.Set<AuditEntry>().AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable();
                var result = await AuditChainVerifier.VerifyAsync(entries, state, cancellationToken).ConfigureAwait(false);
                if (result.FirstBreak is { } broken)
                {
                    LogBroken(logger, broken.Sequence, broken.Kind, broken.Description);
                }

                return result;
            }
        }
    }

    /// <inheritdoc />
    public async Task<AuditPurgeResult> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var limit = AuditChain.TruncateToMicroseconds(before.UtcDateTime);
        await AppendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
            await using (context.ConfigureAwait(false))
            {
                await EnsureStateRowAsync(context, cancellationToken).ConfigureAwait(false);
                var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var state = await LockStateAsync(context, cancellationToken).ConfigureAwait(false);
                    var entries = context.Set<AuditEntry>();
                    // Only a prefix of the chain may go, so the oldest kept entry links to the anchor:
                    // stop at the first entry that is recent enough, even if older ones follow it.
                    var firstKept = await entries.Where(e => e.OccurredAtUtc >= limit)
                        .OrderBy(e => e.Sequence).Select(e => (long?)e.Sequence).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
                    var lastPurged = (firstKept ?? state.LastSequence + 1) - 1;
                    if (lastPurged <= state.AnchorSequence)
                    {
                        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return new AuditPurgeResult(0, state.AnchorSequence, state.AnchorHash);
                    }

                    var anchor = await entries.AsNoTracking().SingleAsync(e => e.Sequence == lastPurged, cancellationToken).ConfigureAwait(false);
                    var purged = await entries.Where(e => e.Sequence <= lastPurged).ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                    state.AnchorSequence = anchor.Sequence;
                    state.AnchorHash = anchor.Hash;
                    state.AnchoredAtUtc = AuditChain.TruncateToMicroseconds(_time.GetUtcNow().UtcDateTime);
                    await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    LogPurged(logger, purged, anchor.Sequence);
                    return new AuditPurgeResult(purged, anchor.Sequence, anchor.Hash);
                }
            }
        }
        finally
        {
            AppendLock.Release();
        }
    }

    private static async Task<IDbContextTransaction> BeginReadTransactionAsync(MSSanteDbContext context, CancellationToken cancellationToken)
    {
        if (context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
        {
            return await context.Database.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        }

        await context.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        var sqlite = (Microsoft.Data.Sqlite.SqliteConnection)context.Database.GetDbConnection();
        var transaction = sqlite.BeginTransaction(deferred: true);
        return await context.Database.UseTransactionAsync(transaction, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("EF Core refused the read transaction.");
    }

    private static IQueryable<AuditEntry> Filter(MSSanteDbContext context, AuditQuery query)
    {
        var rows = context.Set<AuditEntry>().AsNoTracking();
        if (query.Mailboxes is { Count: > 0 } mailboxes)
        {
            var lower = mailboxes.Select(m => m.Trim().ToLowerInvariant()).ToList();
            rows = rows.Where(e => lower.Contains(e.Mailbox));
        }

        if (query.From is { } from)
        {
            var f = AuditChain.TruncateToMicroseconds(from.UtcDateTime);
            rows = rows.Where(e => e.OccurredAtUtc >= f);
        }

        if (query.To is { } to)
        {
            var t = AuditChain.TruncateToMicroseconds(to.UtcDateTime);
            rows = rows.Where(e => e.OccurredAtUtc < t);
        }

        if (query.Actions is { Count: > 0 } actions)
        {
            var list = actions.ToList();
            rows = rows.Where(e => list.Contains(e.Action));
        }

        if (!string.IsNullOrWhiteSpace(query.AuthorIdNat))
        {
            var author = query.AuthorIdNat.Trim();
            rows = rows.Where(e => e.AuthorIdNat == author);
        }

        return rows;
    }

    private static async Task EnsureStateRowAsync(MSSanteDbContext context, CancellationToken cancellationToken)
    {
        // Both providers accept ON CONFLICT DO NOTHING: two hosts starting an empty chain at once
        // both succeed, and only one row exists.
        await context.Database.ExecuteSqlRawAsync(
            $"INSERT INTO {AuditConfiguration.StateTable} (id, last_sequence, last_hash, anchor_sequence, anchor_hash) "
            + $"VALUES (1, 0, '{AuditChain.GenesisHash}', 0, '{AuditChain.GenesisHash}') ON CONFLICT (id) DO NOTHING",
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<AuditChainState> LockStateAsync(MSSanteDbContext context, CancellationToken cancellationToken)
    {
        var states = context.Set<AuditChainState>();
        if (context.Database.ProviderName?.Contains("Npgsql", StringComparison.Ordinal) == true)
        {
            // The row lock is what serialises appends across hosts.
            return await states.FromSqlRaw($"SELECT * FROM {AuditConfiguration.StateTable} WHERE id = 1 FOR UPDATE")
                .SingleAsync(cancellationToken).ConfigureAwait(false);
        }

        // SQLite: the transaction is IMMEDIATE (Microsoft.Data.Sqlite's default), so it already
        // holds the database's write lock.
        return await states.SingleAsync(s => s.Id == 1, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Error, Message = "Audit chain broken at entry {Sequence} ({Kind}): {Description}")]
    private static partial void LogBroken(ILogger logger, long sequence, AuditBreakKind kind, string description);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Information, Message = "Audit retention purge removed {Purged} entries; chain anchored at entry {Anchor}")]
    private static partial void LogPurged(ILogger logger, int purged, long anchor);
}
