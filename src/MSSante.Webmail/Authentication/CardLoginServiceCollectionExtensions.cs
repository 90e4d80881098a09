using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.CardLogin;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.Authentication;

/// <summary>Registers and maps the CPS card login (challenge, verification, card removal).</summary>
public static partial class CardLoginServiceCollectionExtensions
{
    /// <summary>Base path of the card login endpoints.</summary>
    public const string BasePath = "/connexion/carte";

    /// <summary>Rate-limiting policy of the challenge and verification endpoints.</summary>
    public const string AttemptsPolicy = "card-login-attempts";

    /// <summary>Services of the card login; options from section <c>CardLogin</c>, validated at start.</summary>
    public static WebApplicationBuilder AddCardLogin(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CardLoginOptions>()
            .Bind(builder.Configuration.GetSection(CardLoginOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AllowedOrigins.All(x => Uri.TryCreate(x, UriKind.Absolute, out var u) && u.AbsolutePath == "/"),
                "CardLogin:AllowedOrigins must be origins such as https://webmail.example.fr (no path).")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (UsesDatabase(builder.Configuration))
        {
            builder.Services.TryAddSingleton<CardLoginDatabaseStore>();
            builder.Services.TryAddSingleton<IChallengeStore, DatabaseChallengeStore>();
            builder.Services.TryAddSingleton<ICardSessionRegistry, DatabaseCardSessionRegistry>();
        }
        else
        {
            builder.Services.TryAddSingleton<IChallengeStore, InMemoryChallengeStore>();
            builder.Services.TryAddSingleton<ICardSessionRegistry, InMemoryCardSessionRegistry>();
        }
        builder.Services.AddCardSessionChecks();
        builder.Services.TryAddSingleton<IMailboxDirectory, ConfiguredMailboxDirectory>();
        builder.Services.AddSingleton<TrustMaterial>();
        builder.Services.AddSingleton<CardLoginVerifier>();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(AttemptsPolicy, context =>
            {
                var perMinute = context.RequestServices.GetRequiredService<IOptions<CardLoginOptions>>().Value.MaxAttemptsPerMinute;
                var client = context.Connection.RemoteIpAddress?.ToString() ?? "inconnu";
                return RateLimitPartition.GetFixedWindowLimiter(client + " " + context.Request.Path.Value, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = perMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                });
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var http = rejected.HttpContext;
                LogRateLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("MSSante.Webmail.Authentication.CardLogin"));
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
                http.Response.Headers.CacheControl = "no-store";
                await http.Response.WriteAsJsonAsync(new
                {
                    error = "trop_de_tentatives",
                    message = "Trop de tentatives de connexion depuis ce poste. Patientez une minute puis réessayez.",
                }, cancellationToken);
            };
        });
        return builder;
    }

    /// <summary>Whether CardLogin:Store (Auto by default) puts the card login state in the database.</summary>
    internal static bool UsesDatabase(IConfiguration configuration)
    {
        var card = new CardLoginOptions();
        configuration.GetSection(CardLoginOptions.SectionName).Bind(card);
        var database = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.SectionName).Bind(database);
        return card.Store switch
        {
            CardLoginStore.Database => true,
            CardLoginStore.Memory => false,
            _ => database.Provider == DatabaseProvider.PostgreSql,
        };
    }

    /// <summary>
    /// Maps <c>POST /connexion/carte/defi</c> (a fresh challenge), <c>POST
    /// /connexion/carte/verification</c> (check and sign in; no cookie on refusal) and
    /// <c>POST /connexion/carte/retrait</c> (the page saw the card leave the reader).
    /// </summary>
    public static WebApplication MapCardLogin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MSSante.Webmail.Authentication.CardLogin");
        app.UseRateLimiter();

        app.MapPost(BasePath + "/defi", async (HttpContext context, CardLoginVerifier verifier) =>
        {
            var origin = RequestOrigin(context);
            var challenge = await verifier.IssueChallengeAsync(origin, context.RequestAborted);
            if (challenge is null)
            {
                var failure = CardLoginFailure.OriginNotAllowed();
                return Results.Json(new { error = failure.Code, message = failure.Message }, statusCode: StatusCodes.Status400BadRequest);
            }
            context.Response.Headers.CacheControl = "no-store";
            return Results.Json(new
            {
                challenge = Convert.ToBase64String(challenge.Bytes),
                issuedAt = challenge.IssuedAt.ToUnixTimeMilliseconds(),
                expiresAt = challenge.ExpiresAt.ToUnixTimeMilliseconds(),
                origin = challenge.Origin,
            });
        }).DisableAntiforgery().RequireRateLimiting(AttemptsPolicy);

        app.MapPost(BasePath + "/verification", async (HttpContext context, CardLoginRequest request, CardLoginVerifier verifier) =>
        {
            var result = await verifier.VerifyAsync(request, RequestOrigin(context), context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            if (result.Failure is not null)
            {
                LogRefused(logger, result.Failure.Code);
                await Mail.TrustSpace.LoginAudit.RecordCardFailureAsync(context, request, result.Failure);
                return Results.Json(new { error = result.Failure.Code, message = result.Failure.Message }, statusCode: StatusCodes.Status401Unauthorized);
            }
            var identity = result.Identity!;
            var webmailIdentity = new WebmailIdentity(identity.IdNat, identity.DisplayName, identity.Profession, result.Mailboxes, "cps");
            await WebmailSession.SignInAsync(context, webmailIdentity);
            LogSignedIn(logger, webmailIdentity.MaskedIdNat, result.Mailboxes.Count);
            return Results.Json(new { displayName = identity.DisplayName, profession = identity.Profession, mailboxes = result.Mailboxes, redirect = "/" });
        }).DisableAntiforgery().RequireRateLimiting(AttemptsPolicy);

        app.MapPost(BasePath + "/retrait", async (HttpContext context, IOptions<CardLoginOptions> options,
            IOptions<WebmailSessionOptions> session, ICardSessionRegistry sessions, TimeProvider time) =>
        {
            var identity = WebmailIdentity.FromPrincipal(context.User);
            if (identity?.Method == "cps" && options.Value.SignOutOnCardRemoval)
            {
                // Ended on the server first: deleting this browser's cookie alone would leave
                // any other copy of it valid.
                if (CardSession.IdOf(context.User) is { } id)
                {
                    await sessions.EndAsync(id, CardSession.ForgetAfter(time.GetUtcNow(), session.Value), context.RequestAborted);
                }
                await Mail.TrustSpace.LoginAudit.RecordSignOutAsync(context, Mail.TrustSpace.LoginAudit.CardRemovedReason);
                await context.SignOutAsync(WebmailSession.Scheme);
                LogCardRemoved(logger);
                return Results.Json(new { signedOut = true, message = "Carte retirée : vous avez été déconnecté." });
            }
            return Results.Json(new { signedOut = false });
        }).DisableAntiforgery();
        return app;
    }

    /// <summary>The page's origin: the Origin header browsers send with POST, else this request's scheme and host.</summary>
    internal static string RequestOrigin(HttpContext context)
    {
        var header = context.Request.Headers.Origin.ToString();
        return string.IsNullOrEmpty(header) ? $"{context.Request.Scheme}://{context.Request.Host}" : header.TrimEnd('/');
    }

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Card login refused: {Code}")]
    private static partial void LogRefused(ILogger logger, string code);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Card login of {MaskedIdNat}, {MailboxCount} mailboxes")]
    private static partial void LogSignedIn(ILogger logger, string maskedIdNat, int mailboxCount);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Warning, Message = "Card login attempts over the per-minute limit: refused with 429")]
    private static partial void LogRateLimited(ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Card removed: session ended")]
    private static partial void LogCardRemoved(ILogger logger);
}
