using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MSSante.Domain.Audit;
using MSSante.Domain.NationalDirectory;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Audit;
using MSSante.Infrastructure.NationalDirectory;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>Registration of the trust space: whitelist, national directory and audit trail.</summary>
public static class TrustSpaceServiceCollectionExtensions
{
    /// <summary>
    /// Registers the whitelist, the directory and the audit trail (sections <c>Whitelist</c>,
    /// <c>Directory</c>, <c>Audit</c>). With <paramref name="scheduled"/>, also the hosted services
    /// that import the whitelist and the directory and purge the audit trail on a schedule.
    /// Needs the database registration (<c>AddMSSanteDbContextFactory</c>) beside it.
    /// </summary>
    public static IServiceCollection AddMSSanteTrustSpace(this IServiceCollection services, IConfiguration configuration, bool scheduled = true)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<WhitelistOptions>().Bind(configuration.GetSection(WhitelistOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DirectoryOptions>().Bind(configuration.GetSection(DirectoryOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient(WhitelistImporter.HttpClientName);
        services.AddHttpClient(DirectoryRefreshService.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddSingleton<IWhitelistStore, EfWhitelistStore>();
        services.TryAddSingleton<WhitelistImporter>();
        services.TryAddSingleton<DirectorySearchService>();
        services.TryAddSingleton<IDirectorySearch>(sp => sp.GetRequiredService<DirectorySearchService>());
        services.TryAddSingleton<ITrustSpaceSuggestionSource>(sp => sp.GetRequiredService<DirectorySearchService>());
        services.TryAddSingleton<ITrustSpace>(sp => new TrustSpaceChecker(
            sp.GetRequiredService<IWhitelistStore>(), sp.GetRequiredService<ITrustSpaceSuggestionSource>()));
        services.TryAddSingleton<DirectoryImporter>();
        services.TryAddSingleton<IAuditTrail, EfAuditTrail>();
        if (scheduled)
        {
            services.AddHostedService<WhitelistRefreshService>();
            services.AddHostedService<DirectoryRefreshService>();
            services.AddHostedService<AuditPurgeService>();
        }

        return services;
    }
}
