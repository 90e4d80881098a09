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
    /// Counts the calls that may change this state (URLs met). A CSS text sanitised without any
    /// gives the same output every time in this run, so its result may be reused.
    /// </summary>
    public int UrlChecks { get; private set; }

    /// <summary>
    /// The URL to write for something the browser would load as an image (img src, background
    /// attribute, CSS url()), or null to drop it. Remote URLs are counted when blocked.
    /// </summary>
    public string? RewriteImageUrl(string raw)
    {
        UrlChecks++;
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
        UrlChecks++;
        if (!Options.AllowRemoteContent && UrlPolicy.Classify(raw, out _) == UrlKind.Remote)
        {
            BlockedRemote++;
        }
    }
}
