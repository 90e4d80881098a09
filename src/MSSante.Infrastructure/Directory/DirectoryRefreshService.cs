using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// Imports the national directory at start-up and every <see cref="DirectoryOptions.RefreshInterval"/>
/// when a source is configured. A URL is downloaded to a temporary file first: the ZIP format
/// needs a seekable stream, and a slow download must not hold the import transaction open.
/// </summary>
public sealed partial class DirectoryRefreshService(
    IServiceScopeFactory scopes,
    IHttpClientFactory httpClients,
    IOptions<DirectoryOptions> options,
    ILogger<DirectoryRefreshService> logger,
    TimeProvider? timeProvider = null) : BackgroundService
{
    /// <summary>Name of the HttpClient used for downloads.</summary>
    public const string HttpClientName = "MSSante.Directory";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var source = options.Value.Source;
        if (string.IsNullOrWhiteSpace(source))
        {
            LogDisabled(logger);
            return;
        }

        using var timer = new PeriodicTimer(options.Value.RefreshInterval, timeProvider ?? TimeProvider.System);
        do
        {
            try
            {
                await RunOnceAsync(source, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // A failed import keeps the stored directory; retried at the next tick.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>Imports once from a URL or file path.</summary>
    public async Task RunOnceAsync(string source, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        using var scope = scopes.CreateScope();
        var importer = scope.ServiceProvider.GetRequiredService<DirectoryImporter>();
        if (!(Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
        {
            await importer.ImportFileAsync(source, cancellationToken).ConfigureAwait(false);
            return;
        }

        var temp = Path.Combine(Path.GetTempPath(), $"mssante-directory-{Guid.NewGuid():N}.download");
        try
        {
            var client = httpClients.CreateClient(HttpClientName);
            client.Timeout = options.Value.DownloadTimeout;
            using (var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false))
            {
                response.EnsureSuccessStatusCode();
                var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                await using (file.ConfigureAwait(false))
                {
                    await response.Content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
                }
            }

            await importer.ImportFileAsync(temp, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "Scheduled directory import disabled: Directory:Source is empty")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 7111, Level = LogLevel.Error, Message = "Scheduled directory import failed; the stored directory is kept")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
