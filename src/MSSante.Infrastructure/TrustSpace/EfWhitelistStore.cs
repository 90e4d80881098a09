using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>The stored whitelist, read through the database (indexed lookups, no cache to invalidate across hosts).</summary>
public sealed class EfWhitelistStore(IDbContextFactory<MSSanteDbContext> contexts) : IWhitelistStore
{
    /// <inheritdoc />
    public async Task<bool> ContainsDomainAsync(string domain, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            return await context.Set<WhitelistEntryRow>().AnyAsync(e => e.Domain == domain, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<int> CountDomainsAsync(CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            return await context.Set<WhitelistEntryRow>().Select(e => e.Domain).Distinct().CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListDomainsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var domains = context.Set<WhitelistEntryRow>().Select(e => e.Domain).Distinct().OrderBy(d => d).AsAsyncEnumerable();
            await foreach (var domain in domains.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                yield return domain;
            }
        }
    }
}
