using Microsoft.Extensions.Options;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;
using MSSante.Mime;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.Webmail.Mail;

/// <summary>The outcome of a send the user can read: null error means sent.</summary>
public sealed record SendOutcome(bool Sent, string? Error, bool CanRetry);

/// <summary>
/// Sends composed messages (SMTP opened only for that) and keeps their drafts in the IMAP
/// Drafts folder. A failed send leaves the message intact in the form and as a draft.
/// </summary>
public sealed partial class MessageSender(MailConnector connector, IOptions<WebmailMailOptions> options, ILogger<MessageSender> logger,
    TrustSpace.SendGuard? guard = null, TrustSpace.MailAudit? audit = null)
{
    /// <summary>Largest attachment per file.</summary>
    public long MaxAttachmentBytes => options.Value.MaxAttachmentBytes;

    /// <summary>
    /// Saves <paramref name="model"/> as a draft (APPEND with \Draft, RFC 9051 §6.3.12) in the Drafts
    /// folder <paramref name="draftsFolder"/> and removes the previous version.
    /// </summary>
    public async Task SaveDraftAsync(MailUser user, string displayName, ComposeModel model, string draftsFolder, CancellationToken cancellationToken = default)
    {
        var bytes = ComposeMessageFactory.Build(model, From(model, user, displayName), Sender(model, user, displayName), includeBcc: true, DateTimeOffset.Now);
        await using var imap = await connector.OpenImapAsync(user, cancellationToken);
        var appended = await imap.AppendAsync(draftsFolder, bytes, [ImapFlags.Draft, ImapFlags.Seen], cancellationToken: cancellationToken);
        var previous = model.DraftUid;
        var previousFolder = model.DraftFolder;
        model.DraftUid = appended?.DestinationUids.FirstOrDefault();
        model.DraftFolder = draftsFolder;
        if (previous is { } old && previousFolder is not null)
        {
            await RemoveAsync(imap, previousFolder, old, cancellationToken);
        }
        await SafeLogoutAsync(imap);
    }

    /// <summary>Deletes the draft of <paramref name="model"/>, if any (after sending, or when discarded).</summary>
    public async Task DiscardDraftAsync(MailUser user, ComposeModel model, CancellationToken cancellationToken = default)
    {
        if (model.DraftUid is not { } uid || model.DraftFolder is null)
        {
            return;
        }
        await using var imap = await connector.OpenImapAsync(user, cancellationToken);
        await RemoveAsync(imap, model.DraftFolder, uid, cancellationToken);
        model.DraftUid = null;
        await SafeLogoutAsync(imap);
    }

    /// <summary>
    /// Sends: checks the addresses and the server's SIZE, submits over SMTP, stores a copy in
    /// <paramref name="sentFolder"/>, removes the draft and marks the source answered or forwarded.
    /// Never throws for a refusal: the French reason comes back in <see cref="SendOutcome"/>.
    /// </summary>
    public async Task<SendOutcome> SendAsync(MailUser user, string displayName, ComposeModel model, string? sentFolder, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<MailboxAddress> recipients;
        try
        {
            recipients = [.. ComposeMessageFactory.ParseAddresses(model.To), .. ComposeMessageFactory.ParseAddresses(model.Cc), .. ComposeMessageFactory.ParseAddresses(model.Bcc)];
        }
        catch (FormatException e)
        {
            return new SendOutcome(false, e.Message, false);
        }
        if (recipients.Count == 0)
        {
            return new SendOutcome(false, "Indiquez au moins un destinataire.", false);
        }
        var big = model.Attachments.FirstOrDefault(a => a.Content.Length > MaxAttachmentBytes);
        if (big is not null)
        {
            return new SendOutcome(false, TooLargeMessage(big.FileName, MaxAttachmentBytes), false);
        }
        // Trust space (issue 7): every recipient, Bcc included, is checked before anything leaves.
        if (guard is not null && await guard.CheckAsync(user, From(model, user, displayName).Address, recipients.Select(r => r.Address), cancellationToken) is { } blocked)
        {
            await RecordSendAsync(user, From(model, user, displayName).Address, model, false, null, "bloque avant envoi par la verification de l'espace de confiance");
            return new SendOutcome(false, blocked, false);
        }
        var from = From(model, user, displayName);
        var bytes = ComposeMessageFactory.Build(model, from, Sender(model, user, displayName), includeBcc: false, DateTimeOffset.Now);
        var notify = model.RequestDeliveryNotification ? SmtpNotify.Success | SmtpNotify.Failure : SmtpNotify.Default;
        var envelope = new SmtpEnvelope
        {
            From = from.Address,
            Recipients = recipients.Select(r => r.Address).Distinct(StringComparer.OrdinalIgnoreCase).Select(a => new SmtpRecipient(a, notify)).ToList(),
            Return = model.RequestDeliveryNotification ? SmtpDsnReturn.Headers : SmtpDsnReturn.Default,
            EnvelopeId = model.RequestDeliveryNotification ? model.MessageId.Split('@')[0] : null,
        };
        try
        {
            await using var smtp = await connector.OpenSmtpAsync(user, cancellationToken);
            if (smtp.MaxMessageSize is { } limit && bytes.Length > limit)
            {
                return new SendOutcome(false, $"Le message ({Size(bytes.Length)}) dépasse la taille maximale acceptée par le serveur ({Size(limit)}). Retirez des pièces jointes.", false);
            }
            var result = await smtp.SendAsync(envelope, bytes, cancellationToken);
            await RecordSendAsync(user, from.Address, model, true, $"{result.DataReply.Code} {result.DataReply.EnhancedCode} {result.DataReply.Text}", $"acceptes={result.Accepted.Count()}; refuses={result.Refused.Count()}");
            try
            {
                await smtp.QuitAsync(cancellationToken);
            }
            catch (MailProtocolException)
            {
                // sent already
            }
            LogSent(logger, result.Accepted.Count(), result.Refused.Count());
            if (result.Refused.Any())
            {
                var refused = string.Join(", ", result.Refused.Select(r => r.Address));
                await AfterSendAsync(user, model, sentFolder, bytes, cancellationToken);
                return new SendOutcome(true, $"Message envoyé, mais refusé pour : {refused} ({result.Refused.First().Reply.Text}).", false);
            }
        }
        catch (SmtpRecipientsRefusedException e)
        {
            await RecordSendAsync(user, from.Address, model, false, $"{e.StatusCode} {e.EnhancedCode} {e.ServerText}", "destinataires refuses par le serveur");
            LogSendFailed(logger, "recipients refused");
            if (e.Recipients.Any(r => !r.Accepted && IsSenderNotOwned(r.Reply)))
            {
                // Postfix's reject_sender_login_mismatch answers at RCPT time, but the refusal is
                // about the From address: saying the recipients are outside the trust space would mislead.
                return new SendOutcome(false, $"Vous n'êtes pas autorisé(e) à envoyer au nom de {from.Address} : seules les personnes déléguées pour cette boîte aux lettres peuvent le faire (motif du serveur : {e.Recipients.First(r => !r.Accepted).Reply.Text}).", false);
            }
            var first = e.Recipients.FirstOrDefault(r => !r.Accepted);
            return new SendOutcome(false, "Le serveur a refusé les destinataires : " +
                string.Join(", ", e.Recipients.Where(r => !r.Accepted).Select(r => r.Address)) +
                (first is null ? "" : $" (motif du serveur : {first.Reply.Text})") +
                ". Les destinataires doivent appartenir à l'espace de confiance MSSanté.", false);
        }
        catch (SmtpMessageTooLargeException e)
        {
            return new SendOutcome(false, $"Le message ({Size(e.Size)}) dépasse la taille maximale acceptée par le serveur ({Size(e.Limit)}).", false);
        }
        catch (SmtpCommandException e)
        {
            await RecordSendAsync(user, from.Address, model, false, $"{e.StatusCode} {e.EnhancedCode} {e.ServerText}", e.Command);
            LogSendFailed(logger, e.Command);
            return new SendOutcome(false, $"Le serveur d'envoi a refusé le message (motif du serveur : {e.ServerText}). Votre message est conservé.", e.IsTransient || e.Command == "AUTH");
        }
        catch (Exception e) when (e is MailProtocolException or IOException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            LogSendFailed(logger, e.GetType().Name);
            return new SendOutcome(false, "Le serveur d'envoi est injoignable pour le moment. Votre message est conservé : réessayez dans quelques instants.", true);
        }
        await AfterSendAsync(user, model, sentFolder, bytes, cancellationToken);
        return new SendOutcome(true, null, false);
    }

    /// <summary>The send in the audit trail: author, mailbox sent from, Message-ID, the server's answer; never recipients' content.</summary>
    private Task RecordSendAsync(MailUser user, string fromMailbox, ComposeModel model, bool success, string? serverResponse, string? detail) =>
        audit is null ? Task.CompletedTask : audit.RecordAsync(new MSSante.Domain.Audit.AuditRecord(
            user.IdNat, fromMailbox, MSSante.Domain.Audit.AuditAction.Envoi, success, null, "<" + model.MessageId.Trim('<', '>') + ">", serverResponse?.Replace("  ", " ", StringComparison.Ordinal), detail));

    private async Task AfterSendAsync(MailUser user, ComposeModel model, string? sentFolder, byte[] bytes, CancellationToken cancellationToken)
    {
        try
        {
            await using var imap = await connector.OpenImapAsync(user, cancellationToken);
            if (sentFolder is not null)
            {
                await imap.AppendAsync(sentFolder, bytes, [ImapFlags.Seen], cancellationToken: cancellationToken);
            }
            if (model.DraftUid is { } draft && model.DraftFolder is not null)
            {
                await RemoveAsync(imap, model.DraftFolder, draft, cancellationToken);
                model.DraftUid = null;
            }
            if (model.AnsweredUid is { } source && model.SourceFolder is not null)
            {
                await imap.SelectAsync(model.SourceFolder, cancellationToken: cancellationToken);
                await imap.StoreAsync(UidSet.Of(source), ImapStoreAction.Add, [model.IsForward ? ImapFlags.Forwarded : ImapFlags.Answered], cancellationToken: cancellationToken);
            }
            await SafeLogoutAsync(imap);
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException or System.Net.Sockets.SocketException)
        {
            // The message left; only the bookkeeping copy failed. Logged, never shown as a send failure.
            LogAfterSendFailed(logger, e);
        }
    }

    private static async Task RemoveAsync(ImapClient imap, string folder, uint uid, CancellationToken cancellationToken)
    {
        if (imap.SelectedMailbox?.Name != folder)
        {
            await imap.SelectAsync(folder, cancellationToken: cancellationToken);
        }
        await imap.StoreAsync(UidSet.Of(uid), ImapStoreAction.Add, [ImapFlags.Deleted], cancellationToken: cancellationToken);
        // RFC 4315 UID EXPUNGE: only this message, never another client's \Deleted ones.
        await imap.ExpungeAsync(UidSet.Of(uid), cancellationToken);
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

    private static MailboxAddress From(ComposeModel model, MailUser user, string displayName)
    {
        var mailbox = string.IsNullOrEmpty(model.FromMailbox) ? user.Address : model.FromMailbox;
        return mailbox.Equals(user.Address, StringComparison.OrdinalIgnoreCase) ? new MailboxAddress(displayName, mailbox) : new MailboxAddress(null, mailbox);
    }

    private static MailboxAddress? Sender(ComposeModel model, MailUser user, string displayName) =>
        string.IsNullOrEmpty(model.FromMailbox) || model.FromMailbox.Equals(user.Address, StringComparison.OrdinalIgnoreCase) ? null : new MailboxAddress(displayName, user.Address);

    private static bool IsSenderNotOwned(SmtpReply reply) =>
        reply.Text.Contains("Sender address rejected", StringComparison.OrdinalIgnoreCase);

    /// <summary>The French message for a file over the per-file limit.</summary>
    public static string TooLargeMessage(string fileName, long limit) =>
        $"La pièce jointe « {fileName} » dépasse la taille maximale autorisée de {Size(limit)} par fichier.";

    /// <summary>A size in French units.</summary>
    public static string Size(long bytes) => bytes switch
    {
        >= 1024L * 1024 => (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) + " Mo",
        >= 1024 => (bytes / 1024.0).ToString("0", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) + " Ko",
        _ => bytes + " octets",
    };

    [LoggerMessage(EventId = 6101, Level = LogLevel.Information, Message = "Message submitted: {Accepted} recipient(s) accepted, {Refused} refused")]
    private static partial void LogSent(ILogger logger, int accepted, int refused);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Send failed at {Stage}; the message is kept for retry")]
    private static partial void LogSendFailed(ILogger logger, string stage);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Warning, Message = "Message sent but storing the copy or removing the draft failed")]
    private static partial void LogAfterSendFailed(ILogger logger, Exception exception);
}
