using Microsoft.Extensions.Options;
using MSSante.Domain.TrustSpace;

namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>
/// The checks made before any byte of a message leaves: every recipient (to, cc, bcc) belongs
/// to the MSSanté trust space, and a message sent for a service mailbox comes from someone the
/// operator still lets post for it. The operator's submission server enforces the trust space
/// too (5.7.1); this check explains the refusal before it happens, in French, with a directory
/// suggestion when the national directory knows someone of that name.
/// </summary>
public sealed partial class SendGuard(
    ITrustSpace trustSpace,
    DelegationService delegations,
    IOptions<WebmailTrustSpaceOptions> options,
    ILogger<SendGuard> logger)
{
    /// <summary>
    /// Null when the message may go; otherwise the French explanation naming each refused
    /// address and why it cannot receive.
    /// </summary>
    public async Task<string?> CheckAsync(MailUser user, string fromAddress, IEnumerable<string> recipients, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(recipients);
        if (!fromAddress.Equals(user.Address, StringComparison.OrdinalIgnoreCase)
            && !await delegations.MaySendForAsync(user, fromAddress, cancellationToken))
        {
            return $"Vous n'avez plus le droit d'envoyer au nom de la boîte de service {fromAddress} : son responsable a retiré ou limité votre délégation. Votre message est conservé.";
        }

        var refusals = new List<string>();
        foreach (var address in recipients.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (IsOperatorDomain(address))
            {
                continue;
            }
            TrustSpaceVerdict verdict;
            try
            {
                verdict = await trustSpace.CheckAsync(address, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                LogCheckUnavailable(logger, e);
                return "La vérification de l'espace de confiance MSSanté est momentanément indisponible : le message n'est pas parti. Réessayez dans quelques instants.";
            }
            if (!verdict.Allowed)
            {
                refusals.Add($"L'adresse {verdict.Address} ne peut pas recevoir ce message. {verdict.Message}");
            }
        }
        if (refusals.Count == 0)
        {
            return null;
        }
        LogBlocked(logger, refusals.Count);
        return "Envoi bloqué : " + string.Join(" ", refusals)
            + " Seuls les professionnels de l'espace de confiance MSSanté peuvent recevoir vos messages : corrigez ou retirez "
            + (refusals.Count == 1 ? "ce destinataire." : "ces destinataires.");
    }

    private bool IsOperatorDomain(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && options.Value.OperatorDomains.Contains(address[(at + 1)..], StringComparer.OrdinalIgnoreCase);
    }

    [LoggerMessage(EventId = 7321, Level = LogLevel.Information, Message = "Send blocked before submission: {Count} recipient(s) outside the trust space")]
    private static partial void LogBlocked(ILogger logger, int count);

    [LoggerMessage(EventId = 7322, Level = LogLevel.Error, Message = "Trust space check unavailable; send refused")]
    private static partial void LogCheckUnavailable(ILogger logger, Exception exception);
}
