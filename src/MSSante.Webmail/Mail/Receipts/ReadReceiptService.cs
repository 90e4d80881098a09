using Microsoft.EntityFrameworkCore;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.Preferences;
using MSSante.Infrastructure.TrustSpace;
using MSSante.Mail;
using MSSante.Mail.Smtp;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Receipts;

/// <summary>
/// Read receipts on the reading side: the practitioner's policy (stored in
/// <see cref="UserPreference.ReadReceiptPolicy"/>), the decision for an opened message, and the
/// MDN itself, submitted over the operator's submission server from the mailbox that received it.
/// </summary>
public sealed partial class ReadReceiptService(
    MailConnector connector,
    IDbContextFactory<MSSanteDbContext> contexts,
    IServiceProvider services,
    ILogger<ReadReceiptService> logger)
{
    /// <summary>Reporting-UA of our MDNs (RFC 8098 §3.2.1).</summary>
    public const string ReportingUserAgent = "webmail.mssante.local; Webmail MSSante";

    /// <summary>The practitioner's choice; "ask" when never set.</summary>
    public async Task<ReadReceiptPolicy> GetPolicyAsync(string idNat, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pref = await db.UserPreferences.AsNoTracking().FirstOrDefaultAsync(p => p.IdNat == idNat, cancellationToken);
        return pref?.ReadReceiptPolicy ?? ReadReceiptPolicy.Ask;
    }

    /// <summary>Stores the practitioner's choice.</summary>
    public async Task SetPolicyAsync(string idNat, ReadReceiptPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idNat);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pref = await db.UserPreferences.FirstOrDefaultAsync(p => p.IdNat == idNat, cancellationToken);
        if (pref is null)
        {
            db.UserPreferences.Add(new UserPreference { IdNat = idNat, ReadReceiptPolicy = policy, UpdatedAt = DateTimeOffset.UtcNow });
        }
        else
        {
            pref.ReadReceiptPolicy = policy;
            pref.UpdatedAt = DateTimeOffset.UtcNow;
        }
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>What to do for <paramref name="message"/> opened from <paramref name="folder"/> by <paramref name="idNat"/>.</summary>
    public async Task<ReceiptDecision> DecideAsync(string idNat, MimeMessage message, IReadOnlyCollection<string> flags, MailFolder folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(folder);
        var targets = ReadReceiptRules.Targets(message);
        if (targets.Count == 0)
        {
            return ReceiptDecision.No("no Disposition-Notification-To");
        }
        var trusted = await InTrustSpaceAsync(targets, cancellationToken);
        var policy = await GetPolicyAsync(idNat, cancellationToken);
        return ReadReceiptRules.Decide(message, flags, folder.Role, folder.Mailbox, policy, trusted);
    }

    /// <summary>
    /// Builds and submits the MDN for <paramref name="original"/> received by <paramref name="mailbox"/>:
    /// <paramref name="manual"/> for a click on "Envoyer", automatic for the "always" policy.
    /// The caller sets $MDNSent on the message afterwards.
    /// </summary>
    public async Task SendAsync(MailUser user, string displayName, string mailbox, MimeMessage original, bool manual, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(original);
        var own = mailbox.Equals(user.Address, StringComparison.OrdinalIgnoreCase);
        var request = new DispositionNotificationRequest
        {
            Recipient = new MailboxAddress(own ? displayName : null, mailbox),
            Sender = own ? null : new MailboxAddress(displayName, user.Address),
            ReportingUserAgent = ReportingUserAgent,
            OriginalRecipient = OriginalRecipient(original),
            Manual = manual,
            Type = "displayed",
        };
        var mdn = MessageBuilder.BuildDispositionNotification(original, request)
            ?? throw new InvalidOperationException("The message asks for no receipt.");
        var bytes = MimeWriter.ToBytes(mdn);
        var envelope = new SmtpEnvelope
        {
            // RFC 8098 §2.1: the MDN's envelope sender is null, so that nothing bounces back to it in a loop.
            From = "",
            Recipients = ReadReceiptRules.Targets(original).Select(t => new SmtpRecipient(t.Address)).ToList(),
        };
        await using var smtp = await connector.OpenSmtpAsync(user, cancellationToken);
        var result = await smtp.SendAsync(envelope, bytes, cancellationToken);
        try
        {
            await smtp.QuitAsync(cancellationToken);
        }
        catch (MailProtocolException)
        {
            // sent already
        }
        LogMdnSent(logger, manual ? "manual" : "automatic", result.Accepted.Count());
    }

    // RFC 8098 §3.2.3: from the Original-Recipient field the MTA added (RFC 3461 ORCPT), when present.
    private static string? OriginalRecipient(MimeMessage original)
    {
        var value = original.Headers["Original-Recipient"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        var semi = value.IndexOf(';', StringComparison.Ordinal);
        return (semi >= 0 ? value[(semi + 1)..] : value).Trim();
    }

    private async Task<bool> InTrustSpaceAsync(IReadOnlyList<MailboxAddress> targets, CancellationToken cancellationToken)
    {
        var store = services.GetService<IWhitelistStore>() ?? new EfWhitelistStore(contexts);
        if (await store.CountDomainsAsync(cancellationToken) == 0)
        {
            // No whitelist imported yet: the rule cannot be evaluated here; the submission server
            // still refuses any recipient outside the trust space (5.7.1).
            LogNoWhitelist(logger);
            return true;
        }
        // The operator's own domains belong to the trust space even when the published list
        // does not name them, exactly as for sending (SendGuard).
        var operatorDomains = services.GetService<Microsoft.Extensions.Options.IOptions<TrustSpace.WebmailTrustSpaceOptions>>()?.Value.OperatorDomains ?? [];
        foreach (var t in targets)
        {
            var domain = WhitelistParser.NormalizeDomain(t.Domain);
            if (domain is null)
            {
                return false;
            }
            if (!operatorDomains.Contains(domain, StringComparer.OrdinalIgnoreCase)
                && !await store.ContainsDomainAsync(domain, cancellationToken))
            {
                return false;
            }
        }
        return true;
    }

    [LoggerMessage(EventId = 6212, Level = LogLevel.Warning, Message = "No whitelist is stored: the trust space of read receipt targets is left to the submission server")]
    private static partial void LogNoWhitelist(ILogger logger);

    [LoggerMessage(EventId = 6211, Level = LogLevel.Information, Message = "Read receipt submitted ({Mode}), {Accepted} recipient(s) accepted")]
    private static partial void LogMdnSent(ILogger logger, string mode, int accepted);
}
