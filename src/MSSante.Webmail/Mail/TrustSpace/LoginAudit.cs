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

    /// <summary>Detail value naming the IMAP login of a failed operator login.</summary>
    public const string ImapProtocol = "imap";

    /// <summary>Detail value naming the SMTP submission login of a failed operator login.</summary>
    public const string SmtpProtocol = "smtp";

    /// <summary>Why a session ended, as kept in the detail of a logout entry.</summary>
    public const string SignOutReason = "deconnexion";

    /// <summary>The session ended because the card left the reader.</summary>
    public const string CardRemovedReason = "retrait-carte";

    /// <summary>
    /// Records the end of the signed-in session of <paramref name="context"/> (an explicit logout,
    /// or the card leaving the reader), on the person's own mailbox. Call it before signing out:
    /// afterwards the request no longer says who it was. Does nothing for an anonymous request.
    /// </summary>
    public static async Task RecordSignOutAsync(HttpContext context, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var identity = WebmailIdentity.FromPrincipal(context.User);
        if (identity is null || identity.Mailboxes.Count == 0)
        {
            return;
        }
        var audit = context.RequestServices.GetRequiredService<MailAudit>();
        await audit.RecordAsync(new AuditRecord(identity.IdNat, identity.Mailboxes[0], AuditAction.Deconnexion, true,
            Detail: $"methode={identity.Method}; motif={reason}"));
    }

    /// <summary>
    /// Records that the operator refused the webmail's token for <paramref name="user"/> (IMAP
    /// or SMTP login): the person, the mailbox, the protocol and the server's answer, never
    /// the token.
    /// </summary>
    public static Task RecordOperatorRefusalAsync(MailAudit audit, MailUser user, string protocol, MSSante.Mail.MailCommandException refusal)
    {
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(refusal);
        return audit.RecordAsync(new AuditRecord(user.IdNat, user.Address, AuditAction.EchecConnexion, false,
            ServerResponse: ServerAnswer(refusal), Detail: $"methode=oauthbearer; protocole={protocol}"));
    }

    /// <summary>The refusal as the server put it: IMAP status and response code, or SMTP reply and enhanced codes, then the text.</summary>
    internal static string ServerAnswer(MSSante.Mail.MailCommandException refusal) => refusal switch
    {
        MSSante.Mail.ImapCommandException imap => string.Join(' ', new[]
        {
            imap.Status.ToString().ToUpperInvariant(),
            imap.ResponseCode is null ? null : "[" + imap.ResponseCode + "]",
            imap.ServerText,
        }.Where(p => !string.IsNullOrEmpty(p))),
        MSSante.Mail.SmtpCommandException smtp => string.Join(' ', new[]
        {
            smtp.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
            smtp.EnhancedCode,
            smtp.ServerText,
        }.Where(p => !string.IsNullOrEmpty(p))),
        _ => refusal.ServerText,
    };

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
