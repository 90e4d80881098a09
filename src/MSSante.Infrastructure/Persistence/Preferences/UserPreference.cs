namespace MSSante.Infrastructure.Persistence.Preferences;

/// <summary>How the webmail answers a message whose sender asked for a read receipt (RFC 8098).</summary>
public enum ReadReceiptPolicy
{
    /// <summary>Ask the practitioner each time.</summary>
    Ask = 0,

    /// <summary>Send the disposition notification without asking.</summary>
    Always = 1,

    /// <summary>Never send one.</summary>
    Never = 2,
}

/// <summary>A practitioner's preferences, keyed by national identifier (idNat).</summary>
public sealed class UserPreference
{
    /// <summary>National identifier, e.g. <c>899700100015</c> (8 + RPPS).</summary>
    public string IdNat { get; set; } = "";

    public ReadReceiptPolicy ReadReceiptPolicy { get; set; } = ReadReceiptPolicy.Ask;

    public DateTimeOffset UpdatedAt { get; set; }

    public List<MailboxSignature> Signatures { get; } = [];

    public List<RemoteContentSender> RemoteContentSenders { get; } = [];
}

/// <summary>The signature a practitioner appends when writing from one of their mailboxes.</summary>
public sealed class MailboxSignature
{
    public string IdNat { get; set; } = "";

    /// <summary>The mailbox address (own or delegated service mailbox), lower case.</summary>
    public string MailboxAddress { get; set; } = "";

    /// <summary>Plain text; the composer renders it.</summary>
    public string Text { get; set; } = "";
}

/// <summary>A sender whose remote content (images) the practitioner allowed to load.</summary>
public sealed class RemoteContentSender
{
    public string IdNat { get; set; } = "";

    /// <summary>The sender address, lower case.</summary>
    public string SenderAddress { get; set; } = "";

    public DateTimeOffset AllowedAt { get; set; }
}
