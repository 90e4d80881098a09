using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Receipts;

/// <summary>
/// Finds the MDNs and DSNs received in a mailbox's INBOX and matches them to a sent message
/// (Original-Message-ID, the returned message's Message-ID, or ENVID). One per circuit: each
/// report is fetched and parsed once per UIDVALIDITY; later lookups only ask the server which
/// reports are new (IMAP SEARCH on the Content-Type header), over a short read-only connection
/// so that the circuit's own connection keeps its selected folder and IDLE.
/// </summary>
public sealed partial class ReceiptTracker(MailConnector connector, ILogger<ReceiptTracker> logger)
{
    // A DSN may return the whole original with its attachments; beyond this it is not read.
    private const long MaxReportBytes = 8L * 1024 * 1024;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, FolderCache> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// One line per recipient of the sent message <paramref name="sent"/>, from the reports found
    /// in <paramref name="inboxFolder"/> (the INBOX of the mailbox that sent it).
    /// </summary>
    public async Task<IReadOnlyList<RecipientReceipt>> GetStatusAsync(MailUser user, string inboxFolder, MimeMessage sent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sent);
        var recipients = sent.To.Concat(sent.Cc).Concat(sent.Bcc).Mailboxes().Select(m => m.Address).ToList();
        if (sent.MessageId is not { } messageId || recipients.Count == 0)
        {
            return [];
        }
        var records = await RecordsAsync(user, inboxFolder, cancellationToken);
        // MessageSender uses the Message-ID's local part as ENVID (RFC 3461 §4.4).
        var envelopeId = messageId.Split('@')[0];
        return ReceiptSummary.For(recipients, records.Where(r => r.Matches(messageId, envelopeId)));
    }

    private async Task<IReadOnlyList<ReceiptRecord>> RecordsAsync(MailUser user, string inboxFolder, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await using var imap = await connector.OpenImapAsync(user, cancellationToken);
            var selected = await imap.SelectAsync(inboxFolder, readOnly: true, cancellationToken: cancellationToken);
            if (!_cache.TryGetValue(inboxFolder, out var cache) || cache.UidValidity != selected.UidValidity)
            {
                cache = new FolderCache(selected.UidValidity);
                _cache[inboxFolder] = cache;
            }
            // RFC 9051 §6.4.4: HEADER matches a substring of the field; both report types carry it in Content-Type.
            var query = ImapSearchQuery.Or(
                ImapSearchQuery.Header("Content-Type", "disposition-notification"),
                ImapSearchQuery.Header("Content-Type", "delivery-status"));
            var found = await imap.SearchAsync(query, cancellationToken);
            var present = found.ToHashSet();
            foreach (var gone in cache.Records.Keys.Where(u => !present.Contains(u)).ToList())
            {
                cache.Records.Remove(gone);
            }
            var missing = found.Where(u => !cache.Records.ContainsKey(u)).ToList();
            if (missing.Count > 0)
            {
                var sizes = await imap.FetchAsync(UidSet.Of(missing), ImapFetchItems.Size, cancellationToken: cancellationToken);
                var readable = sizes.Where(m => (m.Size ?? 0) <= MaxReportBytes).Select(m => m.Uid).ToList();
                foreach (var tooBig in sizes.Where(m => (m.Size ?? 0) > MaxReportBytes))
                {
                    cache.Records[tooBig.Uid] = null;
                }
                if (readable.Count > 0)
                {
                    var fetched = await imap.FetchAsync(UidSet.Of(readable), ImapFetchItems.None, [new ImapBodySection("")], cancellationToken: cancellationToken);
                    foreach (var m in fetched)
                    {
                        cache.Records[m.Uid] = m.Sections.TryGetValue("", out var raw) ? Parse(raw) : null;
                    }
                }
                LogReportsRead(logger, missing.Count, cache.Records.Count);
            }
            try
            {
                await imap.LogoutAsync(cancellationToken);
            }
            catch (MailProtocolException)
            {
                // read already
            }
            return cache.Records.Values.OfType<ReceiptRecord>().ToList();
        }
        finally
        {
            _gate.Release();
        }
    }

    private ReceiptRecord? Parse(byte[] raw)
    {
        try
        {
            return ReceiptRecord.From(MimeMessage.Load(raw));
        }
        catch (FormatException e)
        {
            LogUnreadableReport(logger, e);
            return null;
        }
    }

    private sealed class FolderCache(uint uidValidity)
    {
        public uint UidValidity { get; } = uidValidity;

        public Dictionary<uint, ReceiptRecord?> Records { get; } = [];
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Debug, Message = "Receipts: {New} new report(s) read, {Total} known")]
    private static partial void LogReportsRead(ILogger logger, int @new, int total);

    [LoggerMessage(EventId = 6202, Level = LogLevel.Warning, Message = "Receipts: a report could not be parsed")]
    private static partial void LogUnreadableReport(ILogger logger, Exception exception);
}
