using MSSante.Domain.Audit;
using MSSante.Mail;
using MSSante.Mail.Imap;

namespace MSSante.Webmail.Mail;

/// <summary>
/// The session's part of the trust space: mail actions written to the audit trail under the
/// signed-in person's national id (a delegate acting on a service mailbox included), and the
/// folder pane following delegation changes at once.
/// </summary>
public sealed partial class MailSession
{
    private readonly TrustSpace.MailAudit? _audit;
    private readonly TrustSpace.DelegationNotifier? _delegations;

    /// <summary>Raised on a background thread when the owner of a service mailbox changed this user's access.</summary>
    private void OnDelegationChanged(string address)
    {
        if (User is null || _disposed || !address.Equals(User.Address, StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        _ = Task.Run(ReloadAccessAsync);
    }

    /// <summary>
    /// Reconnects and lists again: the operator caches ACLs per connection, so only a new one
    /// reflects a revocation at once. A service mailbox being read is closed first, so nothing
    /// of it stays on the page.
    /// </summary>
    private async Task ReloadAccessAsync()
    {
        try
        {
            await RunAsync(async (_, ct) =>
            {
                if (CurrentFolder is { } folder && !folder.Mailbox.Equals(User!.Address, StringComparison.OrdinalIgnoreCase))
                {
                    DropView();
                    lock (_summaries)
                    {
                        _summaries.Clear();
                        _order = [];
                    }
                }
                // Kept views of service mailboxes go too: access to them is decided again.
                _views.RemoveAll(v => v != _view && v.Mailbox.StartsWith(SharedPrefix, StringComparison.Ordinal));
                await DropConnectionAsync();
                var fresh = await EnsureConnectedAsync(ct);
                await LoadFoldersAsync(fresh, ct);
                return 0;
            }, CancellationToken.None);
            Raise(new MailSessionChange(true, true, 0, false));
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            LogIdleError(_logger, e);
        }
    }

    /// <summary>One entry per message; <paramref name="mailbox"/> is the mailbox acted on (own or service).</summary>
    private async Task AuditAsync(string? mailbox, AuditAction action, IEnumerable<uint> uids, string serverResponse, bool success,
        string? detail = null, IReadOnlyDictionary<uint, string?>? messageIds = null, string? messageId = null)
    {
        if (_audit is null || User is null)
        {
            return;
        }
        foreach (var uid in uids)
        {
            var id = messageId ?? messageIds?.GetValueOrDefault(uid);
            await _audit.RecordAsync(new AuditRecord(User.IdNat, mailbox ?? User.Address, action, success, uid,
                id is null ? null : "<" + id.Trim().Trim('<', '>') + ">", serverResponse, detail));
        }
    }

    /// <summary>The Message-IDs of <paramref name="uids"/> (ENVELOPE), for the trail; never the subject.</summary>
    private async Task<IReadOnlyDictionary<uint, string?>> MessageIdsAsync(ImapClient client, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        if (_audit is null)
        {
            return new Dictionary<uint, string?>();
        }
        var fetched = await client.FetchAsync(UidSet.Of(uids), ImapFetchItems.Envelope, cancellationToken: cancellationToken);
        return fetched.GroupBy(m => m.Uid).ToDictionary(g => g.Key, g => g.Select(m => m.Envelope?.MessageId).FirstOrDefault(id => id is not null));
    }
}
