namespace MSSante.Mime;

/// <summary>
/// A node of the message tree: a leaf <see cref="MimePart"/>, a <see cref="Multipart"/> or an
/// encapsulated <see cref="MessagePart"/> (message/rfc822). Paths follow IMAP part numbering
/// (RFC 9051 §6.4.5): "1", "1.2"...; a multipart that is a message's body has no number of its own.
/// </summary>
public abstract class MimeEntity
{
    private ContentDisposition? _disposition;
    private bool _dispositionParsed;

    private protected MimeEntity(HeaderList headers, ContentType contentType)
    {
        Headers = headers;
        ContentType = contentType;
    }

    /// <summary>The entity's header fields (for a message's root entity, the message headers).</summary>
    public HeaderList Headers { get; }

    /// <summary>The parsed Content-Type (text/plain when absent or invalid).</summary>
    public ContentType ContentType { get; }

    /// <summary>The parsed Content-Disposition, or null.</summary>
    public ContentDisposition? ContentDisposition
    {
        get
        {
            if (!_dispositionParsed)
            {
                var h = Headers.Get("Content-Disposition");
                _disposition = h is null ? null : ContentDisposition.Parse(h.UnfoldedValue);
                _dispositionParsed = true;
            }

            return _disposition;
        }
    }

    /// <summary>The Content-ID without angle brackets, or null.</summary>
    public string? ContentId
    {
        get
        {
            var v = Headers.Get("Content-ID")?.UnfoldedValue;
            if (v is null)
            {
                return null;
            }

            var ids = MessageIds.Parse(v);
            return ids.Count > 0 ? ids[0] : v.Trim().Trim('<', '>');
        }
    }

    /// <summary>The Content-Transfer-Encoding in lower case ("7bit" when absent).</summary>
    public string ContentTransferEncoding
    {
        get
        {
            var v = Headers.Get("Content-Transfer-Encoding")?.UnfoldedValue;
            return string.IsNullOrWhiteSpace(v) ? "7bit" : v.Trim().ToLowerInvariant();
        }
    }

    /// <summary>The file name from Content-Disposition <c>filename</c>, else Content-Type <c>name</c>, or null.</summary>
    public string? FileName => ContentDisposition?.FileName ?? ContentType.Name;

    /// <summary>The IMAP-style path ("1", "2.1"), or "" for a multipart that is a message body.</summary>
    public string Path { get; internal set; } = string.Empty;

    /// <summary>The entity containing this one, or null at the root of a message.</summary>
    public MimeEntity? Parent { get; internal set; }

    /// <summary>This entity and all its descendants, depth first (encapsulated messages included).</summary>
    public IEnumerable<MimeEntity> DescendantsAndSelf()
    {
        var stack = new Stack<MimeEntity>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            yield return e;
            switch (e)
            {
                case Multipart m:
                    for (var i = m.Children.Count - 1; i >= 0; i--)
                    {
                        stack.Push(m.Children[i]);
                    }

                    break;
                case MessagePart mp:
                    stack.Push(mp.Message.Body);
                    break;
            }
        }
    }
}
