namespace MSSante.Domain.Audit;

/// <summary>
/// What a caller records. Targets are the IMAP UID and the Message-ID only: never a subject,
/// a body, an attachment name or a patient identifier.
/// </summary>
/// <param name="AuthorIdNat">National id of the authenticated person who acted (a delegate acts under their own id).</param>
/// <param name="Mailbox">The mailbox address acted on.</param>
/// <param name="Action">The kind of action.</param>
/// <param name="Success">False when the server refused or the action failed.</param>
/// <param name="TargetUid">IMAP UID of the message, if any.</param>
/// <param name="TargetMessageId">Message-ID of the message, if any.</param>
/// <param name="ServerResponse">The server's answer (status code and text), truncated to 512 characters.</param>
/// <param name="Detail">A short technical detail (e.g. the delegate's address for a delegation change); never content.</param>
/// <param name="OccurredAt">When it happened; now when null.</param>
public sealed record AuditRecord(
    string AuthorIdNat,
    string Mailbox,
    AuditAction Action,
    bool Success,
    long? TargetUid = null,
    string? TargetMessageId = null,
    string? ServerResponse = null,
    string? Detail = null,
    DateTimeOffset? OccurredAt = null);

/// <summary>A stored, chained audit entry.</summary>
public sealed class AuditEntry
{
    /// <summary>Position in the chain, 1 for the first entry ever, without gaps.</summary>
    public long Sequence { get; set; }

    /// <summary>UTC time, truncated to the microsecond (what every supported database keeps).</summary>
    public DateTime OccurredAtUtc { get; set; }

    /// <summary>National id of the person who acted.</summary>
    public string AuthorIdNat { get; set; } = string.Empty;

    /// <summary>The mailbox address acted on, lower-case.</summary>
    public string Mailbox { get; set; } = string.Empty;

    /// <summary>The kind of action.</summary>
    public AuditAction Action { get; set; }

    /// <summary>Whether the action succeeded.</summary>
    public bool Success { get; set; }

    /// <summary>IMAP UID of the target message.</summary>
    public long? TargetUid { get; set; }

    /// <summary>Message-ID of the target message.</summary>
    public string? TargetMessageId { get; set; }

    /// <summary>The server's answer.</summary>
    public string? ServerResponse { get; set; }

    /// <summary>Short technical detail.</summary>
    public string? Detail { get; set; }

    /// <summary>Hash of the previous entry (or of the anchor), lower-case hex SHA-256.</summary>
    public string PreviousHash { get; set; } = string.Empty;

    /// <summary>SHA-256 over this entry's canonical form, which includes <see cref="PreviousHash"/>.</summary>
    public string Hash { get; set; } = string.Empty;
}

/// <summary>
/// The chain's bookkeeping, stored beside the entries and updated in the same transaction as
/// each append: the head detects entries removed from the end, the anchor lets verification
/// start after a retention purge.
/// </summary>
public sealed class AuditChainState
{
    /// <summary>Constant key: there is one chain.</summary>
    public int Id { get; set; } = 1;

    /// <summary>Sequence of the last appended entry (0 when empty).</summary>
    public long LastSequence { get; set; }

    /// <summary>Hash of the last appended entry (the genesis hash when empty).</summary>
    public string LastHash { get; set; } = AuditChain.GenesisHash;

    /// <summary>Sequence of the last purged entry (0 when nothing was purged).</summary>
    public long AnchorSequence { get; set; }

    /// <summary>Hash of the last purged entry: the expected previous hash of the oldest kept entry.</summary>
    public string AnchorHash { get; set; } = AuditChain.GenesisHash;

    /// <summary>When the last purge ran.</summary>
    public DateTime? AnchoredAtUtc { get; set; }
}
