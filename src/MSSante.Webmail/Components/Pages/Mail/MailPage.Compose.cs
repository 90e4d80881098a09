using System.Net;
using Microsoft.AspNetCore.Components;
using MSSante.Mime;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.Webmail.Components.Pages.Mail;

public partial class MailPage
{
    private string? _composedFor;

    /// <summary><c>/courrier?destinataire=adresse</c> opens the composer addressed to it (the directory's "Écrire").</summary>
    [SupplyParameterFromQuery(Name = "destinataire")]
    private string? RequestedRecipient { get; set; }

    private string CurrentMailbox => Session.CurrentFolder?.Mailbox ?? Identity?.Mailboxes.FirstOrDefault() ?? "";

    protected override void OnParametersSet()
    {
        // Runs after OnInitializedAsync, so the session knows the user's mailboxes. Only a bare
        // address is taken from the link: the composer checks it like any typed recipient.
        var to = RequestedRecipient?.Trim();
        if (Identity is { Mailboxes.Count: > 0 } && Compose is null && to is { Length: > 2 } && to != _composedFor
            && to.IndexOf('@', StringComparison.Ordinal) > 0 && !to.Any(c => char.IsWhiteSpace(c) || c is ',' or ';' or '<' or '>' or '"'))
        {
            _composedFor = to;
            Compose = new ComposeModel { FromMailbox = CurrentMailbox, InsertSignature = true, To = to };
        }
    }

    private void NewMessage()
    {
        Compose = new ComposeModel { FromMailbox = CurrentMailbox, InsertSignature = true };
    }

    private void Reply(bool all)
    {
        if (Reading is null)
        {
            return;
        }
        var source = Reading;
        var me = Identity?.Mailboxes ?? [];
        // The library's reply helper picks the recipients (Reply-To, else From; for all, the other
        // To and Cc) and the threading headers (RFC 5322 §3.6.4); the page adds the French subject
        // prefix and the HTML quote.
        var reply = MessageBuilder.CreateReply(source, new MailboxAddress(null, CurrentMailbox), all);
        var model = new ComposeModel
        {
            FromMailbox = CurrentMailbox,
            InsertSignature = true,
            To = string.Join(", ", reply.To.Select(a => a.ToString())),
            Cc = string.Join(", ", reply.Cc.Where(a => !me.Contains(a.Address, StringComparer.OrdinalIgnoreCase)).Select(a => a.ToString())),
            Subject = Prefixed("RE : ", source.Subject),
            InReplyTo = reply.InReplyTo,
            AnsweredUid = OpenUid,
            SourceFolder = Session.CurrentFolder?.ImapName,
            Html = "<p><br></p>" + Quote(source),
        };
        model.References.AddRange(reply.References);
        Compose = model;
    }

    private void Forward(bool asAttachment)
    {
        if (Reading is null || ReadingRaw is null)
        {
            return;
        }
        var source = Reading;
        var model = new ComposeModel
        {
            FromMailbox = CurrentMailbox,
            InsertSignature = true,
            Subject = Prefixed("TR : ", source.Subject),
            AnsweredUid = OpenUid,
            SourceFolder = Session.CurrentFolder?.ImapName,
            IsForward = true,
        };
        if (asAttachment)
        {
            model.Html = "<p><br></p>";
            model.Attachments.Add(new ComposeAttachment(SafeFileName(source.Subject) + ".eml", "message/rfc822", ReadingRaw));
        }
        else
        {
            model.Html = "<p><br></p>" + ForwardHeader(source) + "<div>" + TextToHtml(BodyText(source)) + "</div>";
            // The library's forward helper copies the attachments (attached messages stay whole).
            var forward = MessageBuilder.CreateForward(source, new MailboxAddress(null, CurrentMailbox), asAttachment: false);
            foreach (var attachment in forward.Attachments)
            {
                model.Attachments.Add(new ComposeAttachment(attachment.FileName, attachment.ContentType, attachment.Content.ToArray()));
            }
            foreach (var message in forward.AttachedMessages)
            {
                model.Attachments.Add(new ComposeAttachment(SafeFileName(message.Subject) + ".eml", "message/rfc822", MimeWriter.ToBytes(message)));
            }
        }
        if (source.MessageId is { } id)
        {
            model.References.Add(id);
        }
        Compose = model;
    }

    private void EditDraft()
    {
        if (Reading is null || OpenUid is null)
        {
            return;
        }
        var draft = Reading;
        var model = new ComposeModel
        {
            FromMailbox = CurrentMailbox,
            To = string.Join(", ", draft.To.Mailboxes().Select(a => a.ToString())),
            Cc = string.Join(", ", draft.Cc.Mailboxes().Select(a => a.ToString())),
            Bcc = string.Join(", ", draft.Bcc.Mailboxes().Select(a => a.ToString())),
            Subject = draft.Subject ?? "",
            // Reopened as text: a draft may have been put in the folder by another client, never trust its HTML.
            Html = TextToHtml(draft.GetTextBody() ?? BodyText(draft)),
            InReplyTo = draft.InReplyTo,
            MessageId = draft.MessageId ?? ComposeModel.NewMessageId(),
            DraftUid = OpenUid,
            DraftFolder = Session.CurrentFolder?.ImapName,
            RequestReadReceipt = draft.DispositionNotificationTo is not null,
        };
        model.References.AddRange(draft.References);
        foreach (var attachment in draft.Attachments)
        {
            model.Attachments.Add(new ComposeAttachment(attachment.FileName ?? "piece-jointe", attachment.ContentType, attachment.GetContent()));
        }
        Compose = model;
    }

    private async Task ComposeClosed(string? notice)
    {
        Compose = null;
        await Guard(() => Session.RefreshFoldersAsync());
        if (Session.CurrentFolder?.Role is "drafts" or "sent")
        {
            // The draft list changed on another connection; the session's IDLE reports it too.
            await Guard(() => Session.OpenFolderAsync(Session.CurrentFolder.ImapName));
            _listVersion++;
        }
        Notice = notice;
    }

    private static string Prefixed(string prefix, string? subject)
    {
        subject ??= "";
        var trimmed = subject.TrimStart();
        foreach (var known in new[] { "RE:", "RE :", "Re:", "Re :", "TR:", "TR :", "Fwd:", "Fw:", "FW:" })
        {
            if (prefix.StartsWith(known[..2], StringComparison.OrdinalIgnoreCase) && trimmed.StartsWith(known, StringComparison.OrdinalIgnoreCase))
            {
                return subject;
            }
        }
        return prefix + subject;
    }

    internal static string BodyText(MimeMessage message) =>
        message.GetTextBody() ?? (message.GetHtmlBody() is { } html ? HtmlToText.Convert(html) : "");

    private static string Quote(MimeMessage source)
    {
        var who = source.From.Mailboxes().FirstOrDefault()?.ToString() ?? "";
        var when = source.Date?.ToLocalTime().ToString("dddd d MMMM yyyy 'à' HH:mm", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) ?? "";
        return $"<p>Le {WebUtility.HtmlEncode(when)}, {WebUtility.HtmlEncode(who)} a écrit :</p><blockquote type=\"cite\">{TextToHtml(BodyText(source))}</blockquote>";
    }

    private static string ForwardHeader(MimeMessage source) =>
        "<p>-------- Message transféré --------<br>" +
        $"De : {WebUtility.HtmlEncode(string.Join(", ", source.From.Mailboxes()))}<br>" +
        $"Date : {WebUtility.HtmlEncode(source.Date?.ToLocalTime().ToString("g", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")) ?? "")}<br>" +
        $"Objet : {WebUtility.HtmlEncode(source.Subject ?? "")}<br>" +
        $"À : {WebUtility.HtmlEncode(string.Join(", ", source.To.Mailboxes()))}</p>";

    internal static string TextToHtml(string text) =>
        string.Join("<br>", text.ReplaceLineEndings("\n").Split('\n').Select(WebUtility.HtmlEncode));

    private static string SafeFileName(string? subject)
    {
        var name = new string((subject ?? "message").Select(ch => char.IsLetterOrDigit(ch) || ch is ' ' or '-' or '_' ? ch : '_').ToArray()).Trim();
        return name.Length == 0 ? "message" : name.Length > 60 ? name[..60] : name;
    }
}
