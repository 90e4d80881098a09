using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Security;

namespace MSSante.Webmail.DemoSignIn;

/// <summary>
/// The development sign-in of the demo environment: choose a fictitious identity, no card.
/// It exists until card login is the only way in, and is fenced three times: the flag, the
/// <c>Demo</c> environment (the host refuses to start otherwise), and loopback clients only.
/// </summary>
public static partial class DemoSignInExtensions
{
    public const string PagePath = "/demo/connexion";

    public static WebApplicationBuilder AddDemoSignIn(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(DemoSignInOptions.SectionName);
        var enabled = section.GetValue<bool>(nameof(DemoSignInOptions.DevelopmentSignIn));
        if (enabled && !builder.Environment.IsEnvironment(DemoSignInOptions.EnvironmentName))
        {
            throw new InvalidOperationException(
                $"Demo:DevelopmentSignIn is set but the environment is '{builder.Environment.EnvironmentName}': " +
                $"the demo sign-in may only be enabled when ASPNETCORE_ENVIRONMENT is '{DemoSignInOptions.EnvironmentName}'.");
        }
        builder.Services.AddOptions<DemoSignInOptions>().Bind(section);
        builder.Services.AddSingleton<DemoAccounts>();
        if (enabled)
        {
            // Anonymous users land on the demo page while card login is not there.
            builder.Services.PostConfigure<WebmailSessionOptions>(o => o.LoginPath = PagePath);
        }
        return builder;
    }

    /// <summary>True when the demo sign-in is enabled and <paramref name="context"/> comes from this machine.</summary>
    public static bool IsDemoSignInAvailable(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.RequestServices.GetRequiredService<IOptions<DemoSignInOptions>>().Value;
        var environment = context.RequestServices.GetRequiredService<IHostEnvironment>();
        var remote = context.Connection.RemoteIpAddress;
        return options.DevelopmentSignIn
            && environment.IsEnvironment(DemoSignInOptions.EnvironmentName)
            && remote is not null && IPAddress.IsLoopback(remote);
    }

    public static WebApplication MapDemoSignIn(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(PagePath, async (HttpContext context, [FromForm] string idNat, DemoAccounts accounts, ILogger<DemoAccounts> logger) =>
        {
            if (!IsDemoSignInAvailable(context))
            {
                return Results.NotFound();
            }
            var account = accounts.Find(idNat);
            if (account is null)
            {
                return Results.LocalRedirect(PagePath + "?erreur=inconnu");
            }
            await WebmailSession.SignInAsync(context, account);
            LogDemoSignIn(logger);
            return Results.LocalRedirect("/");
        });
        return app;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Demo sign-in used (demo environment, no card)")]
    private static partial void LogDemoSignIn(ILogger logger);
}
