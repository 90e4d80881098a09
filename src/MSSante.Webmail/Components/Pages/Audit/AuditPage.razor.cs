using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MSSante.Domain.Audit;
using MSSante.Mail;
using MSSante.Webmail.Endpoints.Audit;
using MSSante.Webmail.Hosting;
using MSSante.Webmail.Mail.TrustSpace;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Audit;

/// <summary>
/// "Who accessed my mailboxes": the audit trail of the practitioner's own mailbox and of the
/// service mailboxes they administer, filtered by mailbox, dates and action, with CSV export.
/// </summary>
public partial class AuditPage
{
    private const int PageSize = 50;
    private static readonly CultureInfo French = CultureInfo.GetCultureInfo("fr-FR");

    [Inject] private IAuditTrail Trail { get; set; } = default!;
    [Inject] private DelegationService Delegations { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private bool Ready { get; set; }
    private string? Error { get; set; }
    private string? Me { get; set; }
    private IReadOnlyList<string> Visible { get; set; } = [];
    private List<AuditEntry> Entries { get; } = [];
    private bool HasMore { get; set; }
    private int _page;
    private string Mailbox { get; set; } = "";
    private DateOnly? From { get; set; }
    private DateOnly? To { get; set; }
    private string ActionName { get; set; } = "";

    private AuditAction? SelectedAction => Enum.TryParse<AuditAction>(ActionName, out var a) ? a : null;

    private string ExportHref
    {
        get
        {
            var query = new List<string>();
            if (!string.IsNullOrEmpty(Mailbox))
            {
                query.Add("boite=" + Uri.EscapeDataString(Mailbox));
            }
            if (From is { } f)
            {
                query.Add("du=" + f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            if (To is { } t)
            {
                query.Add("au=" + t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            if (SelectedAction is { } a)
            {
                query.Add("action=" + a);
            }
            return AuditEndpoints.ExportPath + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        }
    }

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        var identity = WebmailIdentity.FromPrincipal(state?.User);
        if (identity is null || identity.Mailboxes.Count == 0)
        {
            Error = "Aucune boîte aux lettres n'est associée à votre identité.";
            return;
        }
        Me = identity.IdNat;
        try
        {
            Visible = await AuditScope.VisibleMailboxesAsync(identity, Delegations, CancellationToken.None);
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The operator is unreachable: the own mailbox's entries are still the person's to see.
            Visible = [identity.Mailboxes[0]];
            Error = "Le serveur de messagerie ne répond pas : seules les entrées de votre boîte personnelle sont affichées.";
        }
        await ApplyAsync();
        Ready = true;
    }

    private async Task ApplyAsync()
    {
        _page = 0;
        Entries.Clear();
        await LoadAsync();
    }

    private async Task MoreAsync()
    {
        _page++;
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        try
        {
            var result = await Trail.QueryAsync(AuditScope.Query(Visible, Mailbox, From, To, SelectedAction, _page, PageSize));
            Entries.AddRange(result.Entries);
            HasMore = result.HasMore;
        }
        catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            Error = UserFacingErrors.Describe(e);
        }
    }

    private static string Local(DateTime utc) =>
        TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), AuditScope.FrenchTime).ToString("dd/MM/yyyy HH:mm:ss", French);

    internal static string Label(AuditAction action) => action switch
    {
        AuditAction.Consultation => "Consultation",
        AuditAction.Envoi => "Envoi",
        AuditAction.Suppression => "Suppression",
        AuditAction.Deplacement => "Déplacement",
        AuditAction.DelegationAccordee => "Délégation accordée",
        AuditAction.DelegationRetiree => "Délégation retirée",
        AuditAction.Connexion => "Connexion",
        AuditAction.EchecConnexion => "Échec de connexion",
        AuditAction.Deconnexion => "Déconnexion",
        AuditAction.Telechargement => "Téléchargement",
        AuditAction.IntegrationDossier => "Intégration au dossier",
        AuditAction.ModificationAbsence => "Absence modifiée",
        AuditAction.AccuseLecture => "Accusé de lecture",
        _ => action.ToString(),
    };
}
