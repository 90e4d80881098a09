using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.Web.Virtualization;
using Microsoft.JSInterop;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Compose;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Mail;

/// <summary>
/// The mail page: folders of the own and delegated mailboxes, the virtualized list of the
/// selected folder, the reading pane and the compose form. All mail goes through the circuit's
/// <see cref="MailSession"/>; live changes arrive through its <see cref="MailSession.Changed"/> event.
/// </summary>
public partial class MailPage
{
    internal sealed record SortChoice(MailSortKey Key, string Label);

    internal static readonly IReadOnlyList<SortChoice> SortChoices =
    [
        new(MailSortKey.Date, "Date"),
        new(MailSortKey.From, "Expéditeur"),
        new(MailSortKey.Subject, "Objet"),
        new(MailSortKey.Size, "Taille"),
    ];

    private Virtualize<MessageSummary>? _rows;
    private uint? _anchor;
    private uint? _dragged;
    private int _listVersion;
    private IJSObjectReference? _module;

    [Inject] private MailSession Session { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<MailPage> Logger { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    private WebmailIdentity? Identity { get; set; }
    private bool Ready { get; set; }
    private bool FoldersOpen { get; set; }
    private string? Error { get; set; }
    private string? Notice { get; set; }
    private HashSet<uint> Selected { get; } = [];
    private uint? OpenUid { get; set; }
    private MimeMessage? Reading { get; set; }
    private byte[]? ReadingRaw { get; set; }
    private ComposeModel? Compose { get; set; }
    private string ListKey => (Session.CurrentFolder?.ImapName ?? "") + "#" + _listVersion;

    /// <summary>The messages an action applies to: the ticked ones, else the open one.</summary>
    private IReadOnlyCollection<uint> Targets => Selected.Count > 0 ? Selected : OpenUid is { } u ? [u] : [];

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        Identity = WebmailIdentity.FromPrincipal(state?.User);
        if (Identity is null || Identity.Mailboxes.Count == 0)
        {
            Error = "Aucune boîte aux lettres n'est associée à votre identité.";
            return;
        }
        Session.Changed += OnSessionChanged;
        await Guard(async () =>
        {
            await Session.StartAsync(new MailUser(Identity.IdNat, Identity.Mailboxes[0]), Identity.Mailboxes);
            var inbox = Session.FolderFor(Identity.Mailboxes[0], "inbox") ?? Session.Folders.FirstOrDefault();
            if (inbox is not null)
            {
                await Session.OpenFolderAsync(inbox.ImapName);
            }
        });
        // A live change may have rendered the list before its order was known: start it afresh.
        _listVersion++;
        Ready = true;
    }

    private void OnSessionChanged(MailSessionChange change)
    {
        _ = InvokeAsync(async () =>
        {
            if (OpenUid is { } open && !Session.OrderedUids.Contains(open) && !Session.Holds(open) && change.ListChanged && Session.Search is null)
            {
                // The open message is gone (deleted here or by another client): never show it again.
                // Asked of the folder's view too: the order can lack a message for a moment while
                // it is being recomputed, and that must not close what the user just opened.
                CloseReading();
            }
            Selected.RemoveWhere(u => !Session.OrderedUids.Contains(u));
            if (change.ListChanged && _rows is not null)
            {
                await _rows.RefreshDataAsync();
            }
            StateHasChanged();
            if (change.NewMessages > 0)
            {
                // After the render: the page (folders, unread counts) must not wait on the browser's answer.
                await NotifyAsync();
            }
        });
    }

    private async Task NotifyAsync()
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./assets/js/mail.js");
            await _module.InvokeVoidAsync("notify");
        }
        catch (JSException)
        {
            // notifications are optional
        }
        catch (JSDisconnectedException)
        {
        }
    }

    private async ValueTask<ItemsProviderResult<MessageSummary>> LoadRows(ItemsProviderRequest request)
    {
        try
        {
            var rows = await Session.GetRowsAsync(request.StartIndex, request.Count, request.CancellationToken);
            return new ItemsProviderResult<MessageSummary>(rows, Session.Count);
        }
        catch (Exception e) when (e is MailCommandException or MailProtocolException)
        {
            Error = Describe(e);
            return new ItemsProviderResult<MessageSummary>([], 0);
        }
        catch (OperationCanceledException) when (request.CancellationToken.IsCancellationRequested)
        {
            // The session cancels through a linked token; Virtualize ignores only a cancellation
            // carrying its own request's token and lets any other one end the circuit.
            throw new OperationCanceledException(request.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The session is closing with the circuit: nothing left to show.
            return new ItemsProviderResult<MessageSummary>([], 0);
        }
        catch (Exception e)
        {
            // Virtualize would rethrow it from its next render and end the circuit: the page would
            // go on showing rows that no longer answer. Say it instead; the next refresh tries again.
            LogRowsFailed(Logger, e);
            Error = Describe(e);
            return new ItemsProviderResult<MessageSummary>([], Session.Count);
        }
    }

    [LoggerMessage(EventId = 6150, Level = LogLevel.Error, Message = "Reading the rows of the message list failed")]
    private static partial void LogRowsFailed(ILogger logger, Exception exception);

    private async Task OpenFolder(MailFolder folder)
    {
        FoldersOpen = false;
        CloseReading();
        Compose = null;
        Selected.Clear();
        await Guard(() => Session.OpenFolderAsync(folder.ImapName));
        _listVersion++;
    }

    private async Task Open(uint uid)
    {
        Compose = null;
        OpenUid = uid;
        _anchor = uid;
        await Guard(async () =>
        {
            var loaded = await Session.LoadMessageAsync(uid, markSeen: true);
            if (OpenUid != uid)
            {
                // Another message was opened, or this one closed (deleted elsewhere), while it loaded.
                return;
            }
            if (loaded is null)
            {
                CloseReading();
                Notice = "Ce message n'existe plus.";
                return;
            }
            (Reading, ReadingRaw) = (loaded.Message, loaded.Raw);
            // Shown now: the consultation's audit entry (being written) and the read receipt need not
            // precede it. The row's \Seen mark is in this render too: the session updated the row
            // the list holds, so the list is not asked for its rows again.
            StateHasChanged();
            await loaded.Recorded;
            if (OpenUid == uid)
            {
                // Not for a message left meanwhile: its receipt question would show on the next one.
                await ReceiptsAfterOpenAsync(uid);
            }
        });
    }

    private void CloseReading()
    {
        ResetReceipts();
        OpenUid = null;
        Reading = null;
        ReadingRaw = null;
    }

    /// <summary>A row's checkbox: the state the browser shows is the one kept (never a toggle of what the server thinks).</summary>
    private void SetSelected((uint Uid, bool Selected) change)
    {
        if (change.Selected)
        {
            Selected.Add(change.Uid);
        }
        else
        {
            Selected.Remove(change.Uid);
        }
    }

    private void StartDrag(uint uid) => _dragged = uid;

    private async Task MoveSelectedTo(MailFolder destination)
    {
        IReadOnlyCollection<uint> uids = _dragged is { } d && !Selected.Contains(d) ? [d] : Targets.ToList();
        _dragged = null;
        await MoveAsync(uids, destination.ImapName, $"Déplacé vers « {destination.Label} ».");
    }

    private async Task MoveFromMenu(ChangeEventArgs e)
    {
        var name = e.Value as string;
        var destination = Session.Folders.FirstOrDefault(f => f.ImapName == name);
        if (destination is not null)
        {
            await MoveAsync(Targets.ToList(), destination.ImapName, $"Déplacé vers « {destination.Label} ».");
        }
    }

    private async Task MoveAsync(IReadOnlyCollection<uint> uids, string destination, string notice)
    {
        if (uids.Count == 0)
        {
            return;
        }
        var closing = OpenUid is { } o && uids.Contains(o);
        await Guard(() => Session.MoveAsync(uids, destination));
        if (Error is null)
        {
            Notice = notice;
            Selected.Clear();
            if (closing)
            {
                CloseReading();
            }
        }
    }

    private async Task Delete()
    {
        var uids = Targets.ToList();
        var closing = OpenUid is { } o && uids.Contains(o);
        var inTrash = Session.CurrentFolder?.Role == "trash";
        await Guard(() => Session.DeleteAsync(uids));
        if (Error is null)
        {
            Notice = inTrash ? "Supprimé définitivement." : "Déplacé dans la corbeille.";
            Selected.Clear();
            if (closing)
            {
                CloseReading();
            }
        }
    }

    private async Task Archive()
    {
        var current = Session.CurrentFolder;
        var archive = current is null ? null : Session.FolderFor(current.Mailbox, "archive");
        if (archive is null)
        {
            Error = "Cette boîte aux lettres n'a pas de dossier Archives.";
            return;
        }
        await MoveAsync(Targets.ToList(), archive.ImapName, "Archivé.");
    }

    private Task SetSeen(bool seen) => Guard(() => Session.SetFlagAsync(Targets.ToList(), ImapFlags.Seen, seen));

    private async Task ToggleFlag()
    {
        var targets = Targets.ToList();
        var allFlagged = targets.All(u => Session.Find(u)?.IsFlagged ?? false);
        await Guard(() => Session.SetFlagAsync(targets, ImapFlags.Flagged, !allFlagged));
    }

    private async Task Sort(MailSortKey key, bool descending)
    {
        await Guard(() => Session.SortAsync(key, descending));
        _listVersion++;
    }

    /// <summary>Conversation view on or off (offered only when the server has THREAD).</summary>
    private async Task ToggleThreads(ChangeEventArgs e)
    {
        await Guard(() => Session.SetThreadedAsync(e.Value is true));
        _listVersion++;
    }

    private async Task Search(MailSearch? search)
    {
        CloseReading();
        Selected.Clear();
        await Guard(() => Session.SearchAsync(search));
        _listVersion++;
    }

    private Task CreateFolder((string Mailbox, string Name) request) => Guard(() => Session.CreateFolderAsync(request.Mailbox, request.Name));

    /// <summary>Renames a folder; the open one stays open under its new name.</summary>
    private async Task RenameFolder((MailFolder Folder, string Name) request)
    {
        var wasCurrent = Session.CurrentFolder?.ImapName == request.Folder.ImapName;
        string? renamed = null;
        await Guard(async () => renamed = await Session.RenameFolderAsync(request.Folder, request.Name));
        if (renamed is not null && wasCurrent && Session.Folders.FirstOrDefault(f => f.ImapName == renamed) is { } folder)
        {
            await OpenFolder(folder);
        }
    }

    private async Task DeleteFolder(MailFolder folder)
    {
        var wasCurrent = Session.CurrentFolder?.ImapName == folder.ImapName;
        await Guard(() => Session.DeleteFolderAsync(folder));
        if (wasCurrent && Session.FolderFor(folder.Mailbox, "inbox") is { } inbox)
        {
            await OpenFolder(inbox);
        }
    }

    /// <summary>Keyboard shortcuts of the list: arrows/j/k move, Entrée opens, Suppr deletes, r/a/f answer, u unread, s flag, a archive.</summary>
    private async Task OnKey(KeyboardEventArgs e)
    {
        var order = Session.OrderedUids;
        var index = OpenUid is { } o ? IndexOf(order, o) : -1;
        switch (e.Key)
        {
            case "ArrowDown" or "j" when order.Count > 0:
                await Open(order[Math.Min(index + 1, order.Count - 1)]);
                break;
            case "ArrowUp" or "k" when order.Count > 0:
                await Open(order[Math.Max(index - 1, 0)]);
                break;
            case "Delete" or "#":
                await Delete();
                break;
            case "r" when Reading is not null:
                Reply(false);
                break;
            case "R" when Reading is not null:
                Reply(true);
                break;
            case "f" when Reading is not null:
                Forward(false);
                break;
            case "u":
                await SetSeen(false);
                break;
            case "s":
                await ToggleFlag();
                break;
            case "e":
                await Archive();
                break;
            case "n":
                NewMessage();
                break;
        }
    }

    private static int IndexOf(IReadOnlyList<uint> list, uint uid)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == uid)
            {
                return i;
            }
        }
        return -1;
    }

    private async Task Guard(Func<Task> action)
    {
        Error = null;
        Notice = null;
        try
        {
            await action();
        }
        catch (Exception e) when (e is MailCommandException or MailProtocolException or InvalidOperationException or IOException or System.Net.Sockets.SocketException or System.Security.Authentication.AuthenticationException)
        {
            Error = Describe(e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        ImapCommandException c when c.ResponseCode == "ALREADYEXISTS" => "Un dossier de ce nom existe déjà.",
        ImapCommandException c when c.ResponseCode == "NONEXISTENT" => "Ce dossier n'existe plus.",
        ImapCommandException c when c.ResponseCode is "NOPERM" or "CANNOT" => "Le serveur refuse cette opération (droits insuffisants ou dossier protégé).",
        MailCommandException c => "Le serveur de messagerie a refusé l'opération (motif du serveur : " + c.ServerText + ").",
        MailProtocolException or IOException or System.Net.Sockets.SocketException => "La connexion au serveur de messagerie a été perdue. Réessayez dans quelques instants.",
        System.Security.Authentication.AuthenticationException => "La connexion sécurisée au serveur de messagerie a échoué (certificat non reconnu).",
        _ => "Une erreur inattendue s'est produite. Si elle se reproduit, contactez votre support.",
    };

    private async Task EnableNotifications()
    {
        try
        {
            _module ??= await JS.InvokeAsync<IJSObjectReference>("import", "./assets/js/mail.js");
            await _module.InvokeVoidAsync("askPermission");
        }
        catch (JSException)
        {
            // notifications are optional
        }
    }

    public async ValueTask DisposeAsync()
    {
        Session.Changed -= OnSessionChanged;
        if (_module is not null)
        {
            try
            {
                await _module.DisposeAsync();
            }
            catch (JSDisconnectedException)
            {
                // the circuit is gone
            }
        }
        GC.SuppressFinalize(this);
    }
}
