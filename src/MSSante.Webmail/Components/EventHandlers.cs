using Microsoft.AspNetCore.Components;

namespace MSSante.Webmail.Components;

/// <summary>
/// The webmail's own browser events (registered in assets/js/events.js before the circuit starts).
/// <c>@onmailrowclick</c>: a click on a message row, carrying the UID the row showed in the browser
/// at that instant.
/// </summary>
[EventHandler("onmailrowclick", typeof(MailRowClickEventArgs), enableStopPropagation: true, enablePreventDefault: true)]
public static class EventHandlers;

/// <summary>
/// A click on a message row. The UID is read from the clicked row's <c>data-uid</c> in the browser,
/// so the message opened is the one the user saw and clicked, even when the list was re-rendered
/// on the server (new mail, another client's changes) before the click reached it. 0 when the click
/// was not on a row showing a message (a placeholder).
/// </summary>
public sealed class MailRowClickEventArgs : EventArgs
{
    public uint Uid { get; set; }
}
