using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Endpoints.Attachments;

/// <summary>
/// Attachment download, inline preview (PDF, images) and raw source of a message, fetched on a
/// short-lived IMAP connection of the signed-in user. Downloads always carry
/// <c>Content-Disposition: attachment</c>, <c>X-Content-Type-Options: nosniff</c> and a file
/// name stripped of anything a file system or a header could misread.
/// </summary>
public static partial class AttachmentEndpoints
{
    private const string PartPath = "/courrier/piece-jointe";
    private const string SourcePath = "/courrier/source";

    private static readonly HashSet<string> Previewable = new(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
    };

    /// <summary>True when the type is shown inline (PDF and raster images, never SVG or HTML).</summary>
    public static bool IsPreviewable(string contentType) => Previewable.Contains(contentType);

    public static string PartUrl(string folder, uint uid, string part, bool preview) =>
        $"{PartPath}?dossier={Uri.EscapeDataString(folder)}&uid={uid}&partie={Uri.EscapeDataString(part)}" + (preview ? "&apercu=1" : "");

    public static string SourceUrl(string folder, uint uid) => $"{SourcePath}?dossier={Uri.EscapeDataString(folder)}&uid={uid}";

    public static IEndpointRouteBuilder MapAttachmentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(PartPath, GetPartAsync).RequireAuthorization();
        endpoints.MapGet(SourcePath, GetSourceAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> GetPartAsync(HttpContext context, [FromQuery(Name = "dossier")] string folder, [FromQuery] uint uid,
        [FromQuery(Name = "partie")] string part, [FromQuery(Name = "apercu")] int? preview, MailConnector connector, ILoggerFactory loggers)
    {
        var message = await LoadAsync(context, connector, folder, uid, loggers);
        if (message is null)
        {
            return Results.NotFound();
        }
        var attachment = MimeMessage.Load(message).Attachments.FirstOrDefault(a => a.Entity.Path == part);
        if (attachment is null)
        {
            return Results.NotFound();
        }
        var name = SafeFileName(attachment.FileName, attachment.ContentType);
        var content = attachment.GetContent();
        NoSniff(context);
        if (preview == 1 && IsPreviewable(attachment.ContentType))
        {
            var disposition = new ContentDispositionHeaderValue("inline");
            disposition.SetHttpFileName(name);
            context.Response.Headers.ContentDisposition = disposition.ToString();
            // Nothing inside a previewed document may run scripts or load anything from elsewhere.
            context.Response.Headers.ContentSecurityPolicy = attachment.ContentType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase)
                ? "default-src 'none'; object-src 'self'; plugin-types application/pdf"
                : "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
            return Results.Bytes(content, attachment.ContentType.ToLowerInvariant());
        }
        // Downloads are opaque bytes: the browser must save them, never render them.
        return Results.File(content, "application/octet-stream", name);
    }

    private static async Task<IResult> GetSourceAsync(HttpContext context, [FromQuery(Name = "dossier")] string folder, [FromQuery] uint uid,
        MailConnector connector, ILoggerFactory loggers)
    {
        var message = await LoadAsync(context, connector, folder, uid, loggers);
        if (message is null)
        {
            return Results.NotFound();
        }
        NoSniff(context);
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        return Results.Bytes(message, "text/plain; charset=utf-8");
    }

    private static async Task<byte[]?> LoadAsync(HttpContext context, MailConnector connector, string folder, uint uid, ILoggerFactory loggers)
    {
        var identity = WebmailIdentity.FromPrincipal(context.User);
        if (identity is null || identity.Mailboxes.Count == 0 || string.IsNullOrEmpty(folder) || uid == 0)
        {
            return null;
        }
        var user = new MailUser(identity.IdNat, identity.Mailboxes[0]);
        try
        {
            await using var imap = await connector.OpenImapAsync(user, context.RequestAborted);
            await imap.SelectAsync(folder, readOnly: true, cancellationToken: context.RequestAborted);
            var fetched = await imap.FetchAsync(UidSet.Of(uid), ImapFetchItems.None, [new ImapBodySection("")], cancellationToken: context.RequestAborted);
            try
            {
                await imap.LogoutAsync(context.RequestAborted);
            }
            catch (MailProtocolException)
            {
                // already closed
            }
            return fetched.FirstOrDefault(m => m.Uid == uid)?.Sections.GetValueOrDefault("");
        }
        catch (MailCommandException e)
        {
            LogRefused(loggers.CreateLogger(typeof(AttachmentEndpoints)), e.EnhancedCode);
            return null;
        }
    }

    private static void NoSniff(HttpContext context)
    {
        context.Response.Headers.XContentTypeOptions = "nosniff";
        context.Response.Headers.CacheControl = "private, no-store";
    }

    /// <summary>A name safe on every file system and in a header: no path, no control or reserved character, an extension kept.</summary>
    internal static string SafeFileName(string? name, string contentType)
    {
        var leaf = (name ?? "").Replace('\\', '/');
        leaf = leaf[(leaf.LastIndexOf('/') + 1)..];
        var sb = new StringBuilder();
        foreach (var ch in leaf.Normalize(NormalizationForm.FormC))
        {
            sb.Append(char.IsControl(ch) || "<>:\"|?*;".Contains(ch, StringComparison.Ordinal) ? '_' : ch);
        }
        var cleaned = sb.ToString().Trim().Trim('.');
        if (cleaned.Length > 150)
        {
            var ext = Path.GetExtension(cleaned);
            cleaned = cleaned[..(150 - Math.Min(ext.Length, 20))] + (ext.Length <= 20 ? ext : "");
        }
        if (cleaned.Length == 0)
        {
            cleaned = "piece-jointe" + (contentType.Equals("application/pdf", StringComparison.OrdinalIgnoreCase) ? ".pdf" : "");
        }
        return cleaned;
    }

    [LoggerMessage(EventId = 6201, Level = LogLevel.Warning, Message = "Attachment fetch refused by the IMAP server ({Code})")]
    private static partial void LogRefused(ILogger logger, string? code);
}
