namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>The state of one sanitiser run: options, what was blocked, which cid: parts are used.</summary>
internal sealed class SanitizeContext(HtmlSanitizerOptions options)
{
    private readonly List<string> _cids = [];
    private readonly HashSet<string> _seenCids = new(StringComparer.OrdinalIgnoreCase);

    public HtmlSanitizerOptions Options { get; } = options;

    public int BlockedRemote { get; set; }

    public int RemovedElements { get; set; }

    public IReadOnlyList<string> CidReferences => _cids;

    /// <summary>
    /// The URL to write for something the browser would load as an image (img src, background
    /// attribute, CSS url()), or null to drop it. Remote URLs are counted when blocked.
    /// </summary>
    public string? RewriteImageUrl(string raw)
    {
        switch (UrlPolicy.Classify(raw, out var url))
        {
            case UrlKind.DataImage:
                return url;
            case UrlKind.Cid:
                if (_seenCids.Add(url))
                {
                    _cids.Add(url);
                }

                return Options.CidResolver is null ? url : Options.CidResolver(url);
            case UrlKind.Remote:
                if (Options.AllowRemoteContent)
                {
                    return url;
                }

                BlockedRemote++;
                return null;
            default:
                return null;
        }
    }

    /// <summary>True when <paramref name="raw"/> would make the browser fetch something remote (counted when blocked).</summary>
    public void CountIfRemote(string raw)
    {
        if (!Options.AllowRemoteContent && UrlPolicy.Classify(raw, out _) == UrlKind.Remote)
        {
            BlockedRemote++;
        }
    }
}
