using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Mailbox;

/// <summary>
/// The mail shell: mailboxes and folders, the message list, the reading pane. The folders are
/// the special-use ones every MSSanté mailbox of the operator has (RFC 6154); messages come
/// with the IMAP client.
/// </summary>
public partial class Mailbox
{
    internal sealed record Folder(string ImapName, string Label, string Icon);

    internal static readonly IReadOnlyList<Folder> StandardFolders =
    [
        new("INBOX", "Boîte de réception", "inbox"),
        new("Drafts", "Brouillons", "draft"),
        new("Sent", "Envoyés", "send"),
        new("Archive", "Archives", "archive"),
        new("Junk", "Indésirables", "report"),
        new("Trash", "Corbeille", "delete"),
    ];

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    private IReadOnlyList<string> Mailboxes { get; set; } = [];

    private string SelectedMailbox { get; set; } = "";

    private Folder SelectedFolder { get; set; } = StandardFolders[0];

    private bool FoldersOpen { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        var identity = WebmailIdentity.FromPrincipal(state?.User);
        Mailboxes = identity?.Mailboxes ?? [];
        SelectedMailbox = Mailboxes.FirstOrDefault() ?? "";
    }

    private void ToggleFolders() => FoldersOpen = !FoldersOpen;

    private void Select(string mailbox, Folder folder)
    {
        SelectedMailbox = mailbox;
        SelectedFolder = folder;
        // On a phone the folder menu covers the list: close it once a folder is chosen.
        FoldersOpen = false;
    }
}
