using System.Net.Mail;
using Microsoft.Extensions.Options;
using MSSante.Domain.Audit;
using MSSante.Mail;
using MSSante.Mail.Imap;

namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>A refusal of a delegation change, with the French reason the page shows.</summary>
public sealed class DelegationException(string message) : Exception(message);

/// <summary>
/// Delegation of service (ORG) mailboxes through IMAP ACLs (RFC 4314), done with the owner's own
/// connection so the operator checks that the owner may administer the box (right a). Every
/// change is applied to each folder of the service mailbox, written to the audit trail under the
/// owner's national id, and announced to the delegate's open sessions.
/// </summary>
public sealed partial class DelegationService(
    MailConnector connector,
    MailAudit audit,
    DelegationNotifier notifier,
    IOptions<WebmailTrustSpaceOptions> options,
    ILogger<DelegationService> logger)
{
    /// <summary>The IMAP prefix under which another user's mailbox appears (ARCHITECTURE.md).</summary>
    public const string SharedPrefix = "shared/";

    /// <summary>The service mailboxes <paramref name="user"/> administers (MYRIGHTS carries a).</summary>
    public async Task<IReadOnlyList<string>> ListOwnedAsync(MailUser user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var imap = await connector.OpenImapAsync(user, cancellationToken);
        var owned = new List<string>();
        foreach (var mailbox in await SharedMailboxesAsync(imap, cancellationToken))
        {
            try
            {
                var rights = await imap.MyRightsAsync(InboxOf(mailbox), cancellationToken);
                if (rights.Contains('a', StringComparison.Ordinal))
                {
                    owned.Add(mailbox);
                }
            }
            catch (MailCommandException)
            {
                // not ours to administer
            }
        }
        await SafeLogoutAsync(imap);
        return owned;
    }

    /// <summary>Who has access to <paramref name="serviceMailbox"/> and with which rights (GETACL on its INBOX).</summary>
    public async Task<IReadOnlyList<DelegateAccess>> GetAccessAsync(MailUser owner, string serviceMailbox, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        await using var imap = await connector.OpenImapAsync(owner, cancellationToken);
        IReadOnlyList<ImapAclEntry> entries;
        try
        {
            entries = await imap.GetAclAsync(InboxOf(serviceMailbox), cancellationToken);
        }
        catch (MailCommandException)
        {
            throw new DelegationException($"Vous n'administrez pas la boîte de service {serviceMailbox}.");
        }
        await SafeLogoutAsync(imap);
        return entries
            .Where(e => IsPerson(e.Identifier))
            .Select(e => new DelegateAccess(e.Identifier, DelegationRights.FromAcl(e.Rights), e.Rights, e.Rights.Contains('a', StringComparison.Ordinal)))
            .OrderByDescending(e => e.IsAdministrator)
            .ThenBy(e => e.Identifier, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Grants (or changes) <paramref name="delegateAddress"/>'s rights on every folder of the service mailbox.</summary>
    public async Task GrantAsync(MailUser owner, string serviceMailbox, string delegateAddress, DelegationRights rights, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(rights);
        var grantee = ValidateDelegate(owner, serviceMailbox, delegateAddress);
        if (!rights.Read)
        {
            throw new DelegationException("Le droit de lecture est nécessaire à toute délégation.");
        }
        var acl = rights.ToAcl();
        await ChangeAsync(owner, serviceMailbox, grantee, AuditAction.DelegationAccordee, $"delegue={grantee}; droits={acl}",
            (imap, folder, ct) => imap.SetAclAsync(folder, grantee, acl, ct), cancellationToken);
        LogGranted(logger, acl);
    }

    /// <summary>Withdraws every right of <paramref name="delegateAddress"/> on the service mailbox.</summary>
    public async Task RevokeAsync(MailUser owner, string serviceMailbox, string delegateAddress, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var grantee = ValidateDelegate(owner, serviceMailbox, delegateAddress);
        await ChangeAsync(owner, serviceMailbox, grantee, AuditAction.DelegationRetiree, $"delegue={grantee}",
            (imap, folder, ct) => imap.DeleteAclAsync(folder, grantee, ct), cancellationToken);
        LogRevoked(logger);
    }

    /// <summary>
    /// True when <paramref name="user"/> may send for <paramref name="serviceMailbox"/>: the
    /// operator reports the post right (p) on its INBOX. Asked at each send, so a revocation
    /// counts at once.
    /// </summary>
    public async Task<bool> MaySendForAsync(MailUser user, string serviceMailbox, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var imap = await connector.OpenImapAsync(user, cancellationToken);
        try
        {
            var rights = await imap.MyRightsAsync(InboxOf(serviceMailbox), cancellationToken);
            return rights.Contains('p', StringComparison.Ordinal);
        }
        catch (MailCommandException)
        {
            return false;
        }
        finally
        {
            await SafeLogoutAsync(imap);
        }
    }

    /// <summary>The INBOX of a service mailbox as the owner's or a delegate's connection names it.</summary>
    public static string InboxOf(string serviceMailbox) => SharedPrefix + serviceMailbox + "/INBOX";

    private async Task ChangeAsync(MailUser owner, string serviceMailbox, string grantee, AuditAction action, string detail,
        Func<ImapClient, string, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await using var imap = await connector.OpenImapAsync(owner, cancellationToken);
            var folders = await imap.ListAsync("", SharedPrefix + serviceMailbox + "/*", cancellationToken: cancellationToken);
            var names = folders.Select(f => f.Name).ToList();
            if (names.Count == 0)
            {
                throw new DelegationException($"La boîte de service {serviceMailbox} n'est pas visible depuis votre compte.");
            }
            // INBOX first: it is the one that decides visibility and the right to send.
            foreach (var folder in names.OrderBy(n => n.EndsWith("/INBOX", StringComparison.Ordinal) ? 0 : 1))
            {
                await change(imap, folder, cancellationToken);
            }
            await SafeLogoutAsync(imap);
        }
        catch (MailCommandException e)
        {
            failure = e;
            throw new DelegationException("Le serveur de messagerie a refusé la modification : vous n'administrez pas cette boîte de service (motif du serveur : " + e.ServerText + ").");
        }
        catch (DelegationException e)
        {
            failure = e;
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Connection lost or cancelled part-way: recorded as failed, never announced as done.
            failure = e;
            throw;
        }
        finally
        {
            await audit.RecordAsync(new AuditRecord(owner.IdNat, serviceMailbox, action, failure is null, null, null,
                failure is DelegationException ? null : MailAudit.Answer(failure), detail));
            if (failure is null)
            {
                notifier.Notify(grantee);
            }
        }
    }

    private string ValidateDelegate(MailUser owner, string serviceMailbox, string delegateAddress)
    {
        var address = (delegateAddress ?? "").Trim().ToLowerInvariant();
        if (!MailAddress.TryCreate(address, out var parsed) || parsed.Address != address)
        {
            throw new DelegationException($"« {delegateAddress} » n'est pas une adresse de messagerie valide.");
        }
        if (address == owner.Address.ToLowerInvariant() || address == serviceMailbox.ToLowerInvariant())
        {
            throw new DelegationException("Vous ne pouvez pas modifier vos propres droits de responsable ici.");
        }
        var domains = options.Value.OperatorDomains;
        if (domains.Count > 0 && !domains.Contains(parsed.Host, StringComparer.OrdinalIgnoreCase))
        {
            throw new DelegationException($"Seule une personne ayant sa boîte chez le même opérateur peut recevoir une délégation ({string.Join(", ", domains)}) : {address} n'en fait pas partie.");
        }
        return address;
    }

    private static bool IsPerson(string identifier) =>
        identifier.Contains('@', StringComparison.Ordinal) && !identifier.StartsWith('-') && !identifier.StartsWith('$');

    private static async Task<IReadOnlyList<string>> SharedMailboxesAsync(ImapClient imap, CancellationToken cancellationToken)
    {
        var listed = await imap.ListAsync("", SharedPrefix + "%/INBOX", cancellationToken: cancellationToken);
        return listed
            .Select(i => i.Name)
            .Where(n => n.StartsWith(SharedPrefix, StringComparison.Ordinal) && n.EndsWith("/INBOX", StringComparison.Ordinal))
            .Select(n => n[SharedPrefix.Length..^"/INBOX".Length])
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static async Task SafeLogoutAsync(ImapClient imap)
    {
        try
        {
            await imap.LogoutAsync();
        }
        catch (MailProtocolException)
        {
            // closing anyway
        }
    }

    [LoggerMessage(EventId = 7311, Level = LogLevel.Information, Message = "Delegation granted on a service mailbox (rights {Rights})")]
    private static partial void LogGranted(ILogger logger, string rights);

    [LoggerMessage(EventId = 7312, Level = LogLevel.Information, Message = "Delegation revoked on a service mailbox")]
    private static partial void LogRevoked(ILogger logger);
}
