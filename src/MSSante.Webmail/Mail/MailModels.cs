using MSSante.Mail.Imap;
using MSSante.Mime;

namespace MSSante.Webmail.Mail;

/// <summary>One folder as the folder pane shows it.</summary>
/// <param name="Mailbox">The mailbox address it belongs to (own or delegated service mailbox).</param>
/// <param name="ImapName">The full IMAP name, e.g. <c>Sent</c> or <c>shared/pneumologie@ch-demo.mssante.fr/INBOX</c>.</param>
/// <param name="Label">The French name shown.</param>
/// <param name="Role">The special use (RFC 6154) without backslash, lower case (<c>inbox</c>, <c>drafts</c>...), or null.</param>
/// <param name="Icon">The Material icon name.</param>
/// <param name="Depth">Nesting level below the mailbox root.</param>
/// <param name="Unseen">Unread messages.</param>
/// <param name="Total">All messages.</param>
public sealed record MailFolder(string Mailbox, string ImapName, string Label, string? Role, string Icon, int Depth, uint Unseen, uint Total)
{
    /// <summary>Sort rank: special-use folders first in the usual order, then the user's folders.</summary>
    public int Rank => Role switch
    {
        "inbox" => 0,
        "drafts" => 1,
        "sent" => 2,
        "archive" => 3,
        "junk" => 4,
        "trash" => 5,
        _ => 10,
    };
}

/// <summary>How the list is ordered.</summary>
public enum MailSortKey
{
    Date,
    From,
    Subject,
    Size,
}

/// <summary>What the user searches for (all fields optional, combined with AND).</summary>
public sealed record MailSearch(string? Text = null, string? From = null, string? To = null, string? Subject = null, string? Body = null, DateOnly? Since = null, DateOnly? Before = null)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Text) && string.IsNullOrWhiteSpace(From) && string.IsNullOrWhiteSpace(To)
        && string.IsNullOrWhiteSpace(Subject) && string.IsNullOrWhiteSpace(Body) && Since is null && Before is null;

    /// <summary>The IMAP SEARCH criteria (RFC 9051 §6.4.4).</summary>
    public ImapSearchQuery ToQuery()
    {
        var parts = new List<ImapSearchQuery>();
        if (!string.IsNullOrWhiteSpace(Text))
        {
            parts.Add(ImapSearchQuery.Text(Text.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(From))
        {
            parts.Add(ImapSearchQuery.From(From.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(To))
        {
            parts.Add(ImapSearchQuery.To(To.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(Subject))
        {
            parts.Add(ImapSearchQuery.Subject(Subject.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(Body))
        {
            parts.Add(ImapSearchQuery.Body(Body.Trim()));
        }
        if (Since is { } since)
        {
            parts.Add(ImapSearchQuery.Since(since));
        }
        if (Before is { } before)
        {
            parts.Add(ImapSearchQuery.Before(before));
        }
        return parts.Count switch
        {
            0 => ImapSearchQuery.All,
            1 => parts[0],
            _ => ImapSearchQuery.And([.. parts]),
        };
    }
}

/// <summary>One row of the message list.</summary>
public sealed class MessageSummary
{
    public required uint Uid { get; init; }
    public string FromName { get; init; } = "";
    public string FromAddress { get; init; } = "";
    public string ToText { get; init; } = "";
    public string Subject { get; init; } = "";
    public DateTimeOffset? Date { get; init; }
    public long Size { get; init; }
    public bool HasAttachments { get; init; }
    public string? Preview { get; init; }
    public IReadOnlyList<string> Flags { get; set; } = [];

    public bool IsSeen => Has(ImapFlags.Seen);
    public bool IsFlagged => Has(ImapFlags.Flagged);
    public bool IsAnswered => Has(ImapFlags.Answered);
    public bool IsDraft => Has(ImapFlags.Draft);

    private bool Has(string flag) => Flags.Contains(flag, StringComparer.OrdinalIgnoreCase);

    internal static MessageSummary From(ImapMessage m)
    {
        var envelope = m.Envelope;
        var from = envelope?.From.FirstOrDefault();
        return new MessageSummary
        {
            Uid = m.Uid,
            FromName = from is null ? "" : Decode(from.Name) is { Length: > 0 } n ? n : from.Address,
            FromAddress = from?.Address ?? "",
            ToText = envelope is null ? "" : string.Join(", ", envelope.To.Select(a => Decode(a.Name) is { Length: > 0 } n ? n : a.Address)),
            Subject = Decode(envelope?.Subject),
            Date = DateParser.Parse(envelope?.Date) ?? m.InternalDate,
            Size = m.Size ?? 0,
            HasAttachments = m.BodyStructure?.Descendants().Any(IsAttachment) ?? false,
            Preview = m.Preview is null ? null : Decode(m.Preview),
            Flags = m.Flags ?? [],
        };
    }

    internal static bool IsAttachment(ImapBodyPart part) => part is ImapBasicPart
        && (string.Equals(part.Disposition?.Type, "attachment", StringComparison.OrdinalIgnoreCase)
            || (part.FileName is not null && !part.MediaType.Equals("text", StringComparison.OrdinalIgnoreCase)));

    /// <summary>Envelope text as the IMAP client gives it: already decoded (RFC 2047), never null.</summary>
    internal static string Decode(string? text) => text ?? "";
}

/// <summary>A message loaded for reading by <see cref="MailSession.LoadMessageAsync"/>.</summary>
/// <param name="Message">The parsed message.</param>
/// <param name="Raw">The bytes it was parsed from (BODY[]).</param>
/// <param name="Recorded">
/// Completes when the consultation is in the audit trail (a failed write is logged, never thrown):
/// await it after showing the message, so that the action's work ends with its trace.
/// </param>
public sealed record LoadedMessage(MimeMessage Message, byte[] Raw, Task Recorded);

/// <summary>What changed in the session, for the components to repaint.</summary>
public sealed record MailSessionChange(bool ListChanged, bool FoldersChanged, int NewMessages, bool ConnectionChanged);
