using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MSSante.Domain.NationalDirectory;
using MSSante.Mail;
using MSSante.Webmail.Hosting;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.TrustSpace;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Delegation;

/// <summary>
/// Where the responsible owner of a service mailbox sees who has access, grants access to a
/// colleague or a secretary found by address (with national directory suggestions) and revokes it.
/// </summary>
public partial class DelegationPage
{
    internal sealed record Suggestion(string Address, string Label);

    [Inject] private DelegationService Delegations { get; set; } = default!;
    [Inject] private IDirectorySearch Directory { get; set; } = default!;
    [Inject] private ILogger<DelegationPage> Logger { get; set; } = default!;
    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }
    [SupplyParameterFromQuery(Name = "boite")] private string? RequestedMailbox { get; set; }

    private MailUser? Owner { get; set; }
    private bool Ready { get; set; }
    private bool Busy { get; set; }
    private string? Error { get; set; }
    private string? Notice { get; set; }
    private IReadOnlyList<string> Owned { get; set; } = [];
    private string? Selected { get; set; }
    private IReadOnlyList<DelegateAccess> Access { get; set; } = [];
    private IReadOnlyList<Suggestion> Suggestions { get; set; } = [];
    private string Address { get; set; } = "";
    private bool Flags { get; set; } = true;
    private bool Insert { get; set; } = true;
    private bool Delete { get; set; } = true;
    private bool Post { get; set; } = true;
    private int _searchVersion;
    private int _addressField;

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        var identity = WebmailIdentity.FromPrincipal(state?.User);
        if (identity is null || identity.Mailboxes.Count == 0)
        {
            Error = "Aucune boîte aux lettres n'est associée à votre identité.";
            return;
        }
        Owner = new MailUser(identity.IdNat, identity.Mailboxes[0]);
        await Guard(async () =>
        {
            Owned = await Delegations.ListOwnedAsync(Owner);
            Selected = Owned.FirstOrDefault(m => m.Equals(RequestedMailbox, StringComparison.OrdinalIgnoreCase)) ?? Owned.FirstOrDefault();
            await LoadAccessAsync();
        });
        Ready = true;
    }

    private async Task SelectMailbox(ChangeEventArgs e)
    {
        Selected = e.Value as string;
        Notice = null;
        await Guard(LoadAccessAsync);
    }

    private async Task LoadAccessAsync()
    {
        Access = Owner is null || Selected is null ? [] : await Delegations.GetAccessAsync(Owner, Selected);
    }

    private async Task AddressChanged(ChangeEventArgs e)
    {
        Address = e.Value as string ?? "";
        var version = ++_searchVersion;
        var text = Address.Trim();
        if (text.Length < 3 || text.Contains('@', StringComparison.Ordinal))
        {
            Suggestions = [];
            return;
        }
        try
        {
            var page = await Directory.SearchAsync(new DirectoryQuery(text, PageSize: 8));
            if (version == _searchVersion)
            {
                Suggestions = page.Entries.Select(d => new Suggestion(d.Address, d.DisplayName)).ToList();
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.Data.Common.DbException or ArgumentException)
        {
            // Suggestions are a help; the address typed in full still works.
            Logger.LogWarning(ex, "Directory suggestions unavailable on the delegation page");
            Suggestions = [];
        }
    }

    private async Task Grant()
    {
        if (Owner is null || Selected is null)
        {
            return;
        }
        var address = Address.Trim();
        var rights = new DelegationRights(true, Flags, Insert, Delete, Post);
        var granted = await Guard(async () =>
        {
            await Delegations.GrantAsync(Owner, Selected, address, rights);
            await LoadAccessAsync();
        });
        if (granted)
        {
            Notice = $"Accès accordé à {address.ToLowerInvariant()} sur {Selected} : {string.Join(", ", rights.Labels())}.";
            Address = "";
            _addressField++;
            Suggestions = [];
        }
    }

    private async Task Revoke(string identifier)
    {
        if (Owner is null || Selected is null)
        {
            return;
        }
        var revoked = await Guard(async () =>
        {
            await Delegations.RevokeAsync(Owner, Selected, identifier);
            await LoadAccessAsync();
        });
        if (revoked)
        {
            Notice = $"Accès de {identifier} à {Selected} retiré. Sa session ouverte perd la boîte de service immédiatement.";
        }
    }

    private async Task<bool> Guard(Func<Task> action)
    {
        Error = null;
        Notice = null;
        Busy = true;
        try
        {
            await action();
            return true;
        }
        catch (DelegationException e)
        {
            Error = e.Message;
        }
        catch (MailCommandException e)
        {
            Error = "Le serveur de messagerie a refusé l'opération (motif du serveur : " + e.ServerText + ").";
        }
        catch (Exception e) when (e is MailProtocolException or IOException or System.Net.Sockets.SocketException or TimeoutException or System.Security.Authentication.AuthenticationException)
        {
            Error = UserFacingErrors.Describe(e is MailProtocolException ? new IOException(e.Message, e) : e);
        }
        finally
        {
            Busy = false;
        }
        return false;
    }
}
