using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.JSInterop;
using MSSante.Infrastructure.Persistence;
using MSSante.Mail;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Compose;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Pages.Mail.Components;

/// <summary>
/// The compose form. While the user types, the message is saved to the IMAP Drafts folder every
/// few seconds, and once more when the form closes, so a crash or a lost connection loses at
/// most those seconds. A failed send keeps everything and offers a retry.
/// </summary>
public sealed partial class ComposePanel : IAsyncDisposable
{
    private readonly SemaphoreSlim _saving = new(1, 1);
    private PeriodicTimer? _timer;
    private Task? _autosave;
    private bool _dirty;
    private bool _closed;
    private ElementReference _form;
    private InputFile? _files;
    private IJSObjectReference? _module;
    private DotNetObjectReference<ComposePanel>? _self;
    private Dictionary<string, string> _signatures = new(StringComparer.OrdinalIgnoreCase);

    [Inject] private MessageSender Sender { get; set; } = default!;
    [Inject] private MailSession Session { get; set; } = default!;
    [Inject] private IOptions<WebmailMailOptions> Options { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IDbContextFactory<MSSanteDbContext> DbFactory { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? AuthenticationState { get; set; }

    [Parameter, EditorRequired] public ComposeModel Model { get; set; } = default!;
    [Parameter] public IReadOnlyList<string> Mailboxes { get; set; } = [];

    /// <summary>Called when the form closes, with a notice for the page (or null).</summary>
    [Parameter] public EventCallback<string?> OnClosed { get; set; }

    private WebmailIdentity? Identity { get; set; }
    private string? Error { get; set; }
    private string? DraftStatus { get; set; }
    private bool Busy { get; set; }
    private bool CanRetry { get; set; }
    private string SignatureDraft { get; set; } = "";
    private string? SignatureStatus { get; set; }

    protected override async Task OnInitializedAsync()
    {
        var state = AuthenticationState is null ? null : await AuthenticationState;
        Identity = WebmailIdentity.FromPrincipal(state?.User);
        if (Identity is not null)
        {
            try
            {
                _signatures = await MailboxSignatures.LoadAsync(DbFactory, Identity.IdNat);
            }
            catch (Exception e) when (e is InvalidOperationException or System.Data.Common.DbException)
            {
                SignatureStatus = "Les signatures n'ont pas pu être chargées.";
            }
        }
        SignatureDraft = SignatureOf(Model.FromMailbox);
        if (Model.InsertSignature)
        {
            // New message, reply or forward: the signature of the mailbox it is written from.
            Model.Html = MailboxSignatures.Apply(Model.Html, SignatureDraft);
            Model.InsertSignature = false;
        }
        _timer = new PeriodicTimer(TimeSpan.FromSeconds(Options.Value.DraftSaveSeconds));
        _autosave = AutosaveLoopAsync(_timer);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || _files?.Element is not { } input)
        {
            return;
        }
        try
        {
            _self = DotNetObjectReference.Create(this);
            _module = await JS.InvokeAsync<IJSObjectReference>("import", "./assets/js/compose.js");
            await _module.InvokeVoidAsync("attach", _form, input, Sender.MaxAttachmentBytes, _self);
        }
        catch (JSDisconnectedException)
        {
            // the circuit is gone
        }
    }

    /// <summary>Called by compose.js for a dropped file over the per-file limit: it was not uploaded.</summary>
    [JSInvokable]
    public Task RefuseFile(string fileName) => InvokeAsync(() =>
    {
        Error = MessageSender.TooLargeMessage(fileName, Sender.MaxAttachmentBytes);
        StateHasChanged();
    });

    private string SignatureOf(string? mailbox) =>
        _signatures.TryGetValue(string.IsNullOrEmpty(mailbox) ? Identity?.Mailboxes.FirstOrDefault() ?? "" : mailbox, out var text) ? text : "";

    /// <summary>Another sending mailbox: its signature replaces the previous one in the body.</summary>
    private void FromChanged()
    {
        SignatureDraft = SignatureOf(Model.FromMailbox);
        SignatureStatus = null;
        Model.Html = MailboxSignatures.Apply(Model.Html, SignatureDraft);
        _dirty = true;
    }

    private async Task SaveSignature()
    {
        if (Identity is null)
        {
            return;
        }
        var mailbox = string.IsNullOrEmpty(Model.FromMailbox) ? User.Address : Model.FromMailbox;
        try
        {
            await MailboxSignatures.SaveAsync(DbFactory, Identity.IdNat, mailbox, SignatureDraft);
            _signatures[mailbox] = SignatureDraft.ReplaceLineEndings("\n").Trim();
            Model.Html = MailboxSignatures.Apply(Model.Html, _signatures[mailbox]);
            _dirty = true;
            SignatureStatus = $"Signature enregistrée pour {mailbox}.";
        }
        catch (ArgumentException e)
        {
            SignatureStatus = e.Message.Split(" (Parameter", 2)[0];
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            SignatureStatus = "La signature n'a pas pu être enregistrée. Réessayez.";
        }
    }

    private MailUser User => new(Identity!.IdNat, Identity.Mailboxes[0]);

    private void Touch() => _dirty = true;

    private void BodyChanged(string html)
    {
        Model.Html = html;
        _dirty = true;
    }

    private async Task AutosaveLoopAsync(PeriodicTimer timer)
    {
        try
        {
            while (await timer.WaitForNextTickAsync())
            {
                if (_dirty && !_closed && !Busy)
                {
                    await InvokeAsync(() => SaveDraftAsync(manual: false));
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // the form closed
        }
    }

    private async Task SaveNow() => await SaveDraftAsync(manual: true);

    private async Task SaveDraftAsync(bool manual)
    {
        if (Identity is null || (Model.IsEmpty && Model.DraftUid is null))
        {
            return;
        }
        var drafts = Session.FolderFor(string.IsNullOrEmpty(Model.FromMailbox) ? User.Address : Model.FromMailbox, "drafts")
            ?? Session.FolderFor(User.Address, "drafts");
        if (drafts is null)
        {
            DraftStatus = "Aucun dossier Brouillons : le brouillon n'a pas pu être enregistré.";
            return;
        }
        await _saving.WaitAsync();
        try
        {
            _dirty = false;
            await Sender.SaveDraftAsync(User, Identity.DisplayName, Model, drafts.ImapName);
            DraftStatus = $"Brouillon enregistré à {DateTime.Now:HH:mm:ss}.";
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException or System.Net.Sockets.SocketException)
        {
            _dirty = true;
            DraftStatus = manual || DraftStatus is null
                ? "Le brouillon n'a pas pu être enregistré sur le serveur ; nouvel essai automatique dans quelques secondes."
                : DraftStatus;
        }
        finally
        {
            _saving.Release();
        }
        StateHasChanged();
    }

    private async Task AddFiles(InputFileChangeEventArgs e)
    {
        Error = null;
        var limit = Sender.MaxAttachmentBytes;
        foreach (var file in e.GetMultipleFiles(50))
        {
            // The browser tells the size before any byte is sent: refuse at once, upload nothing.
            if (file.Size > limit)
            {
                Error = MessageSender.TooLargeMessage(file.Name, limit);
                continue;
            }
            using var memory = new MemoryStream();
            await using (var stream = file.OpenReadStream(limit))
            {
                await stream.CopyToAsync(memory);
            }
            Model.Attachments.Add(new ComposeAttachment(file.Name, string.IsNullOrEmpty(file.ContentType) ? "application/octet-stream" : file.ContentType, memory.ToArray()));
            _dirty = true;
        }
    }

    private void RemoveAttachment(ComposeAttachment attachment)
    {
        Model.Attachments.Remove(attachment);
        _dirty = true;
    }

    private async Task Send()
    {
        if (Identity is null || Busy)
        {
            return;
        }
        Busy = true;
        Error = null;
        try
        {
            var from = string.IsNullOrEmpty(Model.FromMailbox) ? User.Address : Model.FromMailbox;
            var sent = Session.FolderFor(from, "sent") ?? Session.FolderFor(User.Address, "sent");
            await _saving.WaitAsync();
            SendOutcome outcome;
            try
            {
                outcome = await Sender.SendAsync(User, Identity.DisplayName, Model, sent?.ImapName);
            }
            finally
            {
                _saving.Release();
            }
            if (outcome.Sent)
            {
                _closed = true;
                await OnClosed.InvokeAsync(outcome.Error ?? "Message envoyé.");
                return;
            }
            Error = outcome.Error;
            CanRetry = outcome.CanRetry;
            // Keep the message safe while the user decides: it stays in the form and as a draft.
            _dirty = true;
        }
        finally
        {
            Busy = false;
        }
    }

    private async Task Close()
    {
        if (_dirty)
        {
            await SaveDraftAsync(manual: true);
        }
        _closed = true;
        await OnClosed.InvokeAsync(Model.DraftUid is null ? null : "Brouillon enregistré.");
    }

    private async Task Discard()
    {
        _closed = true;
        if (Identity is not null)
        {
            try
            {
                await Sender.DiscardDraftAsync(User, Model);
            }
            catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException)
            {
                // the draft stays in the folder; nothing is lost
            }
        }
        await OnClosed.InvokeAsync("Message abandonné.");
    }

    public async ValueTask DisposeAsync()
    {
        // Navigating away or the circuit ending: a last save, so nothing typed is lost.
        if (_dirty && !_closed && Identity is not null)
        {
            try
            {
                await SaveDraftAsync(manual: false);
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
                // the renderer is gone: the autosave of a few seconds ago is what remains
            }
        }
        _timer?.Dispose();
        _saving.Dispose();
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
        _self?.Dispose();
    }
}
