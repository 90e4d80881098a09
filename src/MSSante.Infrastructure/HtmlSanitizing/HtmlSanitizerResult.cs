namespace MSSante.Infrastructure.HtmlSanitizing;

/// <summary>The outcome of sanitising one HTML body.</summary>
/// <param name="Html">
/// The sanitised fragment: one <c>&lt;div id="{ContainerId}"&gt;</c> holding the message's
/// scoped styles and content. Only allowlisted elements and attributes appear, every text and
/// attribute value is escaped by the sanitiser's own serialiser.
/// </param>
/// <param name="BlockedRemoteResources">How many remote loads (images, backgrounds, CSS <c>url()</c>) were removed.</param>
/// <param name="CidReferences">The <c>cid:</c> URLs the body refers to, in document order, without duplicates.</param>
/// <param name="RemovedElements">How many elements were removed (not merely unwrapped), for diagnostics.</param>
public sealed record HtmlSanitizerResult(
    string Html,
    int BlockedRemoteResources,
    IReadOnlyList<string> CidReferences,
    int RemovedElements)
{
    /// <summary>True when something remote was blocked, i.e. the reading pane should show its banner.</summary>
    public bool HasBlockedRemoteContent => BlockedRemoteResources > 0;
}
