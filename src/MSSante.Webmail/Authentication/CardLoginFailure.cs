using System.Globalization;

namespace MSSante.Webmail.Authentication;

/// <summary>Why a card login was refused: a stable code for logs and tests, and the French message the user reads.</summary>
/// <param name="Code">Stable code, e.g. <c>revoked</c>.</param>
/// <param name="Message">French text shown on the login page.</param>
public sealed record CardLoginFailure(string Code, string Message)
{
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    internal static CardLoginFailure BadRequest() => new("bad_request", "La demande de connexion est incomplète ou illisible. Veuillez recommencer.");
    internal static CardLoginFailure OriginNotAllowed() => new("origin_not_allowed", "Ce site n'est pas configuré pour la connexion par carte CPS.");
    internal static CardLoginFailure ChallengeUnknown() => new("challenge_unknown", "Ce défi de connexion est inconnu ou a déjà été utilisé. Veuillez recommencer la connexion.");
    internal static CardLoginFailure ChallengeAltered() => new("challenge_altered", "Le défi de connexion a été modifié. Connexion refusée.");
    internal static CardLoginFailure ChallengeOrigin() => new("challenge_origin", "Ce défi de connexion a été émis pour un autre site. Connexion refusée.");
    internal static CardLoginFailure ChallengeExpired() => new("challenge_expired", "Le délai de connexion est dépassé : le défi a expiré. Veuillez recommencer.");
    internal static CardLoginFailure CertificateUnreadable() => new("certificate_invalid", "Le certificat transmis par la carte est illisible. Connexion refusée.");
    internal static CardLoginFailure SelfSigned() => new("self_signed", "Ce certificat est auto-signé : il ne provient pas d'une carte CPS. Connexion refusée.");
    internal static CardLoginFailure Expired(DateTime notAfter) => new("expired",
        $"Votre carte a expiré le {notAfter.ToString("d MMMM yyyy", French)}. Commandez une nouvelle carte CPS auprès de l'ANS.");
    internal static CardLoginFailure NotYetValid(DateTime notBefore) => new("not_yet_valid",
        $"Le certificat de votre carte ne sera valide qu'à partir du {notBefore.ToString("d MMMM yyyy", French)}. Si la date est passée, vérifiez la date et l'heure de votre ordinateur.");
    internal static CardLoginFailure UnknownIssuer() => new("unknown_issuer", "Cette carte n'a pas été émise par une autorité de confiance IGC-Santé. Connexion refusée.");
    internal static CardLoginFailure Tampered() => new("tampered", "La chaîne de certificats de la carte a été altérée. Connexion refusée.");
    internal static CardLoginFailure KeyUsage() => new("key_usage", "Ce certificat ne permet pas l'authentification (usage de clé incorrect). Utilisez le certificat d'authentification de la carte.");
    internal static CardLoginFailure Revoked() => new("revoked", "Cette carte a été révoquée (mise en opposition). Connexion refusée.");
    internal static CardLoginFailure CrlUnavailable() => new("crl_unavailable",
        "La liste de révocation des cartes est absente ou périmée : la connexion par carte est impossible pour le moment. Contactez votre administrateur.");
    internal static CardLoginFailure SignatureInvalid() => new("signature_invalid", "La signature ne correspond pas au certificat de la carte. Connexion refusée.");
    internal static CardLoginFailure Algorithm() => new("algorithm", "Algorithme de signature non pris en charge.");
    internal static CardLoginFailure NoIdentity() => new("identity", "Le certificat ne contient pas d'identifiant national de professionnel de santé.");
    internal static CardLoginFailure NoMailbox(string maskedId) => new("no_mailbox", $"Aucune boîte aux lettres MSSanté n'est associée à votre carte ({maskedId}).");
}
