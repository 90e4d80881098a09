using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Absence;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Absence;

/// <summary>
/// The absence page: auto-reply dates, subject and text, optional copy to a colleague, written
/// as a Sieve script through ManageSieve. (The read receipt choice lives on the preferences page.)
/// </summary>
public partial class Absence
{
    [Inject] private AbsenceService Service { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private WebmailIdentity? Identity { get; set; }
    private bool Ready { get; set; }
    private bool Offered { get; set; }
    private bool Busy { get; set; }
    private string? Error { get; set; }
    private string? Notice { get; set; }
    private string? OtherActiveScript { get; set; }
    private bool Enabled { get; set; }
    private DateOnly Start { get; set; } = DateOnly.FromDateTime(DateTime.Today);
    private DateOnly End { get; set; } = DateOnly.FromDateTime(DateTime.Today.AddDays(7));
    private string Subject { get; set; } = "Absence";
    private string Message { get; set; } = "";
    private string? RedirectTo { get; set; }
    private string? ContactAddress { get; set; }
    private bool ShowInDirectory { get; set; } = true;

    private MailUser? User => Identity is { Mailboxes.Count: > 0 } i ? new MailUser(i.IdNat, i.Mailboxes[0]) : null;

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        Identity = WebmailIdentity.FromPrincipal(state?.User);
        Offered = Service.IsOffered;
        if (User is not { } user)
        {
            Error = "Aucune boîte aux lettres n'est associée à votre identité.";
            Ready = true;
            return;
        }
        Message = DefaultMessage();
        if (Offered)
        {
            try
            {
                var loaded = await Service.LoadAsync(user);
                OtherActiveScript = loaded.OtherActiveScript;
                if (loaded.Settings is { } s)
                {
                    Enabled = loaded.Active && s.Enabled;
                    Start = s.Start;
                    End = s.End;
                    Subject = s.Subject;
                    Message = s.Message;
                    RedirectTo = s.RedirectTo;
                    ContactAddress = s.ContactAddress;
                    ShowInDirectory = s.ShowInDirectory;
                }
            }
            catch (AbsenceException e)
            {
                Error = e.Message;
            }
        }
        Ready = true;
    }

    private async Task Save()
    {
        if (User is not { } user)
        {
            return;
        }
        Busy = true;
        Error = null;
        Notice = null;
        try
        {
            var settings = new AbsenceSettings
            {
                Enabled = Enabled,
                Start = Start,
                End = End,
                Subject = Subject.Trim(),
                Message = Message.Trim(),
                RedirectTo = string.IsNullOrWhiteSpace(RedirectTo) ? null : RedirectTo.Trim(),
                ContactAddress = string.IsNullOrWhiteSpace(ContactAddress) ? null : ContactAddress.Trim(),
                ShowInDirectory = ShowInDirectory,
            };
            await Service.SaveAsync(user, Identity?.DisplayName, settings);
            Notice = Enabled
                ? $"Réponse automatique enregistrée : du {Start:dd/MM/yyyy} au {End:dd/MM/yyyy} inclus." + (ShowInDirectory ? " L'annuaire signale votre absence pendant cette période." : "")
                : "Réponse automatique désactivée.";
        }
        catch (AbsenceException e)
        {
            Error = e.Message;
        }
        finally
        {
            Busy = false;
        }
    }

    private string DefaultMessage() =>
        "Bonjour,\n\nJe suis absent(e) et ne lis pas ma messagerie pendant cette période. " +
        "Pour toute urgence, contactez le secrétariat ou un confrère.\n\n" + (Identity?.DisplayName ?? "");
}
