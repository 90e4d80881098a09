using MSSante.Domain.Audit;

namespace MSSante.IntegrationTests.Support;

/// <summary>
/// Keeps what the webmail asks to journal, for tests of what is recorded; the chained store
/// itself (EfAuditTrail) has its own tests. Appends may come from any thread.
/// </summary>
internal sealed class RecordingAuditTrail : IAuditTrail
{
    private readonly List<AuditRecord> _records = [];

    /// <summary>The records appended so far, in order (a snapshot).</summary>
    public IReadOnlyList<AuditRecord> Records
    {
        get
        {
            lock (_records)
            {
                return [.. _records];
            }
        }
    }

    public Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default)
    {
        lock (_records)
        {
            _records.Add(record);
            return Task.FromResult(new AuditEntry { Sequence = _records.Count, AuthorIdNat = record.AuthorIdNat, Mailbox = record.Mailbox, Action = record.Action });
        }
    }

    public Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public IAsyncEnumerable<AuditEntry> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<AuditPurgeResult> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
