namespace MSSante.Domain.Audit;

/// <summary>
/// Kinds of traced action on a mailbox (MSSanté traceability: consultation, sending and
/// deletion at the very least). Stored by name: never renumber or rename a member.
/// </summary>
public enum AuditAction
{
    /// <summary>A message was opened.</summary>
    Consultation = 1,

    /// <summary>A message was sent.</summary>
    Envoi = 2,

    /// <summary>A message was deleted (expunged or moved to the bin).</summary>
    Suppression = 3,

    /// <summary>A message was moved to another folder.</summary>
    Deplacement = 4,

    /// <summary>The owner granted a delegate access to the mailbox.</summary>
    DelegationAccordee = 5,

    /// <summary>The owner withdrew a delegate's access.</summary>
    DelegationRetiree = 6,

    /// <summary>A successful login.</summary>
    Connexion = 7,

    /// <summary>A failed login.</summary>
    EchecConnexion = 8,

    /// <summary>An explicit logout or a session ended by card removal.</summary>
    Deconnexion = 9,

    /// <summary>An attachment was downloaded.</summary>
    Telechargement = 10,

    /// <summary>A document was exported to the practice software.</summary>
    IntegrationDossier = 11,

    /// <summary>The absence settings (auto-reply, forwarding) changed.</summary>
    ModificationAbsence = 12,

    /// <summary>A read receipt (MDN) was sent.</summary>
    AccuseLecture = 13,
}
