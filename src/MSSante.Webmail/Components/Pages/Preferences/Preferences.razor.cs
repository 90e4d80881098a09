using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.Preferences;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Compose;
using MSSante.Webmail.Mail.Receipts;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Preferences;

/// <summary>
/// The practitioner's preferences, kept per national id in the database: how read receipt
/// requests are answered (ask, always, never) and the signature of each mailbox they write from.
/// </summary>
public partial class Preferences
{
    internal static readonly IReadOnlyList<(ReadReceiptPolicy Value, string Label)> PolicyChoices =
    [
        (ReadReceiptPolicy.Ask, "me demander à chaque fois"),
        (ReadReceiptPolicy.Always, "toujours l'envoyer"),
        (ReadReceiptPolicy.Never, "ne jamais l'envoyer"),
    ];

    [Inject] private ReadReceiptService Receipts { get; set; } = default!;
    [Inject] private IDbContextFactory<MSSanteDbContext> DbFactory { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private WebmailIdentity? Identity { get; set; }
    private bool Ready { get; set; }
    private bool Busy { get; set; }
    private string? Error { get; set; }
    private ReadReceiptPolicy Policy { get; set; } = ReadReceiptPolicy.Ask;
    private string? PolicyNotice { get; set; }
    private List<string> Mailboxes { get; } = [];
    private Dictionary<string, string> Signatures { get; } = new(StringComparer.OrdinalIgnoreCase);
    private Dictionary<string, string> SignatureStatus { get; } = new(StringComparer.OrdinalIgnoreCase);

    private MailUser? User => Identity is { Mailboxes.Count: > 0 } i ? new MailUser(i.IdNat, i.Mailboxes[0]) : null;

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        Identity = WebmailIdentity.FromPrincipal(state?.User);
        if (User is not { } user)
        {
            Error = "Aucune boîte aux lettres n'est associée à votre identité.";
            Ready = true;
            return;
        }
        try
        {
            Policy = await Receipts.GetPolicyAsync(user.IdNat);
            var stored = await MailboxSignatures.LoadAsync(DbFactory, user.IdNat);
            // The mailboxes of this sign-in, then any other one a signature was kept for (a
            // delegation since withdrawn keeps its signature until it is emptied here).
            foreach (var mailbox in Identity!.Mailboxes.Concat(stored.Keys.Order(StringComparer.Ordinal)))
            {
                if (!Mailboxes.Contains(mailbox, StringComparer.OrdinalIgnoreCase))
                {
                    Mailboxes.Add(mailbox);
                    Signatures[mailbox] = stored.TryGetValue(mailbox, out var text) ? text : "";
                }
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
        {
            Error = "Vos préférences n'ont pas pu être chargées. Réessayez dans quelques instants.";
        }
        Ready = true;
    }

    private async Task SetPolicy(ReadReceiptPolicy policy)
    {
        if (User is not { } user)
        {
            return;
        }
        Busy = true;
        PolicyNotice = null;
        try
        {
            await Receipts.SetPolicyAsync(user.IdNat, policy);
            Policy = policy;
            PolicyNotice = "Choix des accusés de lecture enregistré.";
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            PolicyNotice = "Le choix n'a pas pu être enregistré. Réessayez.";
        }
        finally
        {
            Busy = false;
        }
    }

    private async Task SaveSignature(string mailbox)
    {
        if (User is not { } user)
        {
            return;
        }
        Busy = true;
        try
        {
            await MailboxSignatures.SaveAsync(DbFactory, user.IdNat, mailbox, Signatures[mailbox]);
            Signatures[mailbox] = Signatures[mailbox].ReplaceLineEndings("\n").Trim();
            SignatureStatus[mailbox] = Signatures[mailbox].Length == 0
                ? $"Signature supprimée pour {mailbox}."
                : $"Signature enregistrée pour {mailbox}.";
        }
        catch (ArgumentException e)
        {
            SignatureStatus[mailbox] = e.Message.Split(" (Parameter", 2)[0];
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            SignatureStatus[mailbox] = "La signature n'a pas pu être enregistrée. Réessayez.";
        }
        finally
        {
            Busy = false;
        }
    }
}
