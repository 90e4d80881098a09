namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>The element and attribute allowlists (in the spirit of Roundcube's washtml).</summary>
internal static class HtmlPolicy
{
    /// <summary>Elements written out, with their allowed attributes.</summary>
    public static readonly HashSet<string> AllowedElements = new(StringComparer.Ordinal)
    {
        "a", "abbr", "acronym", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
        "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt",
        "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
        "img", "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
        "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
        "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr",
    };

    /// <summary>Elements removed with everything inside them.</summary>
    public static readonly HashSet<string> DroppedElements = new(StringComparer.Ordinal)
    {
        "script", "noscript", "template", "iframe", "frame", "frameset", "object", "embed", "applet", "param",
        "base", "meta", "link", "title", "input", "button", "select", "option", "optgroup", "textarea",
        "datalist", "keygen", "xmp", "plaintext", "noembed", "noframes", "listing", "audio", "video", "source",
        "track", "canvas", "map", "area", "portal", "dialog", "slot", "isindex", "bgsound", "svg", "math",
        "image", "fencedframe", "search", "menu", "menuitem", "command", "style",
    };

    /// <summary>Elements with no end tag (HTML §13.1.2).</summary>
    public static readonly HashSet<string> VoidElements = new(StringComparer.Ordinal)
    {
        "br", "col", "hr", "img", "wbr",
    };

    /// <summary>Attributes written as they are (escaped), on any allowed element.</summary>
    public static readonly HashSet<string> PlainAttributes = new(StringComparer.Ordinal)
    {
        "title", "lang", "align", "valign", "class", "width", "height", "bgcolor", "color", "border", "hspace",
        "vspace", "nowrap", "cellpadding", "cellspacing", "colspan", "rowspan", "span", "start", "reversed",
        "alt", "datetime", "abbr", "headers", "scope", "summary", "face", "size", "clear", "noshade", "char",
        "charoff", "frame", "rules", "axis", "compact", "open",
    };

    /// <summary>Attributes only meaningful on list elements (their values are short keywords).</summary>
    public static readonly HashSet<string> ListAttributes = new(StringComparer.Ordinal) { "type", "value" };
}
