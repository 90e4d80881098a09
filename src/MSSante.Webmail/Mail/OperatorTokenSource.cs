using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MSSante.Webmail.Mail;

/// <summary>Mints the bearer token that lets the webmail act on one mailbox for one signed-in person.</summary>
public interface IOperatorTokenSource
{
    /// <summary>A fresh token for <paramref name="mailbox"/> on behalf of <paramref name="idNat"/>.</summary>
    string Mint(string idNat, string mailbox);
}

/// <summary>
/// RS256 JWT (RFC 7519, RFC 7515 §A.2) with <c>iss</c>, <c>aud</c>, <c>sub</c> = national id,
/// <c>email</c> = mailbox address, <c>iat</c>, <c>exp</c> a few minutes ahead, <c>kid</c> in the
/// header: what Dovecot validates locally with the webmail's public key (SASL OAUTHBEARER).
/// Stands in until the Infrastructure token issuer is available to the web host.
/// </summary>
public sealed class OperatorTokenSource : IOperatorTokenSource, IDisposable
{
    private readonly OperatorTokenOptions _options;
    private readonly Lazy<RSA> _key;

    public OperatorTokenSource(IOptions<OperatorTokenOptions> options)
    {
        _options = options.Value;
        _key = new Lazy<RSA>(() =>
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(_options.SigningKeyFile));
            return rsa;
        });
    }

    public string Mint(string idNat, string mailbox)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (!string.IsNullOrEmpty(_options.KeyId))
        {
            header["kid"] = _options.KeyId;
        }
        var payload = new Dictionary<string, object>
        {
            ["iss"] = _options.Issuer,
            ["aud"] = _options.Audience,
            ["sub"] = idNat,
            ["email"] = mailbox,
            ["iat"] = now,
            ["nbf"] = now - 30,
            ["exp"] = now + _options.LifetimeSeconds,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
        };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(payload));
        var signature = _key.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }
}
