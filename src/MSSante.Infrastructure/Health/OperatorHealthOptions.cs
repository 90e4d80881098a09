using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.Health;

/// <summary>How a connection to the operator starts protected.</summary>
public enum OperatorSecurity
{
    /// <summary>TLS from the first byte (IMAPS, submissions).</summary>
    Tls,

    /// <summary>Plain greeting, then STARTTLS (RFC 9051 §6.2.1, RFC 3207).</summary>
    StartTls,
}

/// <summary>One server of the operator.</summary>
public sealed class OperatorEndpointOptions
{
    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; }

    public OperatorSecurity Security { get; set; } = OperatorSecurity.Tls;

    /// <summary>The name the server certificate must carry; defaults to <see cref="Host"/>.</summary>
    public string? ServerName { get; set; }
}

/// <summary>
/// The operator's IMAP and SMTP endpoints as section <c>Operator</c> describes them (written by
/// deploy/stack.sh into operator.json), read here for the health probes.
/// </summary>
public sealed class OperatorHealthOptions
{
    public const string SectionName = "Operator";

    [Required]
    public OperatorEndpointOptions Imap { get; set; } = new();

    [Required]
    public OperatorEndpointOptions Smtp { get; set; } = new();

    /// <summary>PEM files of the only CAs trusted for the operator's certificates (never the machine store).</summary>
    [MinLength(1)]
    public List<string> TrustedCaFiles { get; set; } = [];
}

/// <summary>Settings of section <c>Health</c>.</summary>
public sealed class HealthProbeOptions
{
    public const string SectionName = "Health";

    /// <summary>Seconds each probe (connect, TLS handshake, greeting) may take before the service is reported down.</summary>
    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 5;
}
