using System.ComponentModel.DataAnnotations;

namespace MSSante.Webmail.Mail;

/// <summary>How an operator server is reached (section <c>Operator:Imap</c> or <c>Operator:Smtp</c>).</summary>
public sealed class OperatorServerOptions
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; }

    /// <summary>"Tls" (implicit) or "StartTls".</summary>
    [Required]
    public string Security { get; set; } = "Tls";

    /// <summary>The name the server certificate must carry; defaults to <see cref="Host"/>.</summary>
    public string? ServerName { get; set; }
}

/// <summary>Section <c>Operator</c>: the operator's IMAP and submission servers and the CAs trusted for them.</summary>
public sealed class OperatorMailOptions
{
    public const string SectionName = "Operator";

    [Required]
    public OperatorServerOptions Imap { get; set; } = new();

    [Required]
    public OperatorServerOptions Smtp { get; set; } = new();

    /// <summary>PEM files of the only CAs trusted for the operator (never the machine store).</summary>
    [MinLength(1)]
    public List<string> TrustedCaFiles { get; set; } = [];

    /// <summary>Seconds each wait on the server may take before the connection is deemed lost.</summary>
    [Range(1, 600)]
    public int TimeoutSeconds { get; set; } = 30;
}

/// <summary>Section <c>Mail</c>: limits and rhythms of the mail interface.</summary>
public sealed class WebmailMailOptions
{
    public const string SectionName = "Mail";

    /// <summary>Largest attachment accepted per file (the national service's nominal limit is 10 MB).</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 10L * 1024 * 1024;

    /// <summary>Seconds between two automatic draft saves while the user types.</summary>
    [Range(1, 600)]
    public int DraftSaveSeconds { get; set; } = 3;

    /// <summary>Largest message fetched whole for the reading pane.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 60L * 1024 * 1024;
}
