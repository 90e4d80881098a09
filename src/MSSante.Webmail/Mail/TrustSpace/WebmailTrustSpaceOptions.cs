namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>Settings of section <c>TrustSpace</c>: what the webmail adds to the stored whitelist.</summary>
public sealed class WebmailTrustSpaceOptions
{
    public const string SectionName = "TrustSpace";

    /// <summary>
    /// The operator's own domains, always inside the trust space even before the first whitelist
    /// import (a test operator's domains are on no published list). Exact domains, no sub-domains.
    /// </summary>
    public List<string> OperatorDomains { get; set; } = [];
}
