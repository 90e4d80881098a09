namespace MSSante.Mime;

/// <summary>A part a person would call an attachment (or an inline resource of an HTML body).</summary>
/// <param name="Entity">The part itself (a <see cref="MimePart"/>, or a <see cref="MessagePart"/> for an attached message).</param>
/// <param name="FileName">The decoded file name, or null.</param>
/// <param name="ContentType">"type/subtype".</param>
/// <param name="ContentId">The Content-ID without brackets, or null.</param>
/// <param name="Disposition">"attachment", "inline" or null when the field is absent.</param>
public sealed record Attachment(MimeEntity Entity, string? FileName, string ContentType, string? ContentId, string? Disposition)
{
    /// <summary>The decoded size in bytes (an attached message counts its raw bytes).</summary>
    public long DecodedSize => Entity switch
    {
        MimePart p => p.GetContent().LongLength,
        MessagePart m => m.RawContent.Length,
        _ => 0,
    };

    /// <summary>The decoded content (an attached message gives its raw bytes).</summary>
    public byte[] GetContent() => Entity switch
    {
        MimePart p => p.GetContent(),
        MessagePart m => m.RawContent.ToArray(),
        _ => [],
    };
}

public sealed partial class MimeMessage
{
    /// <summary>
    /// The text/plain body a reader should see: the first text/plain part, depth first, that is
    /// not an attachment, not inside an attached message, and not a non-root part of a
    /// multipart/related. Null when there is none.
    /// </summary>
    public MimePart? TextBodyPart => FindBody(Body, "plain");

    /// <summary>The text/html body part chosen the same way, or null.</summary>
    public MimePart? HtmlBodyPart => FindBody(Body, "html");

    /// <summary>The best text body: the text/plain part, else the HTML body converted to text, else null.</summary>
    public string? GetTextBody()
    {
        if (TextBodyPart is { } plain)
        {
            return plain.GetText();
        }

        return HtmlBodyPart is { } html ? HtmlToText.Convert(html.GetText()) : null;
    }

    /// <summary>The HTML body decoded to text, or null when the message has none.</summary>
    public string? GetHtmlBody() => HtmlBodyPart?.GetText();

    // The same choice as Python's email get_body and most clients: depth first, skipping parts
    // marked as attachments and attached messages; inside multipart/related only its root
    // (RFC 2387 §3.1, the "start" parameter, else the first part) is a body candidate.
    private static MimePart? FindBody(MimeEntity entity, string subtype)
    {
        if (entity.ContentDisposition?.IsAttachment ?? false)
        {
            return null;
        }

        switch (entity)
        {
            case MimePart part:
                return part.ContentType.Is("text", subtype) ? part : null;
            case Multipart { ContentType.MediaSubtype: "related" } related:
                var root = RelatedRoot(related);
                return root is null ? null : FindBody(root, subtype);
            case Multipart multipart:
                foreach (var child in multipart.Children)
                {
                    if (FindBody(child, subtype) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static MimeEntity? RelatedRoot(Multipart related)
    {
        if (related.Children.Count == 0)
        {
            return null;
        }

        var start = related.ContentType.Parameters["start"];
        if (!string.IsNullOrEmpty(start))
        {
            var id = start.Trim().Trim('<', '>');
            var match = related.Children.FirstOrDefault(c => string.Equals(c.ContentId, id, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }
        }

        return related.Children[0];
    }

    /// <summary>
    /// The attachments: every leaf part or attached message that is not one of the chosen bodies
    /// and not a multipart, with file name, type, content-id and disposition. Inline images of an
    /// HTML body are listed too (disposition "inline" and a content-id); attached messages are
    /// listed whole, not searched.
    /// </summary>
    public IReadOnlyList<Attachment> Attachments
    {
        get
        {
            var text = TextBodyPart;
            var html = HtmlBodyPart;
            var list = new List<Attachment>();
            var stack = new Stack<MimeEntity>();
            stack.Push(Body);
            while (stack.Count > 0)
            {
                var e = stack.Pop();
                if (e is Multipart m)
                {
                    for (var i = m.Children.Count - 1; i >= 0; i--)
                    {
                        stack.Push(m.Children[i]);
                    }

                    continue;
                }

                if (ReferenceEquals(e, text) || ReferenceEquals(e, html) || ReferenceEquals(e, Body) && e is MimePart { IsText: true })
                {
                    continue;
                }

                if (e is MimePart { IsText: true } p && p.FileName is null && p.ContentDisposition is null
                    && p.Parent is Multipart { ContentType.MediaSubtype: "alternative" })
                {
                    // Another rendering of the body (e.g. text/enriched), not an attachment.
                    continue;
                }

                list.Add(new Attachment(e, e.FileName, e.ContentType.MimeType, e.ContentId, e.ContentDisposition?.Disposition));
            }

            return list;
        }
    }

    /// <summary>
    /// Resolves a <c>cid:</c> URL (RFC 2392) or a bare content-id to the part it names: first
    /// inside the multipart/related that holds <paramref name="from"/> (the HTML part), then anywhere in the message.
    /// </summary>
    public MimePart? ResolveCid(string cidUrl, MimeEntity? from = null)
    {
        var id = cidUrl.StartsWith("cid:", StringComparison.OrdinalIgnoreCase) ? cidUrl[4..] : cidUrl;
        id = Uri.UnescapeDataString(id).Trim().Trim('<', '>');
        for (var scope = from?.Parent; scope is not null; scope = scope.Parent)
        {
            if (scope is Multipart { ContentType.MediaSubtype: "related" } related)
            {
                foreach (var e in related.DescendantsAndSelf())
                {
                    if (e is MimePart p && string.Equals(p.ContentId, id, StringComparison.Ordinal))
                    {
                        return p;
                    }
                }
            }
        }

        foreach (var e in Body.DescendantsAndSelf())
        {
            if (e is MimePart p && string.Equals(p.ContentId, id, StringComparison.Ordinal))
            {
                return p;
            }
        }

        return null;
    }
}
