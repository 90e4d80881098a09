using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Persistence.CardLogin;

namespace MSSante.Infrastructure.Tests.Persistence;

/// <summary>
/// The card login state shared by web hosts, on SQLite and on the stack's PostgreSQL. Each
/// "host" is its own service provider with its own connections, as two processes would be.
/// </summary>
public sealed class CardLoginStoreTests
{
    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static CardLoginChallenge NewChallenge(DateTimeOffset? expires = null)
    {
        var nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new CardLoginChallenge
        {
            Nonce = nonce,
            Origin = "https://webmail.example.fr",
            IssuedAtUnixMs = Now.ToUnixTimeMilliseconds(),
            ExpiresAtUnixMs = (expires ?? Now.AddMinutes(2)).ToUnixTimeMilliseconds(),
            Bytes = System.Text.Encoding.UTF8.GetBytes($"{{\"typ\":\"mssante-card-login\",\"nonce\":\"{nonce}\"}}"),
        };
    }

    private static async Task<ServiceProvider> HostAsync(TestDatabase database, bool migrate)
    {
        var host = database.BuildHost();
        if (migrate)
        {
            await host.MigrateWebmailDatabaseAsync();
        }
        return host;
    }

    private static CardLoginDatabaseStore Store(ServiceProvider host) =>
        new(host.GetRequiredService<IDbContextFactory<MSSanteDbContext>>());

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_challenge_added_on_one_host_is_taken_once_on_another_with_its_exact_bytes(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = await HostAsync(database, migrate: true);
        await using var hostB = await HostAsync(database, migrate: false);
        var challenge = NewChallenge();

        await Store(hostA).AddChallengeAsync(challenge);
        var taken = await Store(hostB).TakeChallengeAsync(challenge.Nonce);
        var replayedOnB = await Store(hostB).TakeChallengeAsync(challenge.Nonce);
        var replayedOnA = await Store(hostA).TakeChallengeAsync(challenge.Nonce);

        Assert.NotNull(taken);
        Assert.Equal(challenge.Bytes, taken.Bytes);
        Assert.Equal(challenge.Origin, taken.Origin);
        Assert.Equal(challenge.ExpiresAtUnixMs, taken.ExpiresAtUnixMs);
        Assert.Null(replayedOnB);
        Assert.Null(replayedOnA);
        Assert.Null(await Store(hostA).TakeChallengeAsync("never-issued"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Two_hosts_racing_to_consume_the_same_challenge_never_both_win(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = await HostAsync(database, migrate: true);
        await using var hostB = await HostAsync(database, migrate: false);
        var storeA = Store(hostA);
        var storeB = Store(hostB);
        var challenges = Enumerable.Range(0, 40).Select(_ => NewChallenge()).ToList();
        foreach (var c in challenges)
        {
            await storeA.AddChallengeAsync(c);
        }

        foreach (var c in challenges)
        {
            // Both hosts start reading the row before either deletes it as often as the
            // scheduler allows: the barrier releases them together.
            using var barrier = new Barrier(2);
            async Task<CardLoginChallenge?> Race(CardLoginDatabaseStore store)
            {
                await Task.Yield();
                barrier.SignalAndWait();
                return await store.TakeChallengeAsync(c.Nonce);
            }
            var results = await Task.WhenAll(Task.Run(() => Race(storeA)), Task.Run(() => Race(storeB)));
            Assert.Equal(1, results.Count(r => r is not null));
        }
        await using var context = await hostA.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        Assert.Equal(0, await context.CardLoginChallenges.CountAsync());
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Purge_removes_expired_challenges_and_forgotten_sessions_only(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var host = await HostAsync(database, migrate: true);
        var store = Store(host);
        var expired = NewChallenge(Now.AddSeconds(-1));
        var pending = NewChallenge(Now.AddSeconds(30));
        await store.AddChallengeAsync(expired);
        await store.AddChallengeAsync(pending);
        await store.EndSessionAsync("old-session", Now.AddHours(-13), forgetAfter: Now.AddHours(-1));
        await store.EndSessionAsync("recent-session", Now.AddMinutes(-1), forgetAfter: Now.AddHours(11));

        var purged = await store.PurgeAsync(Now);

        Assert.Equal(2, purged);
        Assert.Null(await store.TakeChallengeAsync(expired.Nonce));
        Assert.NotNull(await store.TakeChallengeAsync(pending.Nonce));
        Assert.False(await store.IsSessionEndedAsync("old-session"));
        Assert.True(await store.IsSessionEndedAsync("recent-session"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_card_session_ended_on_one_host_is_ended_on_the_other(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = await HostAsync(database, migrate: true);
        await using var hostB = await HostAsync(database, migrate: false);
        Assert.False(await Store(hostB).IsSessionEndedAsync("s-1"));

        await Store(hostA).EndSessionAsync("s-1", Now, Now.AddHours(12));
        // Two tabs of the same session report the removal: the second report changes nothing.
        await Store(hostB).EndSessionAsync("s-1", Now, Now.AddHours(12));

        Assert.True(await Store(hostB).IsSessionEndedAsync("s-1"));
        Assert.False(await Store(hostB).IsSessionEndedAsync("s-2"));
    }
}
