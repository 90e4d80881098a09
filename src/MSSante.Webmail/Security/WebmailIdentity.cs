using System.Security.Claims;

namespace MSSante.Webmail.Security;

/// <summary>Claim types of the webmail session.</summary>
public static class WebmailClaimTypes
{
    /// <summary>National practitioner identifier (idNat: 8 + RPPS, 0 + ADELI, or a local identifier).</summary>
    public const string IdNat = "mssante:idnat";

    /// <summary>Profession label, e.g. "Médecin généraliste".</summary>
    public const string Profession = "mssante:profession";

    /// <summary>A mailbox the user may open: own first, then delegated service mailboxes. Repeated.</summary>
    public const string Mailbox = "mssante:mailbox";

    /// <summary>How the user signed in: "cps" or "demo".</summary>
    public const string Method = "mssante:amr";
}

/// <summary>Who is signed in, as the session cookie carries it.</summary>
public sealed record WebmailIdentity(
    string IdNat,
    string DisplayName,
    string? Profession,
    IReadOnlyList<string> Mailboxes,
    string Method)
{
    public ClaimsPrincipal ToPrincipal(string authenticationType)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, IdNat),
            new(ClaimTypes.Name, DisplayName),
            new(WebmailClaimTypes.IdNat, IdNat),
            new(WebmailClaimTypes.Method, Method),
        };
        if (!string.IsNullOrEmpty(Profession))
        {
            claims.Add(new Claim(WebmailClaimTypes.Profession, Profession));
        }
        claims.AddRange(Mailboxes.Select(m => new Claim(WebmailClaimTypes.Mailbox, m)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>Reads the identity back from a principal; null when anonymous.</summary>
    public static WebmailIdentity? FromPrincipal(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        var idNat = principal.FindFirstValue(WebmailClaimTypes.IdNat);
        if (idNat is null)
        {
            return null;
        }
        return new WebmailIdentity(
            idNat,
            principal.FindFirstValue(ClaimTypes.Name) ?? idNat,
            principal.FindFirstValue(WebmailClaimTypes.Profession),
            principal.FindAll(WebmailClaimTypes.Mailbox).Select(c => c.Value).ToList(),
            principal.FindFirstValue(WebmailClaimTypes.Method) ?? "");
    }

    /// <summary>The identifier with its middle hidden, for display: <c>8997•••••015</c>.</summary>
    public string MaskedIdNat => IdNat.Length <= 7 ? new string('•', IdNat.Length) : IdNat[..4] + new string('•', IdNat.Length - 7) + IdNat[^3..];
}
