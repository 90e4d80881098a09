using System.Buffers;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>
/// Turns the HTML body of a message into HTML that is safe to show: parsed by AngleSharp's HTML5
/// parser (the same tree a browser builds), then written out by our own serialiser from an
/// allowlist of elements and attributes, with URLs and CSS checked after normalisation.
/// Thread-safe and stateless: one instance serves every request.
/// </summary>
/// <remarks>
/// <para>What comes out is only allowlisted HTML elements, escaped text, escaped attribute values
/// and CSS we wrote ourselves from tokens. Nothing is copied from the input as markup, so parser
/// differentials (mutation XSS through noscript, template, comments, CDATA, foreign content) have
/// nothing to revive: the risky containers are removed with their content, SVG and MathML
/// entirely, comments always.</para>
/// <para>Links keep http, https, mailto and in-message fragments, and open in a new tab with
/// <c>rel="noopener noreferrer"</c>. Images keep raster <c>data:</c> URLs, <c>cid:</c> (resolved
/// through <see cref="HtmlSanitizerOptions.CidResolver"/>) and, only when allowed, http/https;
/// blocked ones are replaced by a placeholder and counted. Relative URLs are refused: inside the
/// reading pane they would resolve against the webmail itself.</para>
/// </remarks>
public sealed class HtmlSanitizer
{
    /// <summary>The shared instance.</summary>
    public static HtmlSanitizer Instance { get; } = new();

    /// <summary>The attribute that marks an image whose remote source was blocked.</summary>
    public const string BlockedImageAttribute = "data-mssante-blocked";

    // The characters the serialiser escapes or drops; everything between them is copied in one go.
    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>\u00a0\0");
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&\"<>\u00a0\0");

    private readonly HtmlParser _parser = new(new HtmlParserOptions
    {
        // A sandboxed iframe without allow-scripts parses with scripting disabled; so do we.
        IsScripting = false,
        IsKeepingSourceReferences = false,
        // Line and column of every character are only for error reports and source maps.
        DisableElementPositionTracking = true,
    });

    /// <summary>Sanitises <paramref name="html"/> (a whole document or a fragment).</summary>
    public HtmlSanitizerResult Sanitize(string html, HtmlSanitizerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(html);
        options ??= HtmlSanitizerOptions.Default;
        if (html.Length > options.MaxInputLength)
        {
            html = html[..options.MaxInputLength];
        }

        var context = new SanitizeContext(options);
        // Not disposed: IDocument.Dispose empties the tree node by node, looking for a <base>
        // under each removed node, which costs a tenth of the parse and frees nothing the GC
        // would not (a document parsed from a string holds no handle, nothing to cancel).
        var document = _parser.ParseDocument(html);
        var writer = new Writer(context);
        writer.WriteDocument(document);
        return new HtmlSanitizerResult(writer.ToString(), context.BlockedRemote, context.CidReferences.ToArray(), context.RemovedElements);
    }

    private sealed class Writer(SanitizeContext context)
    {
        private readonly StringBuilder _content = new();
        private readonly StringBuilder _styles = new();
        private readonly CssSanitizer _css = new(context);
        private readonly Dictionary<string, string> _styleAttributes = new(StringComparer.Ordinal);
        private int _anchorDepth;
        private bool _containerSeen;
        private string? _containerStyle;

        public void WriteDocument(IDocument document)
        {
            if (document.DocumentElement is { } root)
            {
                // html, head and body are unwrapped; the body's colours move to the container.
                if (document.Body is { } body)
                {
                    _containerStyle = BodyStyle(body);
                }

                WriteChildren(root, 0);
            }
        }

        public override string ToString()
        {
            var head = new StringBuilder(128);
            head.Append("<div id=\"");
            AppendAttributeValue(head, context.Options.ContainerId);
            head.Append('"');
            if (!string.IsNullOrEmpty(_containerStyle))
            {
                head.Append(" style=\"");
                AppendAttributeValue(head, _containerStyle);
                head.Append('"');
            }

            head.Append('>');
            if (_styles.Length > 0)
            {
                head.Append("<style>\n").Append(_styles).Append("</style>");
            }

            // The content is most of the message: copied once, straight into the result.
            const string tail = "</div>";
            return string.Create(head.Length + _content.Length + tail.Length, (head, _content), static (span, parts) =>
            {
                parts.head.CopyTo(0, span, parts.head.Length);
                parts._content.CopyTo(0, span[parts.head.Length..], parts._content.Length);
                tail.AsSpan().CopyTo(span[(parts.head.Length + parts._content.Length)..]);
            });
        }

        private string? BodyStyle(IElement body)
        {
            var css = new StringBuilder();
            if (body.GetAttribute("bgcolor") is { } bg)
            {
                css.Append("background-color: ").Append(bg).Append(';');
            }

            if (body.GetAttribute("text") is { } text)
            {
                css.Append("color: ").Append(text).Append(';');
            }

            if (body.GetAttribute("background") is { } image)
            {
                // Written as a CSS string so the CSS sanitiser decides about the URL.
                css.Append("background-image: url(\"").Append(image.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\");");
            }

            if (body.GetAttribute("style") is { } style)
            {
                css.Append(style).Append(';');
            }

            if (css.Length == 0)
            {
                return null;
            }

            var sanitized = _css.SanitizeDeclarations(css.ToString());
            return sanitized.Length == 0 ? null : sanitized;
        }

        private void WriteChildren(INode parent, int depth)
        {
            // Indexed rather than enumerated: no enumerator per element.
            var children = parent.ChildNodes;
            for (var i = 0; i < children.Length; i++)
            {
                switch (children[i])
                {
                    case IText text:
                        AppendText(_content, text.Data);
                        break;
                    case IElement element:
                        WriteElement(element, depth + 1);
                        break;
                    default:
                        // Comments, processing instructions, doctype: never written.
                        break;
                }
            }
        }

        private void WriteElement(IElement element, int depth)
        {
            if (depth > context.Options.MaxDepth)
            {
                context.RemovedElements++;
                return;
            }

            if (element.NamespaceUri != NamespaceNames.HtmlUri)
            {
                // SVG and MathML: removed with their content (script, animate/set on href,
                // foreignObject, maction, and the parsing differentials they enable).
                context.RemovedElements++;
                return;
            }

            var name = element.LocalName;
            if (name == "style")
            {
                var css = _css.SanitizeStylesheet(element.TextContent);
                if (css.Length > 0)
                {
                    _styles.Append(css);
                }

                return;
            }

            if (HtmlPolicy.DroppedElements.Contains(name))
            {
                context.RemovedElements++;
                return;
            }

            if (name == "div" && !_containerSeen && string.Equals(element.Id, context.Options.ContainerId, StringComparison.Ordinal))
            {
                // Our own container, when already sanitised HTML is sanitised again: it is
                // unwrapped and its style kept, so sanitising is idempotent.
                _containerSeen = true;
                if (element.GetAttribute("style") is { } containerStyle && _containerStyle is null)
                {
                    var sanitized = _css.SanitizeDeclarations(containerStyle);
                    _containerStyle = sanitized.Length == 0 ? null : sanitized;
                }

                WriteChildren(element, depth);
                return;
            }

            if (!HtmlPolicy.AllowedElements.Contains(name) || (name == "a" && _anchorDepth > 0))
            {
                // Unknown or merely presentational-but-unlisted elements (html, head, body,
                // form, marquee, custom elements, a nested link): keep the content, lose the tag.
                WriteChildren(element, depth);
                return;
            }

            _content.Append('<').Append(name);
            WriteAttributes(element, name);
            _content.Append('>');
            if (HtmlPolicy.VoidElements.Contains(name))
            {
                return;
            }

            if (name == "pre" && element.FirstChild is IText { Data: [ '\n', .. ] })
            {
                // HTML §13.3: the parser drops one newline right after <pre>; keep the one we had.
                _content.Append('\n');
            }

            if (name == "a")
            {
                _anchorDepth++;
            }

            WriteChildren(element, depth);
            if (name == "a")
            {
                _anchorDepth--;
            }

            _content.Append("</").Append(name).Append('>');
        }

        private void WriteAttributes(IElement element, string elementName)
        {
            var isLink = false;
            var markBlocked = false;
            foreach (var attribute in element.Attributes)
            {
                if (attribute.NamespaceUri is not null)
                {
                    continue;
                }

                var name = attribute.LocalName;
                var value = attribute.Value;
                switch (name)
                {
                    case "href" when elementName == "a":
                        switch (UrlPolicy.Classify(value, out var url))
                        {
                            case UrlKind.Remote or UrlKind.Mailto:
                                WriteAttribute("href", url);
                                isLink = true;
                                break;
                            case UrlKind.Fragment:
                                WriteAttribute("href", url);
                                break;
                        }

                        break;
                    case "src" when elementName == "img":
                        var source = context.RewriteImageUrl(value);
                        if (source is not null)
                        {
                            WriteAttribute("src", source);
                        }
                        else if (UrlPolicy.Classify(value, out _) == UrlKind.Remote)
                        {
                            markBlocked = true;
                        }

                        break;
                    case "background" when elementName is "table" or "td" or "th" or "tr" or "tbody" or "thead" or "tfoot":
                        var background = context.RewriteImageUrl(value);
                        if (background is not null)
                        {
                            WriteAttribute("background", background);
                        }

                        break;
                    case "style":
                        var css = SanitizeStyleAttribute(value);
                        if (css.Length > 0)
                        {
                            WriteAttribute("style", css);
                        }

                        break;
                    case "id" or "name":
                        // Anchors for in-message links; never the container's own id.
                        if (!string.Equals(value, context.Options.ContainerId, StringComparison.OrdinalIgnoreCase)
                            && (name == "id" || elementName == "a"))
                        {
                            WriteAttribute(name, value);
                        }

                        break;
                    case BlockedImageAttribute when elementName == "img":
                        // Our own placeholder marker (sanitising sanitised HTML again); inert.
                        markBlocked = true;
                        break;
                    case "dir":
                        if (value.Trim().ToLowerInvariant() is "ltr" or "rtl" or "auto")
                        {
                            WriteAttribute(name, value.Trim().ToLowerInvariant());
                        }

                        break;
                    default:
                        if (HtmlPolicy.PlainAttributes.Contains(name)
                            || (HtmlPolicy.ListAttributes.Contains(name) && elementName is "ol" or "ul" or "li"))
                        {
                            WriteAttribute(name, value);
                        }

                        break;
                }
            }

            if (markBlocked)
            {
                WriteAttribute(BlockedImageAttribute, "");
            }

            if (isLink)
            {
                WriteAttribute("target", "_blank");
                WriteAttribute("rel", "noopener noreferrer");
            }
        }

        private string SanitizeStyleAttribute(string value)
        {
            // Mail repeats the same style on every cell of a table: sanitised once per message.
            // Only results that met no URL are reused (URLs are counted and collected per use).
            if (_styleAttributes.TryGetValue(value, out var known))
            {
                return known;
            }

            var checks = context.UrlChecks;
            var css = _css.SanitizeDeclarations(value);
            if (context.UrlChecks == checks)
            {
                _styleAttributes[value] = css;
            }

            return css;
        }

        private void WriteAttribute(string name, string value)
        {
            _content.Append(' ').Append(name).Append("=\"");
            AppendAttributeValue(_content, value);
            _content.Append('"');
        }
    }

    private static void AppendText(StringBuilder sb, string text)
    {
        var rest = text.AsSpan();
        int i;
        while ((i = rest.IndexOfAny(TextSpecials)) >= 0)
        {
            sb.Append(rest[..i]);
            switch (rest[i])
            {
                case '&':
                    sb.Append("&amp;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '\u00a0':
                    sb.Append("&nbsp;");
                    break;
                default:
                    // '\0' is dropped.
                    break;
            }

            rest = rest[(i + 1)..];
        }

        sb.Append(rest);
    }

    private static void AppendAttributeValue(StringBuilder sb, string value)
    {
        var rest = value.AsSpan();
        int i;
        while ((i = rest.IndexOfAny(AttributeSpecials)) >= 0)
        {
            sb.Append(rest[..i]);
            switch (rest[i])
            {
                case '&':
                    sb.Append("&amp;");
                    break;
                case '"':
                    sb.Append("&quot;");
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '\u00a0':
                    sb.Append("&nbsp;");
                    break;
                default:
                    // '\0' is dropped.
                    break;
            }

            rest = rest[(i + 1)..];
        }

        sb.Append(rest);
    }
}
