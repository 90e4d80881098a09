using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Operator;

namespace MSSante.Infrastructure.Tests.Operator;

public sealed class OperatorTokenIssuerTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);
    private readonly RSA _key = RSA.Create(2048);
    private readonly List<string> _files = [];

    public void Dispose()
    {
        _key.Dispose();
        foreach (var f in _files)
        {
            File.Delete(f);
        }
    }

    [Fact]
    public void Header_names_RS256_JWT_and_the_key_id()
    {
        var token = NewIssuer(keyId: "webmail-0123abcd").Issue("899700100015", "jeanne.martin@medecin.mssante.fr");

        using var header = Part(token.Value, 0);
        Assert.Equal("RS256", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal("webmail-0123abcd", header.RootElement.GetProperty("kid").GetString());
    }

    [Fact]
    public void Header_has_no_kid_when_none_is_configured()
    {
        var token = NewIssuer(keyId: null).Issue("899700100015", "jeanne.martin@medecin.mssante.fr");

        using var header = Part(token.Value, 0);
        Assert.False(header.RootElement.TryGetProperty("kid", out _));
    }

    [Fact]
    public void Claims_carry_issuer_audience_person_mailbox_and_times()
    {
        var token = NewIssuer(lifetime: TimeSpan.FromMinutes(5)).Issue("3990000001/SB0001", "pneumologie@ch-demo.mssante.fr");

        using var payload = Part(token.Value, 1);
        var c = payload.RootElement;
        Assert.Equal("urn:test:webmail", c.GetProperty("iss").GetString());
        Assert.Equal("mssante-webmail", c.GetProperty("aud").GetString());
        Assert.Equal("3990000001/SB0001", c.GetProperty("sub").GetString());
        Assert.Equal("pneumologie@ch-demo.mssante.fr", c.GetProperty("email").GetString());
        // Stated 5 s early, so a validator whose clock lags a little never sees it from the future.
        Assert.Equal(Now.ToUnixTimeSeconds() - 5, c.GetProperty("iat").GetInt64());
        Assert.Equal(Now.ToUnixTimeSeconds() - 30, c.GetProperty("nbf").GetInt64());
        Assert.Equal(Now.AddMinutes(5).ToUnixTimeSeconds(), c.GetProperty("exp").GetInt64());
        Assert.Equal(Now.AddMinutes(5), token.ExpiresAt);
        Assert.Equal(32, c.GetProperty("jti").GetString()!.Length);
    }

    [Fact]
    public void Each_token_has_its_own_jti()
    {
        var issuer = NewIssuer();
        var a = issuer.Issue("899700100015", "jeanne.martin@medecin.mssante.fr");
        var b = issuer.Issue("899700100015", "jeanne.martin@medecin.mssante.fr");

        using var pa = Part(a.Value, 1);
        using var pb = Part(b.Value, 1);
        Assert.NotEqual(pa.RootElement.GetProperty("jti").GetString(), pb.RootElement.GetProperty("jti").GetString());
    }

    [Fact]
    public void Signature_verifies_with_the_public_key_and_not_with_another()
    {
        var token = NewIssuer().Issue("899700100015", "jeanne.martin@medecin.mssante.fr").Value;
        var parts = token.Split('.');
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var signature = FromBase64Url(parts[2]);

        using var publicOnly = RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(_key.ExportSubjectPublicKeyInfo(), out _);
        Assert.True(publicOnly.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

        using var other = RSA.Create(2048);
        Assert.False(other.VerifyData(input, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void A_changed_claim_breaks_the_signature()
    {
        var token = NewIssuer().Issue("899700100015", "jeanne.martin@medecin.mssante.fr").Value;
        var parts = token.Split('.');
        var forged = Encoding.UTF8.GetString(FromBase64Url(parts[1])).Replace("jeanne.martin@medecin.mssante.fr", "paul.durand@ch-demo.mssante.fr", StringComparison.Ordinal);
        var input = Encoding.ASCII.GetBytes(parts[0] + "." + ToBase64Url(Encoding.UTF8.GetBytes(forged)));

        Assert.False(_key.VerifyData(input, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Token_is_compact_base64url_without_padding()
    {
        var token = NewIssuer().Issue("899700100015", "jeanne.martin@medecin.mssante.fr").Value;

        Assert.Equal(3, token.Split('.').Length);
        Assert.DoesNotContain('=', token);
        Assert.DoesNotContain('+', token);
        Assert.DoesNotContain('/', token);
    }

    [Fact]
    public void ToString_never_reveals_the_token()
    {
        var token = NewIssuer().Issue("899700100015", "jeanne.martin@medecin.mssante.fr");

        Assert.DoesNotContain(token.Value.Split('.')[2], token.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("jeanne.martin")]
    [InlineData("@medecin.mssante.fr")]
    [InlineData("jeanne@")]
    [InlineData("a@b@c.fr")]
    public void A_malformed_mailbox_is_refused(string mailbox)
    {
        Assert.ThrowsAny<ArgumentException>(() => NewIssuer().Issue("899700100015", mailbox));
    }

    [Fact]
    public void A_missing_person_id_is_refused()
    {
        Assert.ThrowsAny<ArgumentException>(() => NewIssuer().Issue(" ", "jeanne.martin@medecin.mssante.fr"));
    }

    [Fact]
    public void A_short_key_is_refused()
    {
        using var weak = RSA.Create(1024);
        Assert.Throws<ArgumentException>(() => new OperatorTokenIssuer(weak, "urn:test:webmail", "mssante-webmail", null, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Options_load_a_pkcs8_pem_file_and_sign_with_it()
    {
        var file = TempFile(_key.ExportPkcs8PrivateKeyPem());
        using var issuer = new OperatorTokenIssuer(Options.Create(new OperatorTokenOptions
        {
            SigningKeyFile = file,
            Issuer = "urn:test:webmail",
            Audience = "mssante-webmail",
            KeyId = "k1",
            LifetimeSeconds = 120,
        }), new FixedTime(Now));

        var token = issuer.Issue("899700100015", "jeanne.martin@medecin.mssante.fr");

        var parts = token.Value.Split('.');
        Assert.True(_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
        Assert.Equal(Now.AddSeconds(120), token.ExpiresAt);
    }

    [Fact]
    public void A_missing_key_file_fails_with_the_setting_name()
    {
        using var issuer = new OperatorTokenIssuer(Options.Create(new OperatorTokenOptions
        {
            SigningKeyFile = Path.Combine(Path.GetTempPath(), "absent-" + Guid.NewGuid().ToString("N") + ".pem"),
            Issuer = "urn:test:webmail",
            Audience = "mssante-webmail",
        }));

        var e = Assert.Throws<FileNotFoundException>(() => issuer.Issue("899700100015", "jeanne.martin@medecin.mssante.fr"));
        Assert.Contains("OperatorToken:SigningKeyFile", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_a_private_key_fails_clearly()
    {
        var file = TempFile("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        using var issuer = new OperatorTokenIssuer(Options.Create(new OperatorTokenOptions
        {
            SigningKeyFile = file,
            Issuer = "urn:test:webmail",
            Audience = "mssante-webmail",
        }));

        Assert.Throws<InvalidOperationException>(() => issuer.Issue("899700100015", "jeanne.martin@medecin.mssante.fr"));
    }

    [Fact]
    public void Options_validation_requires_key_issuer_audience_and_a_sane_lifetime()
    {
        var options = new OperatorTokenOptions { LifetimeSeconds = 5 };
        var results = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        var members = results.SelectMany(r => r.MemberNames).ToHashSet();
        Assert.Contains(nameof(OperatorTokenOptions.SigningKeyFile), members);
        Assert.Contains(nameof(OperatorTokenOptions.Issuer), members);
        Assert.Contains(nameof(OperatorTokenOptions.Audience), members);
        Assert.Contains(nameof(OperatorTokenOptions.LifetimeSeconds), members);
    }

    private OperatorTokenIssuer NewIssuer(string? keyId = "k1", TimeSpan? lifetime = null)
    {
        var copy = RSA.Create();
        copy.ImportRSAPrivateKey(_key.ExportRSAPrivateKey(), out _);
        return new OperatorTokenIssuer(copy, "urn:test:webmail", "mssante-webmail", keyId, lifetime ?? TimeSpan.FromMinutes(5), new FixedTime(Now));
    }

    private string TempFile(string content)
    {
        var file = Path.Combine(Path.GetTempPath(), "mssante-token-" + Guid.NewGuid().ToString("N") + ".pem");
        File.WriteAllText(file, content);
        _files.Add(file);
        return file;
    }

    private static JsonDocument Part(string token, int index) => JsonDocument.Parse(FromBase64Url(token.Split('.')[index]));

    private static byte[] FromBase64Url(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b.PadRight(b.Length + ((4 - (b.Length % 4)) % 4), '='));
    }

    private static string ToBase64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
