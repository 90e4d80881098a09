using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MSSante.Infrastructure.Operator;

/// <summary>A bearer token for the operator and the instant it stops being accepted.</summary>
/// <param name="Value">The compact JWT (RFC 7519 §3.1), a secret: never log it.</param>
/// <param name="ExpiresAt">The <c>exp</c> claim.</param>
public sealed record OperatorToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <summary>Keeps the token itself out of logs and exception messages.</summary>
    public override string ToString() => $"OperatorToken(expires {ExpiresAt:O})";
}

/// <summary>Mints the tokens the webmail presents to the operator on a user's behalf.</summary>
public interface IOperatorTokenIssuer
{
    /// <summary>
    /// A fresh token letting the person identified by <paramref name="idNat"/> act on
    /// <paramref name="mailbox"/> (their own box, or a service box they are a delegate of).
    /// </summary>
    /// <param name="idNat">National identifier of the signed-in person (the <c>sub</c> claim).</param>
    /// <param name="mailbox">Mailbox address, the IMAP/SMTP username (the <c>email</c> claim).</param>
    OperatorToken Issue(string idNat, string mailbox);
}

/// <summary>
/// RS256 JSON Web Tokens built with the BCL only: JWS compact serialisation (RFC 7515 §3.1,
/// §A.2 for RSASSA-PKCS1-v1_5 with SHA-256) of the claims <c>iss</c>, <c>aud</c>, <c>sub</c>,
/// <c>email</c>, <c>iat</c>, <c>nbf</c>, <c>exp</c>, <c>jti</c> (RFC 7519 §4.1), with
/// <c>kid</c> in the header. Dovecot validates them locally with the matching public key.
/// Thread-safe; the key is read once, on first use.
/// </summary>
public sealed class OperatorTokenIssuer : IOperatorTokenIssuer, IDisposable
{
    // Tolerance for clocks of the web host and the operator that disagree by a few seconds.
    private static readonly TimeSpan NotBeforeSkew = TimeSpan.FromSeconds(30);

    // iat is stated a little in the past: Dovecot refuses a token whose iat is after its own
    // time(), which reads a coarse clock that can still show the previous second for a few
    // milliseconds after ours has moved on. A token minted at 12:00:01.002 and checked 1 ms
    // later was refused as "issued in future" about once per thousand logins on one machine,
    // and across machines the disagreement is larger.
    private static readonly TimeSpan IssuedAtSkew = TimeSpan.FromSeconds(5);

    private readonly Lazy<RSA> _key;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly string? _keyId;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;

    /// <summary>Creates an issuer from validated options (the key file is read on first use).</summary>
    public OperatorTokenIssuer(IOptions<OperatorTokenOptions> options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        var file = o.SigningKeyFile;
        _key = new Lazy<RSA>(() => LoadKey(file), LazyThreadSafetyMode.ExecutionAndPublication);
        _issuer = o.Issuer;
        _audience = o.Audience;
        _keyId = string.IsNullOrWhiteSpace(o.KeyId) ? null : o.KeyId;
        _lifetime = TimeSpan.FromSeconds(o.LifetimeSeconds);
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Creates an issuer around a key the caller owns (tests, tools); the issuer disposes it.</summary>
    public OperatorTokenIssuer(RSA key, string issuer, string audience, string? keyId, TimeSpan lifetime, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentException.ThrowIfNullOrWhiteSpace(issuer);
        ArgumentException.ThrowIfNullOrWhiteSpace(audience);
        if (lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(lifetime), "The token lifetime must be positive.");
        }
        if (key.KeySize < 2048)
        {
            throw new ArgumentException("RS256 keys must be at least 2048 bits (RFC 7518 §3.3).", nameof(key));
        }
        _key = new Lazy<RSA>(() => key);
        _ = _key.Value;
        _issuer = issuer;
        _audience = audience;
        _keyId = keyId;
        _lifetime = lifetime;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public OperatorToken Issue(string idNat, string mailbox)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idNat);
        ArgumentException.ThrowIfNullOrWhiteSpace(mailbox);
        var at = mailbox.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == mailbox.Length - 1 || mailbox.AsSpan(at + 1).Contains('@'))
        {
            throw new ArgumentException("The mailbox must be a single address local@domain.", nameof(mailbox));
        }

        var now = _time.GetUtcNow();
        var issuedAt = now.ToUnixTimeSeconds();
        var expires = DateTimeOffset.FromUnixTimeSeconds(issuedAt) + _lifetime;

        var header = WriteJson(w =>
        {
            w.WriteString("alg", "RS256");
            w.WriteString("typ", "JWT");
            if (_keyId is not null)
            {
                w.WriteString("kid", _keyId);
            }
        });
        var payload = WriteJson(w =>
        {
            w.WriteString("iss", _issuer);
            w.WriteString("aud", _audience);
            w.WriteString("sub", idNat);
            w.WriteString("email", mailbox);
            w.WriteNumber("iat", issuedAt - (long)IssuedAtSkew.TotalSeconds);
            w.WriteNumber("nbf", issuedAt - (long)NotBeforeSkew.TotalSeconds);
            w.WriteNumber("exp", expires.ToUnixTimeSeconds());
            w.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        });

        // RFC 7515 §5.1: the signature covers ASCII(BASE64URL(header) || '.' || BASE64URL(payload)).
        var signingInput = Base64Url.Encode(header) + "." + Base64Url.Encode(payload);
        var signature = _key.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return new OperatorToken(signingInput + "." + Base64Url.Encode(signature), expires);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }

    private static RSA LoadKey(string file)
    {
        if (!File.Exists(file))
        {
            throw new FileNotFoundException("OperatorToken:SigningKeyFile does not exist (start the operator stack: deploy/stack.sh start).", file);
        }
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(File.ReadAllText(file));
        }
        catch (ArgumentException e)
        {
            rsa.Dispose();
            throw new InvalidOperationException("OperatorToken:SigningKeyFile holds no RSA private key in PEM form.", e);
        }
        if (rsa.KeySize < 2048)
        {
            rsa.Dispose();
            throw new InvalidOperationException("OperatorToken:SigningKeyFile: RS256 keys must be at least 2048 bits (RFC 7518 §3.3).");
        }
        return rsa;
    }

    private static byte[] WriteJson(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>Base64url without padding (RFC 7515 §2, RFC 4648 §5).</summary>
internal static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static byte[] Decode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        s += (s.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("Invalid base64url length.") };
        return Convert.FromBase64String(s);
    }
}
