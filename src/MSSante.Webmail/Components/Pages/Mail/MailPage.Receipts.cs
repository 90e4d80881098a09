using Microsoft.AspNetCore.Components;
using MSSante.Mail;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Receipts;

namespace MSSante.Webmail.Components.Pages.Mail;

/// <summary>
/// Read receipts on the mail page: the banner when a sender asks for one (or the automatic MDN
/// under the "always" choice), and the per-recipient delivery and reading state of a sent message.
/// </summary>
public partial class MailPage
{
    [Inject] private ReadReceiptService ReadReceipts { get; set; } = default!;
    [Inject] private ReceiptTracker ReceiptTracker { get; set; } = default!;

    /// <summary>True while the banner asks whether to send the receipt of the open message.</summary>
    private bool ReceiptAsked { get; set; }

    /// <summary>Delivery and reading state per recipient of the open sent message, or null.</summary>
    private IReadOnlyList<RecipientReceipt>? ReceiptStates { get; set; }

    private void ResetReceipts()
    {
        ReceiptAsked = false;
        ReceiptStates = null;
    }

    /// <summary>After the open message loaded: decide about a receipt, or gather the receipts of a sent message.</summary>
    private async Task ReceiptsAfterOpenAsync(uint uid)
    {
        ResetReceipts();
        var folder = Session.CurrentFolder;
        if (Reading is not { } message || folder is null || Identity is null || Session.User is not { } user)
        {
            return;
        }
        try
        {
            if (folder.Role == "sent")
            {
                var inbox = Session.FolderFor(folder.Mailbox, "inbox");
                if (inbox is not null)
                {
                    var states = await ReceiptTracker.GetStatusAsync(user, inbox.ImapName, message);
                    ReceiptStates = OpenUid == uid && states.Count > 0 ? states : null;
                }
                return;
            }
            var flags = Session.Find(uid)?.Flags ?? [];
            var decision = await ReadReceipts.DecideAsync(Identity.IdNat, message, flags, folder);
            if (OpenUid != uid)
            {
                return;
            }
            if (decision.Action == ReceiptAction.Ask)
            {
                ReceiptAsked = true;
            }
            else if (decision.Action == ReceiptAction.Send)
            {
                await SendReceiptCoreAsync(uid, manual: false);
            }
        }
        catch (Exception e) when (e is MailCommandException or MailProtocolException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            Error = "Les accusés de ce message n'ont pas pu être traités : " + Describe(e);
        }
    }

    private async Task SendReceipt()
    {
        if (OpenUid is { } uid)
        {
            await Guard(() => SendReceiptCoreAsync(uid, manual: true));
        }
    }

    private async Task DeclineReceipt()
    {
        if (OpenUid is { } uid)
        {
            ReceiptAsked = false;
            // RFC 3503 §3.1: $MDNSent also records a refusal, so that no client asks again.
            await Guard(() => Session.SetFlagAsync([uid], ReadReceiptRules.MdnSentKeyword, true));
            Notice = "Aucun accusé de lecture ne sera envoyé pour ce message.";
        }
    }

    private async Task SendReceiptCoreAsync(uint uid, bool manual)
    {
        var folder = Session.CurrentFolder;
        if (Reading is not { } message || folder is null || Identity is null || Session.User is not { } user)
        {
            return;
        }
        ReceiptAsked = false;
        await ReadReceipts.SendAsync(user, Identity.DisplayName, folder.Mailbox, message, manual);
        await Session.SetFlagAsync([uid], ReadReceiptRules.MdnSentKeyword, true);
        Notice = manual ? "Accusé de lecture envoyé." : "Accusé de lecture envoyé automatiquement, selon votre choix.";
    }
}
