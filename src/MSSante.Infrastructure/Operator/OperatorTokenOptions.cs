using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.Operator;

/// <summary>
/// Section <c>OperatorToken</c>: how the webmail mints the short-lived RS256 token it presents
/// to the operator's IMAP and submission servers (SASL OAUTHBEARER, RFC 7628). The local stack
/// writes these values into <c>.state/settings/operator.json</c>.
/// </summary>
public sealed class OperatorTokenOptions
{
    /// <summary>The configuration section bound to this class.</summary>
    public const string SectionName = "OperatorToken";

    /// <summary>PEM file holding the RSA private key (PKCS#8 or PKCS#1).</summary>
    [Required]
    public string SigningKeyFile { get; set; } = "";

    /// <summary>The <c>iss</c> claim; the operator accepts only the issuers it is configured with.</summary>
    [Required]
    public string Issuer { get; set; } = "";

    /// <summary>The <c>aud</c> claim: the operator's client id for the webmail.</summary>
    [Required]
    public string Audience { get; set; } = "";

    /// <summary>The <c>kid</c> header (RFC 7515 §4.1.4) naming the key the operator validates with.</summary>
    public string? KeyId { get; set; }

    /// <summary>Seconds between <c>iat</c> and <c>exp</c>; short on purpose, a token is minted per connection.</summary>
    [Range(30, 3600)]
    public int LifetimeSeconds { get; set; } = 300;
}
