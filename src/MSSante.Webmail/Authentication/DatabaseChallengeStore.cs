using MSSante.Infrastructure.Persistence.CardLogin;

namespace MSSante.Webmail.Authentication;

/// <summary>
/// Challenges in the shared database, for several web hosts behind a load balancer: a
/// challenge issued by one host is consumed once, by whichever host receives the signed answer
/// (a single conditional DELETE decides, see <see cref="CardLoginDatabaseStore"/>). Expired
/// rows are purged by the hosts as they issue challenges, at most once a minute each.
/// </summary>
public sealed partial class DatabaseChallengeStore(CardLoginDatabaseStore store, TimeProvider time, ILogger<DatabaseChallengeStore> logger) : IChallengeStore
{
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);
    private long _nextPurgeTicks;

    /// <inheritdoc />
    public async Task AddAsync(IssuedChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        await PurgeIfDueAsync(cancellationToken).ConfigureAwait(false);
        await store.AddChallengeAsync(new CardLoginChallenge
        {
            Nonce = challenge.Nonce,
            Origin = challenge.Origin,
            IssuedAtUnixMs = challenge.IssuedAt.ToUnixTimeMilliseconds(),
            ExpiresAtUnixMs = challenge.ExpiresAt.ToUnixTimeMilliseconds(),
            Bytes = challenge.Bytes,
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IssuedChallenge?> TakeAsync(string nonce, CancellationToken cancellationToken = default)
    {
        var row = await store.TakeChallengeAsync(nonce, cancellationToken).ConfigureAwait(false);
        return row is null ? null : new IssuedChallenge(row.Nonce, row.Origin,
            DateTimeOffset.FromUnixTimeMilliseconds(row.IssuedAtUnixMs), DateTimeOffset.FromUnixTimeMilliseconds(row.ExpiresAtUnixMs), row.Bytes);
    }

    private async Task PurgeIfDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = Interlocked.Read(ref _nextPurgeTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextPurgeTicks, (now + PurgeInterval).UtcTicks, due) != due)
        {
            return;
        }
        var purged = await store.PurgeAsync(now, cancellationToken).ConfigureAwait(false);
        if (purged > 0)
        {
            LogPurged(logger, purged);
        }
    }

    [LoggerMessage(EventId = 5010, Level = LogLevel.Debug, Message = "Purged {Count} expired card login rows")]
    private static partial void LogPurged(ILogger logger, int count);
}
