using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Infrastructure.Persistence;
using MSSante.Mime;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Shared.SafeHtml;

/// <summary>
/// Shows a message body the safe way: the HTML body (or the text body) goes through
/// <see cref="MessageHtmlRenderer"/>, the same code path as <c>mssante mime sanitize</c>, and is
/// rendered in an <c>&lt;iframe sandbox srcdoc&gt;</c> without <c>allow-scripts</c> nor
/// <c>allow-same-origin</c>. Remote content stays blocked behind a French banner until the user
/// allows it for this message, or always for this sender (stored in the user's preferences).
/// </summary>
/// <remarks>
/// <para>When <see cref="Source"/> says where the message comes from, the rendered document is
/// kept in the host's <see cref="MessageDocumentCache"/> under the person, the account, the
/// folder, the UID, the message's digest and the remote-content choice, so opening the message
/// again skips the sanitiser.</para>
/// The frame has no way to report its content height (that would need scripts or same origin):
/// it takes <see cref="Height"/> and scrolls inside, which suits a reading pane that fills the
/// remaining space.
/// </remarks>
public sealed partial class SafeHtmlFrame : ComponentBase
{
    /// <summary>
    /// The only sandbox relaxations: links (target=_blank) may open a normal tab. Never
    /// allow-scripts, allow-same-origin, allow-forms, allow-top-navigation or allow-modals.
    /// </summary>
    public const string SandboxFlags = "allow-popups allow-popups-to-escape-sandbox";

    private MimeMessage? _renderedMessage;
    private byte[]? _renderedRaw;
    private MessageDocumentKey? _cacheKey;
    private MessageHtmlView? _view;
    private bool _remoteAllowed;
    private bool _saving;
    private string? _error;

    [Inject]
    private IDbContextFactory<MSSanteDbContext> DbFactory { get; set; } = default!;

    [Inject]
    private MessageDocumentCache DocumentCache { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The message to show (its best HTML body, else its text body).</summary>
    [Parameter]
    [EditorRequired]
    public MimeMessage? Message { get; set; }

    /// <summary>
    /// Where <see cref="Message"/> was fetched from, with its raw bytes; optional. Given, the
    /// rendered document is cached; absent (previews), it is rendered each time.
    /// </summary>
    [Parameter]
    public MessageDocumentSource? Source { get; set; }

    /// <summary>
    /// The sender the "always for this sender" choice applies to; defaults to the first From
    /// address of <see cref="Message"/>.
    /// </summary>
    [Parameter]
    public string? SenderAddress { get; set; }

    /// <summary>The frame's CSS height (the content scrolls inside).</summary>
    [Parameter]
    public string Height { get; set; } = "70vh";

    /// <summary>Raised after the user allowed remote content (for this message or sender).</summary>
    [Parameter]
    public EventCallback<bool> RemoteContentAllowed { get; set; }

    /// <summary>What is shown now (for tests and the raw view).</summary>
    public MessageHtmlView? View => _view;

    private string? Sender => SenderAddress ?? Message?.From.Mailboxes().FirstOrDefault()?.Address;

    private bool ShowBanner => !_remoteAllowed && _view?.Sanitized.HasBlockedRemoteContent == true;

    private bool CanAllowSender => !string.IsNullOrEmpty(Sender) && _idNat is not null;

    private string? _idNat;

    /// <inheritdoc />
    protected override async Task OnParametersSetAsync()
    {
        if (ReferenceEquals(Message, _renderedMessage) && ReferenceEquals(Source?.Raw, _renderedRaw))
        {
            return;
        }

        _renderedMessage = Message;
        _renderedRaw = Source?.Raw;
        _cacheKey = null;
        _error = null;
        _remoteAllowed = false;
        if (Message is null)
        {
            _view = null;
            return;
        }

        WebmailIdentity? identity = null;
        if (AuthenticationState is not null)
        {
            var state = await AuthenticationState;
            identity = WebmailIdentity.FromPrincipal(state.User);
            _idNat = identity?.IdNat;
        }

        if (Source is { } source && identity is { Mailboxes.Count: > 0 } && DocumentCache.Enabled)
        {
            // The connection is authenticated as the first mailbox (MailPage starts the session so).
            _cacheKey = MessageDocumentKey.For(identity.IdNat, identity.Mailboxes[0], source.Folder, source.Uid, source.Raw, false);
        }

        if (_idNat is not null && Sender is { } sender)
        {
            _remoteAllowed = await RemoteContentSenders.IsAllowedAsync(DbFactory, _idNat, sender);
        }

        Render();
    }

    private void Render()
    {
        if (Message is not { } message)
        {
            _view = null;
            return;
        }

        var remote = _remoteAllowed;
        MessageHtmlView RenderNow() =>
            MessageHtmlRenderer.Render(message, remote) ?? MessageHtmlRenderer.RenderText(message.GetTextBody() ?? "");

        _view = _cacheKey is { } key
            ? DocumentCache.GetOrRender(key with { AllowRemoteContent = remote }, RenderNow)
            : RenderNow();
    }

    private async Task AllowForMessage()
    {
        _remoteAllowed = true;
        Render();
        await RemoteContentAllowed.InvokeAsync(false);
    }

    private async Task AllowForSenderAsync()
    {
        if (_idNat is null || Sender is not { } sender)
        {
            return;
        }

        _saving = true;
        try
        {
            await RemoteContentSenders.AllowAsync(DbFactory, _idNat, sender);
            _remoteAllowed = true;
            Render();
            await RemoteContentAllowed.InvokeAsync(true);
        }
        catch (DbUpdateException)
        {
            _error = "Votre choix n'a pas pu être enregistré. Le contenu distant reste bloqué ; réessayez plus tard.";
        }
        finally
        {
            _saving = false;
        }
    }
}

/// <summary>Where a message shown by <see cref="SafeHtmlFrame"/> was fetched from.</summary>
/// <param name="Folder">The IMAP folder name.</param>
/// <param name="Uid">The message's UID in it.</param>
/// <param name="Raw">The message's bytes as fetched (BODY[]), the ones <see cref="SafeHtmlFrame.Message"/> was parsed from.</param>
public sealed record MessageDocumentSource(string Folder, uint Uid, byte[] Raw);
