using Microsoft.AspNetCore.Components;

namespace MSSante.Webmail.Components;

/// <summary>
/// The webmail's own browser events (registered in assets/js/events.js before the circuit starts).
/// On a message row: <c>@onmailrowclick</c> (click), <c>@onmailrowcheck</c> (its checkbox changed),
/// <c>@onmailrowdragstart</c> (drag started), each carrying the UID the row showed in the browser at
/// that instant. On a folder: <c>@onmailfolderclick</c> and <c>@onmailfolderdrop</c>, carrying the
/// folder the button showed.
/// </summary>
[EventHandler("onmailrowclick", typeof(MailRowEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
[EventHandler("onmailrowcheck", typeof(MailRowEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
[EventHandler("onmailrowdragstart", typeof(MailRowEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
[EventHandler("onmailfolderclick", typeof(MailFolderEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
[EventHandler("onmailfolderdrop", typeof(MailFolderEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers;

/// <summary>
/// An action on a message row. The UID is read from the row's <c>data-uid</c> in the browser, so
/// the message opened, ticked or dragged is the one the user saw, even when the list was re-rendered
/// on the server (new mail, another client's changes) before the event reached it: a handler that
/// asked the row component instead would act on whatever message the server now holds at that place.
/// 0 when the event was not on a row showing a message (a placeholder).
/// </summary>
public sealed class MailRowEventArgs : EventArgs
{
    public uint Uid { get; set; }

    /// <summary>For <c>onmailrowcheck</c>: whether the row's checkbox is now ticked.</summary>
    public bool Checked { get; set; }
}

/// <summary>
/// An action on a folder button: the folder's IMAP name as the button showed it in the browser
/// (its <c>data-folder</c>), so a click or a drop of messages goes to the folder the user saw even
/// when the folder list changed on the server meanwhile (a folder created elsewhere, a service
/// mailbox delegated or withdrawn).
/// </summary>
public sealed class MailFolderEventArgs : EventArgs
{
    public string? Folder { get; set; }
}
