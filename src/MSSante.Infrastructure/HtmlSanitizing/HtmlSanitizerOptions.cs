namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>What the sanitiser lets through besides its fixed allowlist.</summary>
public sealed record HtmlSanitizerOptions
{
    /// <summary>The options of the reading pane by default: remote content blocked.</summary>
    public static HtmlSanitizerOptions Default { get; } = new();

    /// <summary>
    /// When false (the default), http/https images, CSS <c>url()</c> and table backgrounds are
    /// removed and counted in <see cref="HtmlSanitizerResult.BlockedRemoteResources"/>; when true
    /// they are kept (the user chose to load remote content for this message or sender).
    /// </summary>
    public bool AllowRemoteContent { get; init; }

    /// <summary>
    /// Maps a <c>cid:</c> URL (RFC 2392) to the URL the browser should load instead (a
    /// <c>data:image/...</c> URL or an attachment endpoint of the webmail), or null to leave the
    /// image out. When the resolver itself is null, <c>cid:</c> URLs are kept as they are.
    /// The value returned is trusted: it is written as is (attribute-escaped).
    /// </summary>
    public Func<string, string?>? CidResolver { get; init; }

    /// <summary>
    /// The id of the element that wraps the message; the message's own <c>&lt;style&gt;</c>
    /// rules are scoped to it so they cannot restyle anything around the message.
    /// </summary>
    public string ContainerId { get; init; } = "mssante-message";

    /// <summary>Inputs longer than this (in characters) are truncated before parsing.</summary>
    public int MaxInputLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>Elements nested deeper than this are dropped with their content (deep nesting is a parser-DoS and mXSS tool).</summary>
    public int MaxDepth { get; init; } = 256;
}
