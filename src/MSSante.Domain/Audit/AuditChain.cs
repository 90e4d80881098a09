using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MSSante.Domain.Audit;

/// <summary>Canonical serialisation and hashing of audit entries.</summary>
public static class AuditChain
{
    /// <summary>The previous hash of the very first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Longest kept server response.</summary>
    public const int MaxServerResponseLength = 512;

    /// <summary>Longest kept detail.</summary>
    public const int MaxDetailLength = 256;

    /// <summary>Longest kept Message-ID (RFC 5322 puts no limit; the line limit of 998 bounds it).</summary>
    public const int MaxMessageIdLength = 998;

    /// <summary>Turns a record into the entry that follows <paramref name="previousHash"/> at <paramref name="sequence"/>.</summary>
    public static AuditEntry Seal(AuditRecord record, long sequence, string previousHash, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.AuthorIdNat);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Mailbox);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequence, 1);
        var entry = new AuditEntry
        {
            Sequence = sequence,
            OccurredAtUtc = TruncateToMicroseconds((record.OccurredAt ?? now).UtcDateTime),
            AuthorIdNat = record.AuthorIdNat.Trim(),
            Mailbox = record.Mailbox.Trim().ToLowerInvariant(),
            Action = record.Action,
            Success = record.Success,
            TargetUid = record.TargetUid,
            TargetMessageId = Limit(record.TargetMessageId, MaxMessageIdLength),
            ServerResponse = Limit(record.ServerResponse, MaxServerResponseLength),
            Detail = Limit(record.Detail, MaxDetailLength),
            PreviousHash = previousHash,
        };
        entry.Hash = ComputeHash(entry);
        return entry;
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over the canonical form: a version tag, then every field in a
    /// fixed order, each as its UTF-8 length, a colon and its value, so no two different
    /// entries serialise the same.
    /// </summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var builder = new StringBuilder(256);
        builder.Append("mssante-audit-v1;");
        Field(builder, entry.Sequence.ToString(CultureInfo.InvariantCulture));
        Field(builder, TruncateToMicroseconds(entry.OccurredAtUtc).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
        Field(builder, entry.AuthorIdNat);
        Field(builder, entry.Mailbox);
        Field(builder, entry.Action.ToString());
        Field(builder, entry.Success ? "1" : "0");
        Field(builder, entry.TargetUid?.ToString(CultureInfo.InvariantCulture));
        Field(builder, entry.TargetMessageId);
        Field(builder, entry.ServerResponse);
        Field(builder, entry.Detail);
        Field(builder, entry.PreviousHash);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    /// <summary>Drops sub-microsecond ticks and marks the value UTC (databases round-trip microseconds, not ticks).</summary>
    public static DateTime TruncateToMicroseconds(DateTime value) =>
        new(value.Ticks - (value.Ticks % 10), DateTimeKind.Utc);

    private static void Field(StringBuilder builder, string? value)
    {
        if (value is null)
        {
            // Distinct from the empty string, which is "0:".
            builder.Append("-;");
            return;
        }

        builder.Append(Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture)).Append(':').Append(value).Append(';');
    }

    private static string? Limit(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var oneLine = value.ReplaceLineEndings(" ").Trim();
        return oneLine.Length <= max ? oneLine : oneLine[..max];
    }
}
