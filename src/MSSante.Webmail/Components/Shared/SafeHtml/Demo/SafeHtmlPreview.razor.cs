using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;
using MSSante.Webmail.DemoSignIn;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Components.Shared.SafeHtml.Demo;

/// <summary>
/// <c>/demo/apercu-message?dossier=F&amp;uid=N</c> (one message) or
/// <c>?dossier=F&amp;sujet=TEXT</c> (every message whose subject contains TEXT, at most
/// <see cref="MaxMessages"/>), optionally one slice of them with <c>&amp;debut=K&amp;nombre=M</c>
/// (in UID order): the signed-in user's messages rendered by <see cref="SafeHtmlFrame"/>.
/// Only in the Demo environment.
/// </summary>
public sealed partial class SafeHtmlPreview : ComponentBase
{
    /// <summary>The most messages one page shows.</summary>
    public const int MaxMessages = 400;

    private bool _available;
    private string? _error;
    private List<(uint Uid, MimeMessage Message)>? _messages;

    [Inject]
    private IHostEnvironment Environment { get; set; } = default!;

    [Inject]
    private MailConnector Connector { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    [SupplyParameterFromQuery(Name = "dossier")]
    private string? Folder { get; set; }

    [SupplyParameterFromQuery(Name = "uid")]
    private int? Uid { get; set; }

    [SupplyParameterFromQuery(Name = "sujet")]
    private string? Subject { get; set; }

    [SupplyParameterFromQuery(Name = "debut")]
    private int? Skip { get; set; }

    [SupplyParameterFromQuery(Name = "nombre")]
    private int? Take { get; set; }

    /// <inheritdoc />
    protected override async Task OnInitializedAsync()
    {
        _available = Environment.IsEnvironment(DemoSignInOptions.EnvironmentName);
        if (!_available || AuthenticationState is null)
        {
            return;
        }

        var identity = WebmailIdentity.FromPrincipal((await AuthenticationState).User);
        if (identity is null || identity.Mailboxes.Count == 0)
        {
            _error = "Aucune boîte aux lettres.";
            return;
        }

        try
        {
            await using var imap = await Connector.OpenImapAsync(new MailUser(identity.IdNat, identity.Mailboxes[0]));
            await imap.SelectAsync(string.IsNullOrEmpty(Folder) ? "INBOX" : Folder, readOnly: true);
            IReadOnlyList<uint> uids = Uid is > 0
                ? [(uint)Uid.Value]
                : await imap.SearchAsync(ImapSearchQuery.Subject(Subject ?? ""));
            var list = new List<(uint, MimeMessage)>();
            if (uids.Count > 0)
            {
                var slice = uids.Order()
                    .Skip(Math.Max(0, Skip ?? 0))
                    .Take(Math.Clamp(Take ?? MaxMessages, 0, MaxMessages))
                    .ToList();
                IReadOnlyList<ImapMessage> fetched = slice.Count == 0 ? [] : await imap.FetchAsync(UidSet.Of(slice), ImapFetchItems.None, [new ImapBodySection("")]);
                foreach (var m in fetched.OrderBy(m => m.Uid))
                {
                    if (m.Sections.GetValueOrDefault("") is { } raw)
                    {
                        list.Add((m.Uid, MimeMessage.Load(raw)));
                    }
                }
            }

            await imap.LogoutAsync();
            _messages = list;
        }
        catch (Exception e) when (e is MailProtocolException or MailCommandException or IOException)
        {
            _error = "La messagerie est momentanément indisponible.";
        }
    }
}
