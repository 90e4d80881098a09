using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MSSante.Domain.Audit;

namespace MSSante.Infrastructure.Audit;

/// <summary>Applies the audit retention (<see cref="AuditOptions.Retention"/>) every <see cref="AuditOptions.PurgeInterval"/>.</summary>
public sealed partial class AuditPurgeService(
    IServiceScopeFactory scopes,
    IOptions<AuditOptions> options,
    ILogger<AuditPurgeService> logger,
    TimeProvider? timeProvider = null) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.PurgeInterval <= TimeSpan.Zero)
        {
            return;
        }

        var time = timeProvider ?? TimeProvider.System;
        using var timer = new PeriodicTimer(options.Value.PurgeInterval, time);
        do
        {
            try
            {
                using var scope = scopes.CreateScope();
                await scope.ServiceProvider.GetRequiredService<IAuditTrail>()
                    .PurgeAsync(time.GetUtcNow() - options.Value.Retention, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed purge is retried at the next tick; the host keeps running.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    [LoggerMessage(EventId = 7210, Level = LogLevel.Error, Message = "Scheduled audit purge failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
