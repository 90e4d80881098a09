using System.Text;
using MSSante.Mime;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>What the reading pane shows for one message's HTML body.</summary>
/// <param name="Document">The complete document given to the sandboxed iframe's <c>srcdoc</c>: CSP, base style, sanitised body.</param>
/// <param name="Sanitized">The sanitiser's result (fragment, blocked remote count, cid references).</param>
public sealed record MessageHtmlView(string Document, HtmlSanitizerResult Sanitized);

/// <summary>
/// The one code path from a message to the HTML the reading pane shows. The reading pane
/// (<c>SafeHtmlFrame</c>) and <c>mssante mime sanitize</c> both call <see cref="Render"/>, so
/// support staff see byte for byte what a practitioner would see.
/// </summary>
public static class MessageHtmlRenderer
{
    /// <summary>Inline images larger than this stay out of the document (they remain attachments).</summary>
    public const int MaxInlineImageBytes = 8 * 1024 * 1024;

    private static readonly HashSet<string> InlineImageTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        "image/png", "image/gif", "image/jpeg", "image/jpg", "image/webp",
    };

    /// <summary>
    /// Renders the message's best HTML body (<see cref="MimeMessage.HtmlBodyPart"/>), with
    /// <c>cid:</c> images inlined as <c>data:</c> URLs; null when the message has no HTML body.
    /// </summary>
    public static MessageHtmlView? Render(MimeMessage message, bool allowRemoteContent)
    {
        ArgumentNullException.ThrowIfNull(message);
        var part = message.HtmlBodyPart;
        if (part is null)
        {
            return null;
        }

        var options = new HtmlSanitizerOptions
        {
            AllowRemoteContent = allowRemoteContent,
            CidResolver = cid => ResolveCid(message, part, cid),
        };
        var sanitized = HtmlSanitizer.Instance.Sanitize(part.GetText(), options);
        return new MessageHtmlView(BuildDocument(sanitized.Html, allowRemoteContent), sanitized);
    }

    /// <summary>Renders a plain-text body the same way (escaped, wrapped, same CSP), for messages without HTML.</summary>
    public static MessageHtmlView RenderText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var fragment = new StringBuilder("<div id=\"mssante-message\"><pre class=\"mssante-text\">");
        fragment.Append(System.Net.WebUtility.HtmlEncode(text));
        fragment.Append("</pre></div>");
        var html = fragment.ToString();
        return new MessageHtmlView(BuildDocument(html, false), new HtmlSanitizerResult(html, 0, [], 0));
    }

    /// <summary>
    /// The policy written into the document: no script, no frame, no form, no base, and no
    /// remote load of any kind unless the user allowed remote content (then images only).
    /// </summary>
    public static string ContentSecurityPolicy(bool allowRemoteContent) =>
        "default-src 'none'; script-src 'none'; object-src 'none'; frame-src 'none'; child-src 'none'; "
        + "form-action 'none'; base-uri 'none'; style-src 'unsafe-inline'; font-src data:; "
        + (allowRemoteContent ? "img-src data: cid: http: https:" : "img-src data: cid:");

    /// <summary>Wraps a sanitised fragment into the complete srcdoc document.</summary>
    public static string BuildDocument(string sanitizedFragment, bool allowRemoteContent)
    {
        ArgumentNullException.ThrowIfNull(sanitizedFragment);
        return string.Concat(allowRemoteContent ? RemoteAllowedHead : RemoteBlockedHead, sanitizedFragment, DocumentTail);
    }

    private const string DocumentTail = "</body></html>\n";

    // The head is the same for every message but for the CSP's img-src: built once per choice.
    private static readonly string RemoteBlockedHead = DocumentHead(false);
    private static readonly string RemoteAllowedHead = DocumentHead(true);

    private static string DocumentHead(bool allowRemoteContent)
    {
        var sb = new StringBuilder(1024);
        sb.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">");
        // The CSP meta comes first so it governs everything after it.
        sb.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy(allowRemoteContent)).Append("\">");
        sb.Append("<meta name=\"referrer\" content=\"no-referrer\">");
        sb.Append("<style>")
            .Append("html,body{margin:0;padding:0;}")
            .Append("body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;font-size:14px;line-height:1.45;color:#161616;background:#fff;overflow-wrap:anywhere;}")
            .Append("#mssante-message{padding:12px 16px;}")
            .Append("#mssante-message img{max-width:100%;height:auto;}")
            .Append("#mssante-message pre.mssante-text{white-space:pre-wrap;font-family:inherit;margin:0;}")
            .Append("#mssante-message img[").Append(HtmlSanitizer.BlockedImageAttribute).Append("]{display:inline-block;min-width:24px;min-height:24px;outline:1px dashed #929292;background:#f6f6f6;}")
            .Append("</style></head><body>");
        return sb.ToString();
    }

    private static string? ResolveCid(MimeMessage message, MimePart htmlPart, string cidUrl)
    {
        var target = message.ResolveCid(cidUrl, htmlPart);
        if (target is null || !InlineImageTypes.Contains(target.ContentType.MimeType))
        {
            return null;
        }

        var bytes = target.GetContent();
        if (bytes.Length == 0 || bytes.Length > MaxInlineImageBytes)
        {
            return null;
        }

        return "data:" + target.ContentType.MimeType.ToLowerInvariant() + ";base64," + Convert.ToBase64String(bytes);
    }
}
