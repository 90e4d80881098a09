using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>Imports the whitelist at start-up and then every <see cref="WhitelistOptions.RefreshInterval"/>, when a source is configured.</summary>
public sealed partial class WhitelistRefreshService(
    IServiceScopeFactory scopes,
    IOptions<WhitelistOptions> options,
    ILogger<WhitelistRefreshService> logger,
    TimeProvider? timeProvider = null) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var source = options.Value.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            LogDisabled(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, timeProvider ?? TimeProvider.System);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<WhitelistImporter>().ImportAsync(source, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed refresh must not stop the host: the stored list stays in force.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 7010, Level = LogLevel.Information, Message = "Scheduled whitelist import disabled: Whitelist:Source is empty")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Error, Message = "Scheduled whitelist import failed; the stored list stays in force")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
