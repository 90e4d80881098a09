using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.TrustSpace;

/// <summary>What an import did.</summary>
/// <param name="Accepted">True when the stored list was replaced.</param>
/// <param name="Entries">Domaine elements read.</param>
/// <param name="Domains">Distinct domains read.</param>
/// <param name="PreviousDomains">Distinct domains stored before.</param>
/// <param name="Truncated">The file ended without its closing root tag.</param>
/// <param name="Reason">Why it was refused (English), or null.</param>
public sealed record WhitelistImportOutcome(bool Accepted, int Entries, int Domains, int PreviousDomains, bool Truncated, string? Reason);

/// <summary>
/// Imports the published whitelist from a file or a URL into the database, refusing a list
/// with no domain or one that shrinks beyond <see cref="WhitelistOptions.MaxShrinkFraction"/>;
/// a refused list leaves the stored one untouched. Every attempt is recorded.
/// </summary>
public sealed partial class WhitelistImporter(
    IDbContextFactory<MSSanteDbContext> contexts,
    IHttpClientFactory httpClients,
    IOptions<WhitelistOptions> options,
    ILogger<WhitelistImporter> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>Name of the HttpClient used for downloads.</summary>
    public const string HttpClientName = "MSSante.Whitelist";

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Imports from an http(s) URL or a local file path.</summary>
    public async Task<WhitelistImportOutcome> ImportAsync(string source, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        if (Uri.TryCreate(source, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            var client = httpClients.CreateClient(HttpClientName);
            client.Timeout = options.Value.DownloadTimeout;
            using var response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            if (response.Content.Headers.ContentLength > options.Value.MaxDownloadBytes)
            {
                throw new WhitelistFormatException($"The whitelist at {uri} is larger than the configured {options.Value.MaxDownloadBytes} bytes.");
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                return await ImportAsync(new LimitedStream(body, options.Value.MaxDownloadBytes), uri.ToString(), cancellationToken).ConfigureAwait(false);
            }
        }

        var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            return await ImportAsync(file, Path.GetFullPath(source), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Imports from a stream; <paramref name="sourceName"/> is recorded with the attempt.</summary>
    public async Task<WhitelistImportOutcome> ImportAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var now = _time.GetUtcNow().UtcDateTime;
        WhitelistDocument document;
        try
        {
            document = await WhitelistParser.ParseAsync(stream, cancellationToken).ConfigureAwait(false);
        }
        catch (WhitelistFormatException ex)
        {
            LogRefused(logger, sourceName, ex.Message);
            await RecordAsync(new WhitelistImportRow
            {
                ImportedAtUtc = now, Source = Limit(sourceName), Accepted = false, Reason = Limit(ex.Message, 1000),
                PreviousDomains = await CountStoredAsync(cancellationToken).ConfigureAwait(false),
            }, cancellationToken).ConfigureAwait(false);
            throw;
        }

        if (document.Truncated)
        {
            LogTruncated(logger, sourceName, document.Entries.Count);
        }

        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var transaction = await context.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var entries = context.Set<WhitelistEntryRow>();
                var previous = await entries.Select(e => e.Domain).Distinct().CountAsync(cancellationToken).ConfigureAwait(false);
                var decision = WhitelistImportPolicy.Evaluate(previous, document.Domains.Count, options.Value.MaxShrinkFraction);
                context.Set<WhitelistImportRow>().Add(new WhitelistImportRow
                {
                    ImportedAtUtc = now,
                    Source = Limit(sourceName),
                    GeneratedAtUtc = document.GeneratedAt?.UtcDateTime,
                    Entries = document.Entries.Count,
                    Domains = document.Domains.Count,
                    PreviousDomains = previous,
                    Truncated = document.Truncated,
                    Accepted = decision.Accepted,
                    Reason = decision.Reason,
                });
                if (decision.Accepted)
                {
                    await entries.ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
                    entries.AddRange(document.Entries.Select(e => new WhitelistEntryRow
                    {
                        Domain = e.Name,
                        Description = Limit(e.Description, 1000),
                        OperatorCertificateDn = Limit(e.OperatorCertificateDn, 1000),
                        ResponsibleContact = Limit(e.ResponsibleContact, 500),
                        SupportContact = Limit(e.SupportContact, 500),
                        UpdatedAtUtc = e.UpdatedAt?.UtcDateTime,
                    }));
                    LogImported(logger, sourceName, document.Entries.Count, document.Domains.Count, previous);
                }
                else
                {
                    LogRefused(logger, sourceName, decision.Reason!);
                }

                await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return new WhitelistImportOutcome(decision.Accepted, document.Entries.Count, document.Domains.Count, previous, document.Truncated, decision.Reason);
            }
        }
    }

    private async Task<int> CountStoredAsync(CancellationToken cancellationToken)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            return await context.Set<WhitelistEntryRow>().Select(e => e.Domain).Distinct().CountAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task RecordAsync(WhitelistImportRow row, CancellationToken cancellationToken)
    {
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            context.Set<WhitelistImportRow>().Add(row);
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Limit(string value) => value.Length <= 2000 ? value : value[..2000];

    private static string? Limit(string? value, int max) => value is null || value.Length <= max ? value : value[..max];

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information,
        Message = "Whitelist imported from {Source}: {Entries} entries, {Domains} distinct domains (previously {Previous})")]
    private static partial void LogImported(ILogger logger, string source, int entries, int domains, int previous);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Warning,
        Message = "Whitelist import from {Source} refused, the stored list is kept: {Reason}")]
    private static partial void LogRefused(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Information,
        Message = "Whitelist from {Source} ends without its closing tag; the {Entries} complete entries read are used")]
    private static partial void LogTruncated(ILogger logger, string source, int entries);

    /// <summary>Stops a download that goes beyond the configured size.</summary>
    private sealed class LimitedStream(Stream inner, long limit) : Stream
    {
        private long _read;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _read; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private int Count(int read)
        {
            _read += read;
            if (_read > limit)
            {
                throw new WhitelistFormatException($"The whitelist download is larger than the configured {limit} bytes.");
            }

            return read;
        }
    }
}
