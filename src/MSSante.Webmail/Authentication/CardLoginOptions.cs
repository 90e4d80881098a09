using System.ComponentModel.DataAnnotations;

namespace MSSante.Webmail.Authentication;

/// <summary>Settings of section <c>CardLogin</c> (written for the demo by deploy/cards.sh into cardlogin.json).</summary>
public sealed class CardLoginOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "CardLogin";

    /// <summary>
    /// PEM or DER files of the trust anchors (IGC-Santé roots). Only these are trusted: the
    /// machine's certificate store is never consulted.
    /// </summary>
    public string[] TrustAnchorFiles { get; set; } = [];

    /// <summary>Intermediate authorities (AC IGC-SANTE ... PERSONNES) used to complete chains.</summary>
    public string[] IntermediateFiles { get; set; } = [];

    /// <summary>CRL files (DER or PEM), one per issuing authority; reloaded when they change.</summary>
    public string[] CrlFiles { get; set; } = [];

    /// <summary>Origins the webmail is served from (challenges name one of them).</summary>
    public string[] AllowedOrigins { get; set; } = [];

    /// <summary>The card bridge's address as the login page calls it.</summary>
    [Required]
    public string BridgeUrl { get; set; } = "http://127.0.0.1:17771";

    /// <summary>How long a challenge may be used, in seconds.</summary>
    [Range(10, 600)]
    public int ChallengeLifetimeSeconds { get; set; } = 120;

    /// <summary>Tolerance on certificate and CRL dates for workstation clocks that drift, in seconds.</summary>
    [Range(0, 3600)]
    public int ClockSkewSeconds { get; set; } = 300;

    /// <summary>How often the page checks the card is still in the reader, in seconds.</summary>
    [Range(1, 300)]
    public int CardPollSeconds { get; set; } = 3;

    /// <summary>Whether removing the card ends the session (otherwise it is only reported).</summary>
    public bool SignOutOnCardRemoval { get; set; } = true;

    /// <summary>
    /// Challenge and verification requests one client address may make per minute (each
    /// endpoint counted apart); more are answered 429 with a French message. Generous because
    /// a hospital's workstations often reach the webmail through one address.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAttemptsPerMinute { get; set; } = 120;

    /// <summary>
    /// Where pending challenges and ended card sessions are kept: <see cref="CardLoginStore.Auto"/>
    /// (the database when it is PostgreSQL, i.e. shared by several hosts; memory otherwise),
    /// <see cref="CardLoginStore.Memory"/> (one host only) or <see cref="CardLoginStore.Database"/>.
    /// </summary>
    public CardLoginStore Store { get; set; } = CardLoginStore.Auto;

    /// <summary>
    /// A JSON file with <c>users</c> (the operator stack's .state/stack.json) mapping
    /// national ids to mailboxes, for the demo; <see cref="Accounts"/> adds to it.
    /// </summary>
    public string? DirectoryFile { get; set; }

    /// <summary>Explicit idNat to mailbox mapping.</summary>
    public List<CardAccount> Accounts { get; set; } = [];
}

/// <summary>One configured card holder and the mailboxes they may open.</summary>
public sealed class CardAccount
{
    /// <summary>National identifier as the card carries it.</summary>
    [Required]
    public string IdNat { get; set; } = "";

    /// <summary>Mailboxes, own first.</summary>
    public List<string> Mailboxes { get; set; } = [];
}

/// <summary>Where the card login keeps its server-side state.</summary>
public enum CardLoginStore
{
    /// <summary>The database when several hosts share it (PostgreSQL), memory otherwise.</summary>
    Auto,

    /// <summary>In the host's memory: correct for a single web host only.</summary>
    Memory,

    /// <summary>In the webmail's database (SQLite or PostgreSQL): shared by every host using it.</summary>
    Database,
}
