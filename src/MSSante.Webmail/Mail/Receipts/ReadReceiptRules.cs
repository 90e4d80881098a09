using MSSante.Infrastructure.Persistence.Preferences;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Receipts;

/// <summary>What the reading pane does about a read receipt request.</summary>
public enum ReceiptAction
{
    /// <summary>Nothing: no request, already answered, or a message that must not be answered.</summary>
    None,

    /// <summary>Show the banner and let the practitioner choose.</summary>
    Ask,

    /// <summary>Send the MDN at once (policy "always").</summary>
    Send,
}

/// <summary>The decision and, when nothing is sent, why (English, for logs and tests).</summary>
public sealed record ReceiptDecision(ReceiptAction Action, string Reason)
{
    public static ReceiptDecision No(string reason) => new(ReceiptAction.None, reason);
}

/// <summary>
/// When a message opened in the reading pane gets a read receipt (RFC 8098 §2, MSSANTE.md):
/// only when asked with Disposition-Notification-To, once ($MDNSent, RFC 3503), never to a
/// report or an automatic message, never outside the trust space, never when the sender said
/// no answer is possible (<c>X-MSS-MES: FIN</c>), and never without the user's consent when the
/// receipt would go elsewhere than the envelope sender.
/// </summary>
public static class ReadReceiptRules
{
    /// <summary>The keyword that records a sent (or refused) MDN (RFC 3503 §3.1).</summary>
    public const string MdnSentKeyword = "$MDNSent";

    /// <summary>The addresses the MDN would go to.</summary>
    public static IReadOnlyList<MailboxAddress> Targets(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return message.Addresses("Disposition-Notification-To").Mailboxes().ToList();
    }

    /// <summary>
    /// Decides for <paramref name="message"/>, received by <paramref name="mailbox"/>, in a folder
    /// of special use <paramref name="folderRole"/>, carrying <paramref name="flags"/>.
    /// <paramref name="targetsInTrustSpace"/> says whether every target's domain is on the whitelist.
    /// </summary>
    public static ReceiptDecision Decide(MimeMessage message, IReadOnlyCollection<string> flags, string? folderRole, string mailbox, ReadReceiptPolicy policy, bool targetsInTrustSpace)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(flags);
        var targets = Targets(message);
        if (targets.Count == 0)
        {
            return ReceiptDecision.No("no Disposition-Notification-To");
        }
        if (flags.Any(f => f.Equals(MdnSentKeyword, StringComparison.OrdinalIgnoreCase)))
        {
            return ReceiptDecision.No("already answered ($MDNSent)");
        }
        if (folderRole is "sent" or "drafts")
        {
            return ReceiptDecision.No("own message");
        }
        if (IsReport(message))
        {
            // RFC 8098 §2.1: an MDN is never sent in response to an MDN (nor to any report).
            return ReceiptDecision.No("the message is a report");
        }
        var auto = message.Headers["Auto-Submitted"]?.Trim();
        if (!string.IsNullOrEmpty(auto) && !auto.StartsWith("no", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 3834 §2: automatic messages are not answered automatically, receipts included.
            return ReceiptDecision.No("automatic message (Auto-Submitted)");
        }
        if (message.Headers.GetAll("X-MSS-MES").Any(h => h.Value.Trim().Equals("FIN", StringComparison.OrdinalIgnoreCase)))
        {
            // MSSANTE.md: X-MSS-MES: FIN means no answer is possible.
            return ReceiptDecision.No("X-MSS-MES: FIN");
        }
        if (targets.All(t => t.Address.Equals(mailbox, StringComparison.OrdinalIgnoreCase)))
        {
            return ReceiptDecision.No("the receipt would go to the same mailbox");
        }
        if (!targetsInTrustSpace)
        {
            return ReceiptDecision.No("a target is outside the trust space");
        }
        if (policy == ReadReceiptPolicy.Never)
        {
            return ReceiptDecision.No("policy never");
        }
        if (policy == ReadReceiptPolicy.Always && SameAsReturnPath(message, targets))
        {
            return new ReceiptDecision(ReceiptAction.Send, "policy always");
        }
        // RFC 8098 §2.1: a request to send the receipt elsewhere than the envelope sender needs the user's say.
        return new ReceiptDecision(ReceiptAction.Ask, policy == ReadReceiptPolicy.Always ? "target differs from Return-Path" : "policy ask");
    }

    /// <summary>True for reports (MDN, DSN, any multipart/report) and bare report parts.</summary>
    public static bool IsReport(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var type = message.Body.ContentType;
        return type.Is("multipart", "report")
            || (type.MediaType == "message" && type.MediaSubtype is "disposition-notification" or "delivery-status" or "global-disposition-notification" or "global-delivery-status")
            || message.GetDispositionNotification() is not null
            || message.GetDeliveryStatus() is not null;
    }

    private static bool SameAsReturnPath(MimeMessage message, IReadOnlyList<MailboxAddress> targets)
    {
        var returnPath = message.Headers["Return-Path"]?.Trim().Trim('<', '>').Trim();
        return !string.IsNullOrEmpty(returnPath)
            && targets.All(t => t.Address.Equals(returnPath, StringComparison.OrdinalIgnoreCase));
    }
}
