namespace MSSante.Infrastructure.Persistence.CardLogin;

/// <summary>
/// A card login challenge waiting for its single use, shared by every web host behind the load
/// balancer. Times are Unix milliseconds so both providers compare them as plain integers.
/// </summary>
public sealed class CardLoginChallenge
{
    /// <summary>The random nonce (URL-safe base64), the key.</summary>
    public string Nonce { get; set; } = "";

    /// <summary>The webmail origin the challenge names.</summary>
    public string Origin { get; set; } = "";

    /// <summary>Issue time, Unix milliseconds.</summary>
    public long IssuedAtUnixMs { get; set; }

    /// <summary>Expiry, Unix milliseconds.</summary>
    public long ExpiresAtUnixMs { get; set; }

    /// <summary>The exact bytes the card signs.</summary>
    public byte[] Bytes { get; set; } = [];
}

/// <summary>
/// A card session ended before its cookie expired (the card left the reader): every copy of
/// that cookie, on every host, is refused until <see cref="ForgetAfterUnixMs"/>, after which
/// the cookie would have expired anyway.
/// </summary>
public sealed class CardLoginEndedSession
{
    /// <summary>The session's random identifier (claim of the session cookie).</summary>
    public string SessionId { get; set; } = "";

    /// <summary>When it ended, Unix milliseconds.</summary>
    public long EndedAtUnixMs { get; set; }

    /// <summary>When the row may be purged, Unix milliseconds.</summary>
    public long ForgetAfterUnixMs { get; set; }
}
