namespace MSSante.Domain.TrustSpace;

/// <summary>
/// Writes the whitelist as a Postfix access(5) table for <c>check_recipient_access</c>:
/// one <c>domain OK</c> line per domain. The refusal of everything else belongs to the
/// operator's main.cf (a following <c>static:{REJECT 5.7.1 ...}</c>), not to this map.
/// </summary>
public static class PostfixRecipientMap
{
    /// <summary>Writes the map to <paramref name="writer"/>; returns the number of domain lines.</summary>
    public static async Task<int> WriteAsync(
        TextWriter writer,
        IAsyncEnumerable<string> domains,
        DateTimeOffset generatedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(domains);
        await writer.WriteLineAsync("# MSSanté trust space: recipient domains allowed (access(5) map).").ConfigureAwait(false);
        await writer.WriteLineAsync(
            $"# Generated {generatedAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} by 'mssante whitelist postfix-map'. Do not edit by hand.").ConfigureAwait(false);
        await writer.WriteLineAsync(
            "# The whitelist names exact domains: remove smtpd_access_maps from parent_domain_matches_subdomains").ConfigureAwait(false);
        await writer.WriteLineAsync(
            "# so that a listed domain does not also admit its sub-domains.").ConfigureAwait(false);
        var count = 0;
        await foreach (var domain in domains.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var normalized = WhitelistParser.NormalizeDomain(domain);
            if (normalized is null)
            {
                continue;
            }

            await writer.WriteLineAsync($"{normalized} OK").ConfigureAwait(false);
            count++;
        }

        return count;
    }
}
