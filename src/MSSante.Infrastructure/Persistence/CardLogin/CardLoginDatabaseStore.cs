using Microsoft.EntityFrameworkCore;

namespace MSSante.Infrastructure.Persistence.CardLogin;

/// <summary>
/// Card login state kept in the shared database so that several web hosts agree on it:
/// challenges consumed at most once whichever host receives the signed answer, and card
/// sessions ended on one host refused on all of them. Thread-safe (a context per call).
/// </summary>
public sealed class CardLoginDatabaseStore(IDbContextFactory<MSSanteDbContext> contexts)
{
    /// <summary>Stores a freshly issued challenge.</summary>
    public async Task AddChallengeAsync(CardLoginChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        context.CardLoginChallenges.Add(challenge);
        await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Consumes the challenge with <paramref name="nonce"/>: returns it to exactly one caller,
    /// across every host, and null to everyone else (unknown, or already consumed). Expired
    /// challenges are returned too, so the caller can say "expired" rather than "unknown".
    /// </summary>
    public async Task<CardLoginChallenge?> TakeChallengeAsync(string nonce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nonce);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var challenge = await context.CardLoginChallenges.AsNoTracking()
            .SingleOrDefaultAsync(c => c.Nonce == nonce, cancellationToken).ConfigureAwait(false);
        if (challenge is null)
        {
            return null;
        }
        // The row is immutable, so reading it first is harmless; what decides who consumed it is
        // this single conditional DELETE: the database deletes the row once, and only the
        // statement that deleted it sees one affected row. Two hosts racing cannot both win.
        var deleted = await context.CardLoginChallenges.Where(c => c.Nonce == nonce)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return deleted == 1 ? challenge : null;
    }

    /// <summary>Deletes challenges expired before <paramref name="now"/> and ended sessions past their cookie's life.</summary>
    /// <returns>How many rows went.</returns>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var ms = now.ToUnixTimeMilliseconds();
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var challenges = await context.CardLoginChallenges.Where(c => c.ExpiresAtUnixMs < ms)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        var sessions = await context.CardLoginEndedSessions.Where(s => s.ForgetAfterUnixMs < ms)
            .ExecuteDeleteAsync(cancellationToken).ConfigureAwait(false);
        return challenges + sessions;
    }

    /// <summary>Records that the card session <paramref name="sessionId"/> ended (idempotent).</summary>
    public async Task EndSessionAsync(string sessionId, DateTimeOffset endedAt, DateTimeOffset forgetAfter, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        if (await context.CardLoginEndedSessions.AnyAsync(s => s.SessionId == sessionId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }
        context.CardLoginEndedSessions.Add(new CardLoginEndedSession
        {
            SessionId = sessionId,
            EndedAtUnixMs = endedAt.ToUnixTimeMilliseconds(),
            ForgetAfterUnixMs = forgetAfter.ToUnixTimeMilliseconds(),
        });
        try
        {
            await context.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another tab or host may have recorded the same end at the same instant: then the
            // goal is reached; otherwise the failure is real.
            if (!await IsSessionEndedAsync(sessionId, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }
    }

    /// <summary>True when the card session <paramref name="sessionId"/> was ended.</summary>
    public async Task<bool> IsSessionEndedAsync(string sessionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        await using var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await context.CardLoginEndedSessions.AnyAsync(s => s.SessionId == sessionId, cancellationToken).ConfigureAwait(false);
    }
}
