using System.ComponentModel.DataAnnotations;

namespace MSSante.Webmail.Mail.Absence;

/// <summary>
/// Section <c>Operator:ManageSieve</c>: the operator's ManageSieve server (RFC 5804), always
/// reached with STARTTLS and the same trusted CAs and token as IMAP. No Host: the operator does
/// not offer ManageSieve and the absence page says so.
/// </summary>
public sealed class ManageSieveOptions
{
    public const string SectionName = "Operator:ManageSieve";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 4190;

    /// <summary>The name the server certificate must carry; defaults to <see cref="Host"/>.</summary>
    public string? ServerName { get; set; }

    /// <summary>Name of the script the webmail writes.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$")]
    public string ScriptName { get; set; } = "absence-webmail";
}
