using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

namespace MSSante.Webmail.Authentication;

/// <summary>A login challenge as issued: the exact bytes the card signs, and what they say.</summary>
/// <param name="Nonce">Random, URL-safe base64 of 32 bytes.</param>
/// <param name="Origin">The webmail origin the challenge is for.</param>
/// <param name="IssuedAt">Issue time.</param>
/// <param name="ExpiresAt">Expiry.</param>
/// <param name="Bytes">The UTF-8 JSON that is signed, byte for byte.</param>
public sealed record IssuedChallenge(string Nonce, string Origin, DateTimeOffset IssuedAt, DateTimeOffset ExpiresAt, byte[] Bytes)
{
    /// <summary>The JSON type marker the bridge insists on.</summary>
    public const string Type = "mssante-card-login";

    /// <summary>Builds a fresh challenge for <paramref name="origin"/>.</summary>
    public static IssuedChallenge Create(string origin, DateTimeOffset now, TimeSpan lifetime)
    {
        var nonce = Base64Url(RandomNumberGenerator.GetBytes(32));
        var expires = now + lifetime;
        var bytes = JsonSerializer.SerializeToUtf8Bytes(new
        {
            typ = Type,
            nonce,
            origin,
            iat = now.ToUnixTimeSeconds(),
            exp = expires.ToUnixTimeSeconds(),
        });
        return new IssuedChallenge(nonce, origin, now, expires, bytes);
    }

    /// <summary>Reads the nonce of presented challenge bytes; null when they are not a challenge.</summary>
    public static string? ReadNonce(ReadOnlySpan<byte> bytes)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var doc = JsonDocument.ParseValue(ref reader);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// Where issued challenges wait for their single use. One web host may keep them in memory;
/// several hosts behind a load balancer share them through the database
/// (<see cref="DatabaseChallengeStore"/>), chosen by <c>CardLogin:Store</c>.
/// </summary>
public interface IChallengeStore
{
    /// <summary>Keeps <paramref name="challenge"/> until it is used or expires.</summary>
    Task AddAsync(IssuedChallenge challenge, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes and returns the challenge with <paramref name="nonce"/>; null if unknown or
    /// already used. Exactly one caller gets a given challenge, whichever host it runs on.
    /// </summary>
    Task<IssuedChallenge?> TakeAsync(string nonce, CancellationToken cancellationToken = default);
}

/// <summary>In-memory single-use store for one web host.</summary>
public sealed class InMemoryChallengeStore(TimeProvider time) : IChallengeStore
{
    private const int MaxPending = 100_000;
    private readonly ConcurrentDictionary<string, IssuedChallenge> _pending = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task AddAsync(IssuedChallenge challenge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(challenge);
        if (_pending.Count > MaxPending / 2)
        {
            var now = time.GetUtcNow();
            foreach (var (nonce, c) in _pending)
            {
                if (c.ExpiresAt < now)
                {
                    _pending.TryRemove(nonce, out _);
                }
            }
            if (_pending.Count >= MaxPending)
            {
                throw new InvalidOperationException("Too many pending card login challenges.");
            }
        }
        _pending[challenge.Nonce] = challenge;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IssuedChallenge?> TakeAsync(string nonce, CancellationToken cancellationToken = default) =>
        Task.FromResult(_pending.TryRemove(nonce, out var c) ? c : null);
}
