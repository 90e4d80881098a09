using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace MSSante.Webmail.Security;

/// <summary>The signed-in session shared by every way of signing in (CPS card, demo sign-in).</summary>
public static class WebmailSession
{
    /// <summary>The cookie authentication scheme of the webmail session.</summary>
    public const string Scheme = "MSSante.Session";

    /// <summary>Where a signed-out user is sent.</summary>
    public const string SignOutPath = "/deconnexion";

    /// <summary>
    /// Registers authentication with the session cookie (sliding expiry within an absolute
    /// limit, see <see cref="WebmailSessionOptions"/>), authorization, and the cascading
    /// authentication state the components read.
    /// </summary>
    public static WebApplicationBuilder AddWebmailSession(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<WebmailSessionOptions>()
            .Bind(builder.Configuration.GetSection(WebmailSessionOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.AbsoluteLifetimeMinutes >= o.IdleTimeoutMinutes,
                "Session:AbsoluteLifetimeMinutes must not be shorter than Session:IdleTimeoutMinutes.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(Scheme).AddCookie(Scheme);
        builder.Services.AddOptions<CookieAuthenticationOptions>(Scheme)
            .Configure<IOptions<WebmailSessionOptions>>((cookie, session) =>
            {
                var s = session.Value;
                cookie.Cookie.Name = "__Host-mssante";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = s.RequireHttps ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
                if (!s.RequireHttps)
                {
                    // The __Host- prefix requires Secure; a plain-HTTP loopback demo cannot have it.
                    cookie.Cookie.Name = "mssante";
                }
                cookie.LoginPath = s.LoginPath;
                cookie.LogoutPath = SignOutPath;
                cookie.AccessDeniedPath = s.LoginPath;
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(s.IdleTimeoutMinutes);
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = context => EnforceAbsoluteLifetime(context, s);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();
        return builder;
    }

    /// <summary>Signs in <paramref name="identity"/>, stamping the time the absolute limit counts from.</summary>
    public static Task SignInAsync(HttpContext context, WebmailIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(identity);
        var properties = new AuthenticationProperties { IsPersistent = false, IssuedUtc = DateTimeOffset.UtcNow };
        properties.Items[SessionStartedItem] = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return context.SignInAsync(Scheme, identity.ToPrincipal(Scheme), properties);
    }

    /// <summary>Maps <c>POST /deconnexion</c> (antiforgery-checked form post).</summary>
    public static IEndpointConventionBuilder MapWebmailSignOut(this IEndpointRouteBuilder endpoints)
    {
        return endpoints.MapPost(SignOutPath, async (HttpContext context) =>
        {
            // Journalled first: once signed out, the request no longer says who it was.
            await Mail.TrustSpace.LoginAudit.RecordSignOutAsync(context, Mail.TrustSpace.LoginAudit.SignOutReason);
            await context.SignOutAsync(Scheme);
            return Results.LocalRedirect("/");
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());
    }

    private const string SessionStartedItem = "mssante.started";

    private static async Task EnforceAbsoluteLifetime(CookieValidatePrincipalContext context, WebmailSessionOptions options)
    {
        if (context.Properties.Items.TryGetValue(SessionStartedItem, out var value)
            && long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var started)
            && DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeSeconds(started) <= TimeSpan.FromMinutes(options.AbsoluteLifetimeMinutes))
        {
            return;
        }
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }
}

/// <summary>Settings of section <c>Session</c>.</summary>
public sealed class WebmailSessionOptions
{
    public const string SectionName = "Session";

    /// <summary>Minutes without activity after which the session ends.</summary>
    [Range(1, 24 * 60)]
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Minutes after sign-in after which the session ends whatever the activity.</summary>
    [Range(1, 7 * 24 * 60)]
    public int AbsoluteLifetimeMinutes { get; set; } = 12 * 60;

    /// <summary>Send the cookie over HTTPS only (true in production behind TLS).</summary>
    public bool RequireHttps { get; set; } = true;

    /// <summary>The sign-in page an anonymous user is sent to.</summary>
    [Required]
    public string LoginPath { get; set; } = "/connexion";
}
