namespace MSSante.Mail.Imap;

/// <summary>The IMAP connection state (RFC 9051 §3).</summary>
public enum ImapState
{
    /// <summary>No connection.</summary>
    Disconnected,

    /// <summary>Connected, not yet authenticated.</summary>
    NotAuthenticated,

    /// <summary>Authenticated, no mailbox selected.</summary>
    Authenticated,

    /// <summary>A mailbox is selected.</summary>
    Selected,
}

/// <summary>One address of an ENVELOPE (RFC 9051 §7.5.2): display name, mailbox and host.</summary>
/// <param name="Name">
/// The display name, RFC 2047 encoded words decoded (malformed words are kept as sent), or null.
/// </param>
/// <param name="Mailbox">The local part, or the group name at a group start.</param>
/// <param name="Host">The domain, or null for group markers.</param>
public sealed record ImapAddress(string? Name, string? Mailbox, string? Host)
{
    /// <summary>The display name exactly as the server sent it (encoded words included).</summary>
    public string? RawName { get; init; } = Name;

    /// <summary><c>mailbox@host</c>, or the bare mailbox when there is no host.</summary>
    public string Address => Host is null ? Mailbox ?? string.Empty : $"{Mailbox}@{Host}";

    /// <summary>Readable form.</summary>
    public override string ToString() => Name is null ? Address : $"{Name} <{Address}>";
}

/// <summary>
/// The ENVELOPE structure (RFC 9051 §7.5.2). The subject and the display names have their
/// RFC 2047 encoded words decoded (servers send the header text as it is, RFC 9051 §7.5.2);
/// <see cref="RawSubject"/> and <see cref="ImapAddress.RawName"/> keep what was sent.
/// </summary>
public sealed record ImapEnvelope(
    string? Date,
    string? Subject,
    IReadOnlyList<ImapAddress> From,
    IReadOnlyList<ImapAddress> Sender,
    IReadOnlyList<ImapAddress> ReplyTo,
    IReadOnlyList<ImapAddress> To,
    IReadOnlyList<ImapAddress> Cc,
    IReadOnlyList<ImapAddress> Bcc,
    string? InReplyTo,
    string? MessageId)
{
    /// <summary>The subject exactly as the server sent it (encoded words included).</summary>
    public string? RawSubject { get; init; } = Subject;
}

/// <summary>A Content-Disposition in a BODYSTRUCTURE.</summary>
/// <param name="Type">e.g. <c>attachment</c> or <c>inline</c>.</param>
/// <param name="Parameters">Its parameters, e.g. filename.</param>
public sealed record ImapContentDisposition(string Type, IReadOnlyDictionary<string, string> Parameters);

/// <summary>A node of the BODYSTRUCTURE tree (RFC 9051 §7.5.2).</summary>
public abstract class ImapBodyPart
{
    /// <summary>The part specifier to use in <c>BODY[...]</c>: "1", "2.1"... ("" for a single-part message's text is "1" too, per RFC 9051 §6.4.5).</summary>
    public string PartSpecifier { get; internal set; } = string.Empty;

    /// <summary>Media type, lower case (e.g. <c>text</c>, <c>multipart</c>).</summary>
    public required string MediaType { get; init; }

    /// <summary>Media subtype, lower case (e.g. <c>plain</c>, <c>mixed</c>).</summary>
    public required string MediaSubtype { get; init; }

    /// <summary>Content-Type parameters (names lower case).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Content-Disposition, when the server sent extension data.</summary>
    public ImapContentDisposition? Disposition { get; init; }

    /// <summary>Content-Language values.</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary><c>type/subtype</c>.</summary>
    public string ContentType => MediaType + "/" + MediaSubtype;

    /// <summary>The file name from the disposition or the type's <c>name</c> parameter (raw, possibly RFC 2231/2047 encoded).</summary>
    public string? FileName
        => Disposition?.Parameters.GetValueOrDefault("filename") ?? Parameters.GetValueOrDefault("name");

    /// <summary>This part and every part below it, depth first.</summary>
    public IEnumerable<ImapBodyPart> Descendants()
    {
        yield return this;
        var children = this switch
        {
            ImapMultipart m => m.Parts,
            ImapMessagePart { Body: { } b } => [b],
            _ => [],
        };
        foreach (var child in children)
        {
            foreach (var d in child.Descendants())
            {
                yield return d;
            }
        }
    }
}

/// <summary>A multipart node.</summary>
public sealed class ImapMultipart : ImapBodyPart
{
    /// <summary>The children in order.</summary>
    public required IReadOnlyList<ImapBodyPart> Parts { get; init; }
}

/// <summary>A leaf part (text, application, image...).</summary>
public class ImapBasicPart : ImapBodyPart
{
    /// <summary>Content-ID.</summary>
    public string? ContentId { get; init; }

    /// <summary>Content-Description (raw).</summary>
    public string? Description { get; init; }

    /// <summary>Content-Transfer-Encoding, lower case.</summary>
    public string Encoding { get; init; } = "7bit";

    /// <summary>The encoded size in octets.</summary>
    public long Size { get; init; }

    /// <summary>Line count for text parts and embedded messages.</summary>
    public long? Lines { get; init; }

    /// <summary>Content-MD5 if sent.</summary>
    public string? Md5 { get; init; }
}

/// <summary>An embedded message (<c>message/rfc822</c> or <c>message/global</c>).</summary>
public sealed class ImapMessagePart : ImapBasicPart
{
    /// <summary>The embedded message's envelope.</summary>
    public ImapEnvelope? Envelope { get; init; }

    /// <summary>The embedded message's structure.</summary>
    public ImapBodyPart? Body { get; init; }
}

/// <summary>What one FETCH returned about one message. Absent items are null.</summary>
public sealed class ImapMessage
{
    /// <summary>The message sequence number in the selected mailbox when the response was sent.</summary>
    public uint SequenceNumber { get; internal set; }

    /// <summary>The UID (always present in UID FETCH answers).</summary>
    public uint Uid { get; internal set; }

    /// <summary>System and keyword flags (e.g. <c>\Seen</c>, <c>$Forwarded</c>).</summary>
    public IReadOnlyList<string>? Flags { get; internal set; }

    /// <summary>INTERNALDATE.</summary>
    public DateTimeOffset? InternalDate { get; internal set; }

    /// <summary>RFC822.SIZE.</summary>
    public long? Size { get; internal set; }

    /// <summary>ENVELOPE.</summary>
    public ImapEnvelope? Envelope { get; internal set; }

    /// <summary>BODYSTRUCTURE (or BODY).</summary>
    public ImapBodyPart? BodyStructure { get; internal set; }

    /// <summary>MODSEQ (RFC 7162).</summary>
    public ulong? ModSeq { get; internal set; }

    /// <summary>PREVIEW (RFC 8970), raw.</summary>
    public string? Preview { get; internal set; }

    /// <summary>Gmail's X-GM-LABELS when a Gmail-like server sends them.</summary>
    public IReadOnlyList<string>? GmailLabels { get; internal set; }

    /// <summary>
    /// Raw bytes of the body sections returned, keyed by the section as the server named it
    /// without the <c>BODY</c> prefix and partial origin (e.g. <c>""</c> for the whole message, <c>"1.2"</c>, <c>"HEADER"</c>).
    /// </summary>
    public IReadOnlyDictionary<string, byte[]> Sections => _sections ??= new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);

    private Dictionary<string, byte[]>? _sections;

    internal void AddSection(string key, byte[] bytes)
    {
        _sections ??= new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        _sections[key] = bytes;
    }

    /// <summary>True when the flags include <c>\Seen</c>.</summary>
    public bool IsSeen => Flags?.Contains(ImapFlags.Seen, StringComparer.OrdinalIgnoreCase) ?? false;
}

/// <summary>Names of the system flags (RFC 9051 §2.3.2).</summary>
public static class ImapFlags
{
    /// <summary>\Seen</summary>
    public const string Seen = "\\Seen";
    /// <summary>\Answered</summary>
    public const string Answered = "\\Answered";
    /// <summary>\Flagged</summary>
    public const string Flagged = "\\Flagged";
    /// <summary>\Deleted</summary>
    public const string Deleted = "\\Deleted";
    /// <summary>\Draft</summary>
    public const string Draft = "\\Draft";
    /// <summary>$Forwarded (RFC 5788 registry)</summary>
    public const string Forwarded = "$Forwarded";
}

/// <summary>Which FETCH data items to ask for.</summary>
[Flags]
public enum ImapFetchItems
{
    /// <summary>Only the UID.</summary>
    None = 0,
    /// <summary>FLAGS</summary>
    Flags = 1,
    /// <summary>INTERNALDATE</summary>
    InternalDate = 2,
    /// <summary>RFC822.SIZE</summary>
    Size = 4,
    /// <summary>ENVELOPE</summary>
    Envelope = 8,
    /// <summary>BODYSTRUCTURE</summary>
    BodyStructure = 16,
    /// <summary>MODSEQ (needs CONDSTORE)</summary>
    ModSeq = 32,
    /// <summary>PREVIEW (RFC 8970), only when the server offers it.</summary>
    Preview = 64,
    /// <summary>What a message list needs.</summary>
    Summary = Flags | InternalDate | Size | Envelope | BodyStructure,
}

/// <summary>A body section to fetch with BODY.PEEK (never sets \Seen).</summary>
/// <param name="Section">The section text: "" (whole message), "HEADER", "TEXT", "1.2", "1.MIME", "HEADER.FIELDS (SUBJECT)".</param>
/// <param name="Offset">Partial fetch start, or null.</param>
/// <param name="Length">Partial fetch length, or null.</param>
public sealed record ImapBodySection(string Section, uint? Offset = null, uint? Length = null);

/// <summary>The status of a selected mailbox as reported by SELECT/EXAMINE and kept up to date by untagged responses.</summary>
public sealed class ImapSelectedMailbox
{
    /// <summary>The mailbox name (decoded).</summary>
    public required string Name { get; init; }

    /// <summary>True after EXAMINE or a READ-ONLY answer.</summary>
    public bool ReadOnly { get; internal set; }

    /// <summary>The number of messages (EXISTS).</summary>
    public uint Count { get; internal set; }

    /// <summary>UIDVALIDITY: when it changes, every cached UID is void.</summary>
    public uint UidValidity { get; internal set; }

    /// <summary>UIDNEXT, when sent.</summary>
    public uint? UidNext { get; internal set; }

    /// <summary>HIGHESTMODSEQ, when the server supports CONDSTORE for this mailbox.</summary>
    public ulong? HighestModSeq { get; internal set; }

    /// <summary>True when the server said NOMODSEQ.</summary>
    public bool NoModSeq { get; internal set; }

    /// <summary>FLAGS.</summary>
    public IReadOnlyList<string> Flags { get; internal set; } = [];

    /// <summary>PERMANENTFLAGS.</summary>
    public IReadOnlyList<string> PermanentFlags { get; internal set; } = [];
}

/// <summary>One LIST answer (RFC 9051 §7.3.1, RFC 5258, RFC 6154, RFC 5819).</summary>
public sealed class ImapMailboxInfo
{
    /// <summary>The decoded mailbox name.</summary>
    public required string Name { get; init; }

    /// <summary>The name as sent on the wire (modified UTF-7 unless UTF8=ACCEPT).</summary>
    public required string EncodedName { get; init; }

    /// <summary>The hierarchy delimiter, or null for a flat namespace.</summary>
    public char? Delimiter { get; init; }

    /// <summary>Attributes such as <c>\HasChildren</c>, <c>\Noselect</c>, <c>\Subscribed</c>, and special-use (<c>\Sent</c>, <c>\Trash</c>...).</summary>
    public required IReadOnlyList<string> Attributes { get; init; }

    /// <summary>The special-use attribute, if any (RFC 6154).</summary>
    public string? SpecialUse => Attributes.FirstOrDefault(a => a is "\\All" or "\\Archive" or "\\Drafts" or "\\Flagged" or "\\Junk" or "\\Sent" or "\\Trash" or "\\Important");

    /// <summary>True when the mailbox can be selected.</summary>
    public bool CanSelect => !Attributes.Any(a => a.Equals("\\Noselect", StringComparison.OrdinalIgnoreCase) || a.Equals("\\NonExistent", StringComparison.OrdinalIgnoreCase));

    /// <summary>The STATUS returned with LIST-STATUS, when asked.</summary>
    public ImapMailboxStatus? Status { get; internal set; }
}

/// <summary>A STATUS answer (RFC 9051 §7.3.4).</summary>
public sealed class ImapMailboxStatus
{
    /// <summary>MESSAGES</summary>
    public uint? Messages { get; internal set; }
    /// <summary>UNSEEN</summary>
    public uint? Unseen { get; internal set; }
    /// <summary>RECENT (IMAP4rev1 only)</summary>
    public uint? Recent { get; internal set; }
    /// <summary>UIDNEXT</summary>
    public uint? UidNext { get; internal set; }
    /// <summary>UIDVALIDITY</summary>
    public uint? UidValidity { get; internal set; }
    /// <summary>HIGHESTMODSEQ</summary>
    public ulong? HighestModSeq { get; internal set; }
    /// <summary>SIZE (RFC 8438)</summary>
    public ulong? Size { get; internal set; }
}

/// <summary>Which STATUS items to ask for.</summary>
[Flags]
public enum ImapStatusItems
{
    /// <summary>MESSAGES</summary>
    Messages = 1,
    /// <summary>UNSEEN</summary>
    Unseen = 2,
    /// <summary>UIDNEXT</summary>
    UidNext = 4,
    /// <summary>UIDVALIDITY</summary>
    UidValidity = 8,
    /// <summary>HIGHESTMODSEQ (CONDSTORE)</summary>
    HighestModSeq = 16,
    /// <summary>RECENT</summary>
    Recent = 32,
}

/// <summary>One namespace (RFC 2342).</summary>
/// <param name="Prefix">The prefix, e.g. <c>shared/</c>.</param>
/// <param name="Delimiter">The hierarchy delimiter.</param>
public sealed record ImapNamespace(string Prefix, char? Delimiter);

/// <summary>The personal, other users' and shared namespaces.</summary>
public sealed record ImapNamespaces(IReadOnlyList<ImapNamespace> Personal, IReadOnlyList<ImapNamespace> OtherUsers, IReadOnlyList<ImapNamespace> Shared);

/// <summary>COPYUID/APPENDUID (RFC 4315): where the messages landed.</summary>
/// <param name="UidValidity">The destination's UIDVALIDITY.</param>
/// <param name="SourceUids">The source UIDs in order (empty for APPEND).</param>
/// <param name="DestinationUids">The new UIDs in the same order.</param>
public sealed record ImapUidMapping(uint UidValidity, IReadOnlyList<uint> SourceUids, IReadOnlyList<uint> DestinationUids);

/// <summary>One entry of an access control list (RFC 4314).</summary>
/// <param name="Identifier">The user (or <c>anyone</c>, or a negative <c>-user</c>).</param>
/// <param name="Rights">The rights letters, e.g. <c>lrswipkxtecda</c>.</param>
public sealed record ImapAclEntry(string Identifier, string Rights);

/// <summary>LISTRIGHTS answer: rights always granted and the groups that can be granted.</summary>
public sealed record ImapListRights(string Identifier, string RequiredRights, IReadOnlyList<string> OptionalRights);

/// <summary>One resource of a quota root (RFC 9208).</summary>
/// <param name="Resource">e.g. <c>STORAGE</c> (in KiB) or <c>MESSAGE</c>.</param>
/// <param name="Usage">Current usage.</param>
/// <param name="Limit">Limit.</param>
public sealed record ImapQuotaResource(string Resource, ulong Usage, ulong Limit);

/// <summary>A quota root and its resources.</summary>
public sealed record ImapQuota(string Root, IReadOnlyList<ImapQuotaResource> Resources);

/// <summary>A thread (RFC 5256): a message UID (0 for a missing parent) and its children.</summary>
public sealed record ImapThread(uint Uid, IReadOnlyList<ImapThread> Children);

/// <summary>How STORE changes flags.</summary>
public enum ImapStoreAction
{
    /// <summary>+FLAGS</summary>
    Add,
    /// <summary>-FLAGS</summary>
    Remove,
    /// <summary>FLAGS</summary>
    Replace,
}

/// <summary>What kind of change a mailbox event reports.</summary>
public enum ImapMailboxEventKind
{
    /// <summary>EXISTS: the message count changed (new mail).</summary>
    Exists,
    /// <summary>EXPUNGE: one message, by sequence number, is gone.</summary>
    Expunged,
    /// <summary>VANISHED (QRESYNC): messages, by UID, are gone.</summary>
    Vanished,
    /// <summary>An unsolicited or solicited FETCH carrying FLAGS.</summary>
    FlagsChanged,
}

/// <summary>A change in the selected mailbox, pushed by the server (during IDLE or any command).</summary>
public sealed class ImapMailboxEvent : EventArgs
{
    /// <summary>The kind of change.</summary>
    public required ImapMailboxEventKind Kind { get; init; }

    /// <summary>For <see cref="ImapMailboxEventKind.Exists"/>, the new count; for Expunged, the sequence number.</summary>
    public uint Number { get; init; }

    /// <summary>For Vanished, the UIDs gone.</summary>
    public UidSet? Uids { get; init; }

    /// <summary>For Vanished, true when it is the (EARLIER) answer to a QRESYNC select or fetch.</summary>
    public bool Earlier { get; init; }

    /// <summary>For FlagsChanged, the message data (flags, UID when sent, modseq).</summary>
    public ImapMessage? Message { get; init; }
}

/// <summary>An [ALERT] the user must see (RFC 9051 §7.1).</summary>
public sealed class ImapAlertEventArgs(string text) : EventArgs
{
    /// <summary>The alert text, to show to the user as is.</summary>
    public string Text { get; } = text;
}

/// <summary>The QRESYNC parameters of a SELECT (RFC 7162 §3.2.5).</summary>
/// <param name="UidValidity">The UIDVALIDITY the cache was built with.</param>
/// <param name="ModSeq">The HIGHESTMODSEQ the cache is complete up to.</param>
/// <param name="KnownUids">The UIDs in the cache, or null.</param>
public sealed record ImapQResyncParameters(uint UidValidity, ulong ModSeq, UidSet? KnownUids);
