using System.Net;
using Microsoft.Extensions.Options;

namespace MSSante.CardBridge;

/// <summary>
/// The bridge's only gate. A request is served when its Host is the loopback address (a DNS
/// rebinding page cannot pass) and its Origin is one of the configured webmail origins;
/// anything else gets 403 and no CORS header, so the browser hides the answer. Preflights
/// from allowed origins are answered with exact-origin CORS (never a wildcard) and, when
/// Chromium asks (Private Network Access, a public site calling 127.0.0.1), with
/// <c>Access-Control-Allow-Private-Network: true</c>.
/// </summary>
public sealed partial class OriginPolicy(RequestDelegate next, IOptions<BridgeOptions> options, ILogger<OriginPolicy> logger)
{
    private readonly HashSet<string> _allowed = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    /// <summary>Handles one request.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var response = context.Response;
        if (!IsLoopbackHost(request.Host))
        {
            LogRefusedHost(logger);
            response.StatusCode = StatusCodes.Status403Forbidden;
            await response.WriteAsJsonAsync(new BridgeError("host_refused", "Hôte non autorisé."));
            return;
        }
        var origin = request.Headers.Origin.ToString();
        if (string.IsNullOrEmpty(origin) || !_allowed.Contains(origin))
        {
            LogRefusedOrigin(logger, string.IsNullOrEmpty(origin) ? "(none)" : origin);
            response.StatusCode = StatusCodes.Status403Forbidden;
            await response.WriteAsJsonAsync(new BridgeError("origin_refused",
                "Ce site n'est pas autorisé à utiliser le lecteur de carte."));
            return;
        }
        response.Headers.AccessControlAllowOrigin = origin;
        response.Headers.Vary = "Origin";
        if (HttpMethods.IsOptions(request.Method))
        {
            response.Headers.AccessControlAllowMethods = "GET, POST";
            response.Headers.AccessControlAllowHeaders = "Content-Type";
            response.Headers.AccessControlMaxAge = "600";
            if (string.Equals(request.Headers["Access-Control-Request-Private-Network"], "true", StringComparison.OrdinalIgnoreCase))
            {
                response.Headers["Access-Control-Allow-Private-Network"] = "true";
            }
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        response.Headers.CacheControl = "no-store";
        await next(context);
    }

    /// <summary>True for origins configured as allowed.</summary>
    public bool IsAllowed(string origin) => _allowed.Contains(origin.TrimEnd('/'));

    private static bool IsLoopbackHost(HostString host)
    {
        if (!host.HasValue)
        {
            return false;
        }
        var name = host.Host.Trim('[', ']');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var ip) && IPAddress.IsLoopback(ip));
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Request refused: Host is not the loopback address")]
    private static partial void LogRefusedHost(ILogger logger);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Request refused from origin {Origin}")]
    private static partial void LogRefusedOrigin(ILogger logger, string origin);
}

/// <summary>The bridge's error answer: a code for the page's logic and a French message.</summary>
/// <param name="Error">Stable machine code, e.g. <c>pin_incorrect</c>.</param>
/// <param name="Message">French text for the user.</param>
/// <param name="RemainingTries">PIN tries left, when relevant.</param>
public sealed record BridgeError(string Error, string Message, int? RemainingTries = null);
