namespace MSSante.Domain.Audit;

/// <summary>Selects audit entries.</summary>
/// <param name="Mailboxes">Only these mailboxes (addresses); all when null or empty.</param>
/// <param name="From">From this UTC time, inclusive.</param>
/// <param name="To">Up to this UTC time, exclusive.</param>
/// <param name="Actions">Only these actions; all when null or empty.</param>
/// <param name="AuthorIdNat">Only this author.</param>
/// <param name="Page">Zero-based page (paged queries only).</param>
/// <param name="PageSize">Entries per page (paged queries only), 1 to 500.</param>
public sealed record AuditQuery(
    IReadOnlyCollection<string>? Mailboxes = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyCollection<AuditAction>? Actions = null,
    string? AuthorIdNat = null,
    int Page = 0,
    int PageSize = 50);

/// <summary>One page of entries, newest first.</summary>
/// <param name="Entries">The entries.</param>
/// <param name="HasMore">True when an older page exists.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, bool HasMore);

/// <summary>Outcome of a retention purge.</summary>
/// <param name="Purged">Entries removed.</param>
/// <param name="AnchorSequence">Sequence of the last removed entry, now the chain's anchor.</param>
/// <param name="AnchorHash">Its hash: the oldest kept entry must point at it.</param>
public sealed record AuditPurgeResult(int Purged, long AnchorSequence, string AnchorHash);

/// <summary>
/// The tamper-evident audit trail: appends are chained by hash and serialised, so the chain
/// stays one line even with several writers and several hosts.
/// </summary>
public interface IAuditTrail
{
    /// <summary>Appends one entry at the end of the chain and returns it as stored.</summary>
    Task<AuditEntry> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>A page of entries, newest first: the "who accessed my mailboxes" view.</summary>
    Task<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every matching entry in chain order, streamed (exports).</summary>
    IAsyncEnumerable<AuditEntry> ReadAsync(AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Verifies the whole kept chain and names the first broken link.</summary>
    Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default);

    /// <summary>Removes entries older than <paramref name="before"/>, keeping the chain verifiable through an anchor.</summary>
    Task<AuditPurgeResult> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default);
}
