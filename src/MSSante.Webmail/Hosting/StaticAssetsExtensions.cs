using Microsoft.Extensions.FileProviders;

namespace MSSante.Webmail.Hosting;

internal static class StaticAssetsExtensions
{
    /// <summary>
    /// Serves the top-level wwwroot-assets/ (copied beside the host as assets/ by the build)
    /// under <c>/assets</c>.
    /// </summary>
    public static WebApplication UseWebmailAssets(this WebApplication app)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "assets");
        if (!Directory.Exists(directory))
        {
            throw new InvalidOperationException($"{directory} is missing: the build copies wwwroot-assets/ there.");
        }
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(directory),
            RequestPath = "/assets",
        });
        return app;
    }
}
