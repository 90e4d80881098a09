using System.Collections.Frozen;

namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>The element and attribute allowlists (in the spirit of Roundcube's washtml); frozen: looked up for every element.</summary>
internal static class HtmlPolicy
{
    /// <summary>Elements written out, with their allowed attributes.</summary>
    public static readonly FrozenSet<string> AllowedElements = new[]
    {
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
        "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
        "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Elements removed with everything inside them.</summary>
    public static readonly FrozenSet<string> DroppedElements = new[]
    {
        "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "base", "meta", "link", "title", "input", "button", "select", "option", "optgroup", "textarea",
        "datalist", "keygen", "xmp", "plaintext", "noembed", "noframes", "listing", "audio", "video", "source",
        "track", "canvas", "map", "area", "portal", "dialog", "slot", "isindex", "bgsound", "svg", "math",
        "image", "fencedframe", "search", "menu", "menuitem", "command", "style",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Elements with no end tag (HTML §13.1.2).</summary>
    public static readonly FrozenSet<string> VoidElements = new[]
    {
        "br", "col", "hr", "img", "wbr",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Attributes written as they are (escaped), on any allowed element.</summary>
    public static readonly FrozenSet<string> PlainAttributes = new[]
    {
        "title", "lang", "align", "valign", "class", "width", "height", "bgcolor", "color", "border", "hspace",
        "vspace", "nowrap", "cellpadding", "cellspacing", "colspan", "rowspan", "span", "start", "reversed",
        "alt", "datetime", "abbr", "headers", "scope", "summary", "face", "size", "clear", "noshade", "char",
        "charoff", "frame", "rules", "axis", "compact", "open",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Attributes only meaningful on list elements (their values are short keywords).</summary>
    public static readonly FrozenSet<string> ListAttributes = new[]
    { "type", "value" }.ToFrozenSet(StringComparer.Ordinal);
}
