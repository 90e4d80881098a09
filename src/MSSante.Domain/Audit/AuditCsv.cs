using System.Globalization;
using System.Text;

namespace MSSante.Domain.Audit;

/// <summary>Writes audit entries as CSV (RFC 4180: comma separated, CRLF, quoted when needed).</summary>
public static class AuditCsv
{
    /// <summary>The header line's column names.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "sequence", "occurred_at_utc", "author_idnat", "mailbox", "action", "success", "target_uid",
        "target_message_id", "server_response", "detail", "previous_hash", "hash",
    ];

    /// <summary>Writes the header and every entry; returns the number of entries written.</summary>
    public static async Task<int> WriteAsync(TextWriter writer, IAsyncEnumerable<AuditEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entries);
        await writer.WriteAsync(string.Join(',', Columns) + "\r\n").ConfigureAwait(false);
        var count = 0;
        var line = new StringBuilder(256);
        await foreach (var e in entries.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            line.Clear();
            Append(line, e.Sequence.ToString(CultureInfo.InvariantCulture), first: true);
            Append(line, e.OccurredAtUtc.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture));
            Append(line, e.AuthorIdNat);
            Append(line, e.Mailbox);
            Append(line, e.Action.ToString());
            Append(line, e.Success ? "true" : "false");
            Append(line, e.TargetUid?.ToString(CultureInfo.InvariantCulture));
            Append(line, e.TargetMessageId);
            Append(line, e.ServerResponse);
            Append(line, e.Detail);
            Append(line, e.PreviousHash);
            Append(line, e.Hash);
            line.Append("\r\n");
            await writer.WriteAsync(line.ToString()).ConfigureAwait(false);
            count++;
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    private static void Append(StringBuilder line, string? value, bool first = false)
    {
        if (!first)
        {
            line.Append(',');
        }

        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        // A spreadsheet would run a cell starting with = + - @ as a formula: neutralise it.
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.AsSpan().IndexOfAny(",\"\r\n") >= 0)
        {
            line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            line.Append(value);
        }
    }
}
