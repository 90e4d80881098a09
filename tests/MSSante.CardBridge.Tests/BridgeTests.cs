using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using MSSante.Pkcs11.Tests;

namespace MSSante.CardBridge.Tests;

/// <summary>The bridge in process (TestServer) on a real SoftHSM2 module with throwaway tokens.</summary>
public sealed class BridgeFactory : WebApplicationFactory<Program>
{
    public const string Allowed = "https://webmail.test";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("CardBridge:ModulePath", SoftHsmFixture.ModulePath);
        builder.UseSetting("CardBridge:AllowedOrigins:0", Allowed);
        builder.UseSetting("CardBridge:AllowedOrigins:1", "http://127.0.0.1:5080");
        builder.UseSetting("CardBridge:MaxPinAttempts", "3");
        // Tests create tokens after the module is loaded: SoftHSM2 sees them after a rescan.
        builder.UseSetting("CardBridge:RescanByReinitialize", "true");
    }
}

[Collection("softhsm")]
public sealed class BridgeTests(SoftHsmFixture hsm) : IDisposable
{
    private readonly BridgeFactory _factory = new();

    public void Dispose() => _factory.Dispose();

    private HttpClient Client(string? origin = BridgeFactory.Allowed)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://127.0.0.1:17771/") });
        if (origin is not null)
        {
            client.DefaultRequestHeaders.Add("Origin", origin);
        }
        return client;
    }

    private static byte[] Challenge(string origin) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        typ = "mssante-card-login",
        nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        origin,
        iat = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        exp = DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeSeconds(),
    });

    private async Task<(string Card, string CertificateId, string Der)> CardAsync(HttpClient client, string label)
    {
        using var status = await client.GetFromJsonAsync<JsonDocument>("v1/status");
        var card = status!.RootElement.GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("label").GetString() == label);
        var serial = card.GetProperty("card").GetString()!;
        using var certs = await client.GetFromJsonAsync<JsonDocument>("v1/certificates?card=" + serial);
        var cert = certs!.RootElement.EnumerateArray().Single();
        return (serial, cert.GetProperty("id").GetString()!, cert.GetProperty("der").GetString()!);
    }

    private static Task<HttpResponseMessage> SignAsync(HttpClient client, string card, string certId, byte[] challenge, string pin, string algorithm = "RS256") =>
        client.PostAsJsonAsync("v1/sign", new { card, certificateId = certId, challenge = Convert.ToBase64String(challenge), pin, algorithm });

    [Fact]
    public async Task Status_lists_the_card_with_three_tries_for_an_allowed_origin()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        using var response = await client.GetAsync("v1/status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(BridgeFactory.Allowed, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("mssante-card-bridge", doc.RootElement.GetProperty("bridge").GetString());
        var card = doc.RootElement.GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("label").GetString() == label);
        Assert.Equal(3, card.GetProperty("remainingTries").GetInt32());
    }

    [Theory]
    [InlineData("https://evil.example")]
    [InlineData("https://webmail.test.evil.example")]
    [InlineData("null")]
    [InlineData(null)]
    public async Task Foreign_or_missing_origin_is_refused_without_any_CORS_header(string? origin)
    {
        using var client = Client(origin);
        using var response = await client.GetAsync("v1/status");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("origin_refused", doc.RootElement.GetProperty("error").GetString());
        Assert.Equal("Ce site n'est pas autorisé à utiliser le lecteur de carte.", doc.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Foreign_origin_cannot_get_a_signature_even_with_the_right_PIN()
    {
        var label = hsm.CreateToken();
        using var good = Client();
        var (card, certId, _) = await CardAsync(good, label);
        using var evil = Client("https://evil.example");
        using var response = await SignAsync(evil, card, certId, Challenge("https://evil.example"), "1234");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("signature", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Private_network_preflight_is_answered_for_allowed_origins_only()
    {
        using var client = Client(null);
        using var allowed = new HttpRequestMessage(HttpMethod.Options, "v1/sign");
        allowed.Headers.Add("Origin", BridgeFactory.Allowed);
        allowed.Headers.Add("Access-Control-Request-Method", "POST");
        allowed.Headers.Add("Access-Control-Request-Private-Network", "true");
        using var ok = await client.SendAsync(allowed);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.Equal("true", ok.Headers.GetValues("Access-Control-Allow-Private-Network").Single());
        Assert.Equal(BridgeFactory.Allowed, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.DoesNotContain("*", ok.Headers.GetValues("Access-Control-Allow-Origin").Single(), StringComparison.Ordinal);

        using var foreign = new HttpRequestMessage(HttpMethod.Options, "v1/sign");
        foreign.Headers.Add("Origin", "https://evil.example");
        foreign.Headers.Add("Access-Control-Request-Method", "POST");
        foreign.Headers.Add("Access-Control-Request-Private-Network", "true");
        using var refused = await client.SendAsync(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Private-Network"));
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Request_addressed_to_another_host_name_is_refused_against_DNS_rebinding()
    {
        using var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://attacker.example:17771/") });
        client.DefaultRequestHeaders.Add("Origin", BridgeFactory.Allowed);
        using var response = await client.GetAsync("v1/status");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Right_PIN_signs_the_exact_challenge_bytes(string algorithm)
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, der) = await CardAsync(client, label);
        var challenge = Challenge(BridgeFactory.Allowed);
        using var response = await SignAsync(client, card, certId, challenge, "1234", algorithm);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(algorithm, doc.RootElement.GetProperty("algorithm").GetString());
        Assert.Equal(der, doc.RootElement.GetProperty("certificates")[0].GetString());
        using var cert = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(der));
        using var rsa = cert.GetRSAPublicKey()!;
        var signature = Convert.FromBase64String(doc.RootElement.GetProperty("signature").GetString()!);
        Assert.True(rsa.VerifyData(challenge, signature, HashAlgorithmName.SHA256, algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public async Task Challenge_naming_another_origin_is_not_signed()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        using var response = await SignAsync(client, card, certId, Challenge("http://127.0.0.1:5080"), "1234");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("challenge_origin", doc.RootElement.GetProperty("error").GetString());
        Assert.Equal("Le défi de connexion ne provient pas de ce site : signature refusée.", doc.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Arbitrary_data_is_not_signed_only_login_challenges()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        using var response = await SignAsync(client, card, certId, Encoding.UTF8.GetBytes("{\"origin\":\"https://webmail.test\",\"ordonnance\":\"...\"}"), "1234");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("challenge_invalid", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_PINs_count_down_then_lock_and_even_the_right_PIN_is_refused()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        var expected = new[]
        {
            (HttpStatusCode.Unauthorized, "pin_incorrect", 2, "Code PIN incorrect. Il vous reste 2 essais."),
            (HttpStatusCode.Unauthorized, "pin_incorrect", 1, "Code PIN incorrect. Attention : dernier essai avant blocage de la carte."),
            ((HttpStatusCode)423, "pin_locked", 0, "Code PIN incorrect. La carte est maintenant bloquée."),
        };
        foreach (var (status, code, remaining, message) in expected)
        {
            using var response = await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), "0000");
            Assert.Equal(status, response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(code, doc.RootElement.GetProperty("error").GetString());
            Assert.Equal(remaining, doc.RootElement.GetProperty("remainingTries").GetInt32());
            Assert.Equal(message, doc.RootElement.GetProperty("message").GetString());
        }
        using var right = await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), "1234");
        Assert.Equal((HttpStatusCode)423, right.StatusCode);
        Assert.Contains("bloqué", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var status2 = await client.GetFromJsonAsync<JsonDocument>("v1/status");
        var entry = status2!.RootElement.GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("card").GetString() == card);
        Assert.True(entry.GetProperty("pinLocked").GetBoolean());
    }

    [Fact]
    public async Task Correct_PIN_after_a_mistake_resets_the_count()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        using (await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), "0000")) { }
        using var ok = await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), "1234");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        using var status = await client.GetFromJsonAsync<JsonDocument>("v1/status");
        var entry = status!.RootElement.GetProperty("cards").EnumerateArray().Single(c => c.GetProperty("card").GetString() == card);
        Assert.Equal(3, entry.GetProperty("remainingTries").GetInt32());
    }

    [Theory]
    [InlineData("12")]
    [InlineData("12a4")]
    [InlineData("123456789")]
    public async Task Malformed_PIN_is_refused_before_reaching_the_card_and_costs_no_try(string pin)
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        using var response = await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), pin);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("pin_format", doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(3, doc.RootElement.GetProperty("remainingTries").GetInt32());
    }

    [Fact]
    public async Task Removed_card_is_reported_as_absent_in_French()
    {
        var label = hsm.CreateToken();
        using var client = Client();
        var (card, certId, _) = await CardAsync(client, label);
        hsm.DeleteToken(label);
        using var response = await SignAsync(client, card, certId, Challenge(BridgeFactory.Allowed), "1234");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("no_card", doc.RootElement.GetProperty("error").GetString());
        using var status = await client.GetFromJsonAsync<JsonDocument>("v1/status");
        Assert.DoesNotContain(status!.RootElement.GetProperty("cards").EnumerateArray(), c => c.GetProperty("card").GetString() == card);
    }

    [Fact]
    public async Task Anything_else_is_not_served()
    {
        using var client = Client();
        using var response = await client.GetAsync("index.html");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
