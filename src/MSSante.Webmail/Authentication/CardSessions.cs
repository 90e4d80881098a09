using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Persistence.CardLogin;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Authentication;

/// <summary>
/// Card sessions ended before their cookie expired. The session cookie is self-contained, so
/// deleting it in the browser that reported the removal is not enough: any other copy of it
/// (another tab, a copied cookie) would still open the mailbox. Each card session therefore
/// carries a random id, and an ended id is refused by the cookie validation on every host.
/// </summary>
public interface ICardSessionRegistry
{
    /// <summary>Ends <paramref name="sessionId"/>; the record may be forgotten after <paramref name="forgetAfter"/>.</summary>
    Task EndAsync(string sessionId, DateTimeOffset forgetAfter, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="sessionId"/> was ended.</summary>
    Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken = default);
}

/// <summary>Ended card sessions of one web host.</summary>
public sealed class InMemoryCardSessionRegistry(TimeProvider time) : ICardSessionRegistry
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _ended = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task EndAsync(string sessionId, DateTimeOffset forgetAfter, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        foreach (var (id, until) in _ended)
        {
            if (until < now)
            {
                _ended.TryRemove(id, out _);
            }
        }
        _ended[sessionId] = forgetAfter;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ended.ContainsKey(sessionId));
}

/// <summary>Ended card sessions in the shared database: a removal reported to one host ends the session on all.</summary>
public sealed class DatabaseCardSessionRegistry(CardLoginDatabaseStore store, TimeProvider time) : ICardSessionRegistry
{
    /// <inheritdoc />
    public Task EndAsync(string sessionId, DateTimeOffset forgetAfter, CancellationToken cancellationToken = default) =>
        store.EndSessionAsync(sessionId, time.GetUtcNow(), forgetAfter, cancellationToken);

    /// <inheritdoc />
    public Task<bool> IsEndedAsync(string sessionId, CancellationToken cancellationToken = default) =>
        store.IsSessionEndedAsync(sessionId, cancellationToken);
}

/// <summary>The card session id in the cookie, and the cookie events that stamp and check it.</summary>
public static class CardSession
{
    /// <summary>Claim holding the random id of a card session.</summary>
    public const string IdClaim = "mssante:card-session";

    /// <summary>The card session id of <paramref name="principal"/>, if it signed in with a card.</summary>
    public static string? IdOf(ClaimsPrincipal? principal) => principal?.FindFirst(IdClaim)?.Value;

    /// <summary>
    /// Adds to the session cookie's events, after whatever the session area set: a card
    /// sign-in gets a fresh session id; a cookie whose card session was ended is rejected and
    /// deleted (on every request, on every host sharing the registry).
    /// </summary>
    internal static void AddCardSessionChecks(this IServiceCollection services)
    {
        services.AddOptions<CookieAuthenticationOptions>(WebmailSession.Scheme)
            .PostConfigure<ICardSessionRegistry>((cookie, registry) =>
            {
                var signingIn = cookie.Events.OnSigningIn;
                cookie.Events.OnSigningIn = async context =>
                {
                    await signingIn(context);
                    if (context.Principal?.Identity is ClaimsIdentity identity
                        && identity.FindFirst(WebmailClaimTypes.Method)?.Value == "cps"
                        && !identity.HasClaim(c => c.Type == IdClaim))
                    {
                        identity.AddClaim(new Claim(IdClaim, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))));
                    }
                };
                var validate = cookie.Events.OnValidatePrincipal;
                cookie.Events.OnValidatePrincipal = async context =>
                {
                    await validate(context);
                    if (IdOf(context.Principal) is { } id && await registry.IsEndedAsync(id, context.HttpContext.RequestAborted))
                    {
                        context.RejectPrincipal();
                        await context.HttpContext.SignOutAsync(WebmailSession.Scheme);
                    }
                };
            });
    }

    /// <summary>When a record of an ended session may be dropped: once no cookie of it can still be valid.</summary>
    internal static DateTimeOffset ForgetAfter(DateTimeOffset now, WebmailSessionOptions session) =>
        now + TimeSpan.FromMinutes(session.AbsoluteLifetimeMinutes) + TimeSpan.FromMinutes(5);
}
