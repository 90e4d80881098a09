using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.Health;

/// <summary>The trust anchors of section <c>Operator:TrustedCaFiles</c>, loaded once.</summary>
public sealed class OperatorTrustAnchors(IOptions<OperatorHealthOptions> options)
{
    private readonly Lazy<X509Certificate2Collection> _anchors = new(() =>
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in options.Value.TrustedCaFiles)
        {
            collection.ImportFromPemFile(file);
        }
        return collection;
    });

    public X509Certificate2Collection Certificates => _anchors.Value;
}

/// <summary>Reports whether the operator's IMAP or SMTP server answers (TLS handshake + greeting).</summary>
public sealed partial class OperatorServerHealthCheck(
    ProbeProtocol protocol,
    IOptions<OperatorHealthOptions> operatorOptions,
    IOptions<HealthProbeOptions> probeOptions,
    OperatorTrustAnchors anchors,
    ILogger<OperatorServerHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = protocol == ProbeProtocol.Imap ? operatorOptions.Value.Imap : operatorOptions.Value.Smtp;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(probeOptions.Value.TimeoutSeconds));
        try
        {
            await OperatorProbe.ProbeAsync(protocol, endpoint, anchors.Certificates, timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (ProbeFailedException e)
        {
            LogProbeFailed(logger, protocol, e.Message);
            return HealthCheckResult.Unhealthy(e.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogProbeFailed(logger, protocol, "timeout");
            return HealthCheckResult.Unhealthy($"no answer within {probeOptions.Value.TimeoutSeconds} s");
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Operator {Protocol} health probe failed: {Reason}")]
    private static partial void LogProbeFailed(ILogger logger, ProbeProtocol protocol, string reason);
}

/// <summary>Reports whether the webmail's database accepts connections.</summary>
public sealed partial class DatabaseHealthCheck(
    IDbContextFactory<MSSanteDbContext> contextFactory,
    IOptions<HealthProbeOptions> probeOptions,
    ILogger<DatabaseHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(probeOptions.Value.TimeoutSeconds));
        try
        {
            await using var db = await contextFactory.CreateDbContextAsync(timeout.Token).ConfigureAwait(false);
            return await db.Database.CanConnectAsync(timeout.Token).ConfigureAwait(false)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogDatabaseDown(logger, "timeout");
            return HealthCheckResult.Unhealthy("database unreachable");
        }
#pragma warning disable CA1031 // Any provider failure means "down"; its message may carry connection details.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogDatabaseDown(logger, e.GetType().Name);
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Database health check failed: {Reason}")]
    private static partial void LogDatabaseDown(ILogger logger, string reason);
}
