using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MSSante.Infrastructure.Health;

/// <summary>Registration and endpoint of <c>/health</c>.</summary>
public static class HealthServiceCollectionExtensions
{
    public const string Path = "/health";

    /// <summary>Registers the IMAP, SMTP and database checks.</summary>
    public static IServiceCollection AddOperatorHealth(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<OperatorHealthOptions>()
            .Bind(configuration.GetSection(OperatorHealthOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.TrustedCaFiles.All(File.Exists), "Every Operator:TrustedCaFiles entry must be an existing PEM file.")
            .ValidateOnStart();
        services.AddOptions<HealthProbeOptions>()
            .Bind(configuration.GetSection(HealthProbeOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<OperatorTrustAnchors>();
        services.AddHealthChecks()
            .Add(new HealthCheckRegistration("imap", sp => Create(sp, ProbeProtocol.Imap), HealthStatus.Unhealthy, null))
            .Add(new HealthCheckRegistration("smtp", sp => Create(sp, ProbeProtocol.Smtp), HealthStatus.Unhealthy, null))
            .AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    /// <summary>
    /// Maps <c>GET /health</c>: 200 when every check passes, 503 otherwise, with a JSON body
    /// naming each check, its state and a short reason (no addresses, keys or connection strings).
    /// </summary>
    public static IEndpointConventionBuilder MapOperatorHealth(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapHealthChecks(Path, new HealthCheckOptions
        {
            ResponseWriter = WriteAsync,
            AllowCachingResponses = false,
        });
    }

    private static OperatorServerHealthCheck Create(IServiceProvider services, ProbeProtocol protocol) => new(
        protocol,
        services.GetRequiredService<IOptions<OperatorHealthOptions>>(),
        services.GetRequiredService<IOptions<HealthProbeOptions>>(),
        services.GetRequiredService<OperatorTrustAnchors>(),
        services.GetRequiredService<ILogger<OperatorServerHealthCheck>>());

    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("status", State(report.Status));
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", State(entry.Status));
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds));
                if (entry.Status != HealthStatus.Healthy && entry.Description is not null)
                {
                    json.WriteString("reason", entry.Description);
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted).AsTask();
    }

    private static string State(HealthStatus status) => status == HealthStatus.Healthy ? "up" : "down";
}
