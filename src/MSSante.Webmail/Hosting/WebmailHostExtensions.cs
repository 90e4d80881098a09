using MSSante.Infrastructure.Health;
using MSSante.Infrastructure.Persistence;
using MSSante.Webmail.Components;
using MSSante.Webmail.DemoSignIn;
using MSSante.Webmail.Security;
using Radzen;

namespace MSSante.Webmail.Hosting;

/// <summary>The web host's areas, each registered by one call.</summary>
internal static class WebmailHostExtensions
{
    public static WebApplicationBuilder AddWebmailHost(this WebApplicationBuilder builder)
    {
        builder.AddSettingsDirectory();
        // Radzen and our own static assets from the build output outside Development too
        // (the demo and the browser tests run the build output in the Demo environment).
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddRadzenComponents();
        builder.Services.AddWebmailPersistence(builder.Configuration, builder.Environment.ContentRootPath);
        builder.Services.AddOperatorHealth(builder.Configuration);
        builder.AddWebmailSession();
        builder.AddDemoSignIn();
        return builder;
    }

    public static async Task PrepareWebmailAsync(this IServiceProvider services)
    {
        await services.MigrateWebmailDatabaseAsync();
    }

    public static WebApplication UseWebmailPipeline(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/erreur", createScopeForErrors: true);
        }
        app.UseWebmailAssets();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapBlazorScript();
        app.MapOperatorHealth();
        app.MapStaticAssets();
        app.MapWebmailSignOut();
        app.MapDemoSignIn();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
