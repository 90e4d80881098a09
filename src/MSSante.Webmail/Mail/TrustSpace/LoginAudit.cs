using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Authentication.Cookies;
using MSSante.Domain.Audit;
using MSSante.Domain.Identity;
using MSSante.Webmail.Authentication;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>Login and failed login in the audit trail.</summary>
public static class LoginAudit
{
    /// <summary>The author recorded when a refused login names nobody readable.</summary>
    public const string UnknownAuthor = "inconnu";

    /// <summary>
    /// Records every sign-in (card or demo) when the session cookie is issued, on the person's
    /// own mailbox; the chained handler keeps whatever the session registration set.
    /// </summary>
    public static void AuditSignIns(CookieAuthenticationOptions cookie)
    {
        ArgumentNullException.ThrowIfNull(cookie);
        var previous = cookie.Events.OnSignedIn;
        cookie.Events.OnSignedIn = async context =>
        {
            await previous(context);
            var identity = WebmailIdentity.FromPrincipal(context.Principal);
            if (identity is null || identity.Mailboxes.Count == 0)
            {
                return;
            }
            var audit = context.HttpContext.RequestServices.GetRequiredService<MailAudit>();
            await audit.RecordAsync(new AuditRecord(identity.IdNat, identity.Mailboxes[0], AuditAction.Connexion, true,
                Detail: "methode=" + identity.Method));
        };
    }

    /// <summary>
    /// Records a refused card login under the national id the certificate claims (not proven,
    /// hence the detail says so), on that person's own mailbox when known.
    /// </summary>
    public static async Task RecordCardFailureAsync(HttpContext context, CardLoginRequest request, CardLoginFailure failure)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(failure);
        var claimed = ClaimedIdNat(request);
        var mailbox = claimed is null ? null : context.RequestServices.GetRequiredService<IMailboxDirectory>().FindMailboxes(claimed).FirstOrDefault();
        var audit = context.RequestServices.GetRequiredService<MailAudit>();
        await audit.RecordAsync(new AuditRecord(claimed ?? UnknownAuthor, mailbox ?? "inconnue", AuditAction.EchecConnexion, false,
            ServerResponse: failure.Code, Detail: claimed is null ? "methode=cps" : "methode=cps; identite annoncee par le certificat, non verifiee"));
    }

    private static string? ClaimedIdNat(CardLoginRequest request)
    {
        var first = request.Certificates?.FirstOrDefault();
        if (string.IsNullOrEmpty(first))
        {
            return null;
        }
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(first));
            return CpsIdentityReader.Read(certificate.SubjectName.RawData).IdNat;
        }
        catch (Exception e) when (e is FormatException or CryptographicException or CpsIdentityException)
        {
            return null;
        }
    }
}
