using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MSSante.TestPki;

namespace MSSante.IntegrationTests.CardLogin;

/// <summary>
/// The server's verification of a card login, over HTTP against the running web host: one
/// success, then every refusal the issue lists, each with the French message the user reads
/// and no session cookie.
/// </summary>
[Collection("card-login-host")]
public sealed class VerificationTests(CardLoginHostFixture host)
{
    private static byte[] Sign(RSA key, byte[] data, RSASignaturePadding? padding = null) =>
        key.SignData(data, HashAlgorithmName.SHA256, padding ?? RSASignaturePadding.Pkcs1);

    private static async Task AssertRefusedAsync(HttpResponseMessage response, string code, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {(int)response.StatusCode}: {body}");
        Assert.False(response.Headers.Contains("Set-Cookie"), "a refused login must not set any cookie");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(code, doc.RootElement.GetProperty("error").GetString());
        Assert.Equal(message, doc.RootElement.GetProperty("message").GetString());
    }

    private static async Task AssertRefusedStartingAsync(HttpResponseMessage response, string code, string messageStart)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {(int)response.StatusCode}: {body}");
        Assert.False(response.Headers.Contains("Set-Cookie"), "a refused login must not set any cookie");
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(code, doc.RootElement.GetProperty("error").GetString());
        Assert.StartsWith(messageStart, doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("RS256")]
    [InlineData("PS256")]
    public async Task Valid_card_signs_in_with_a_session_cookie_and_the_holder_s_mailboxes(string algorithm)
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var challengeDoc = JsonDocument.Parse(challenge);
        Assert.Equal("mssante-card-login", challengeDoc.RootElement.GetProperty("typ").GetString());
        Assert.Equal(CardLoginHostFixture.Origin, challengeDoc.RootElement.GetProperty("origin").GetString());

        var padding = algorithm == "PS256" ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1;
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge, padding), [card], algorithm);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mssante=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal("Jeanne MARTIN", doc.RootElement.GetProperty("displayName").GetString());
        Assert.Equal("Médecin", doc.RootElement.GetProperty("profession").GetString());
        Assert.Equal(CardLoginHostFixture.JeanneMailbox, doc.RootElement.GetProperty("mailboxes")[0].GetString());
    }

    [Fact]
    public async Task Reported_card_removal_ends_the_session_for_every_copy_of_the_cookie()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        string cookie;
        using (var signedIn = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]))
        {
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            // The session cookie as anyone who copied it would present it.
            var setCookie = Assert.Single(signedIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("mssante=", StringComparison.Ordinal));
            cookie = setCookie[..setCookie.IndexOf(';', StringComparison.Ordinal)];
        }
        using (var before = await GetWithCookieAsync("courrier", cookie))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        using var removed = await client.PostAsync("connexion/carte/retrait", null);
        using var removedDoc = JsonDocument.Parse(await removed.Content.ReadAsStringAsync());
        Assert.True(removedDoc.RootElement.GetProperty("signedOut").GetBoolean());

        using var after = await GetWithCookieAsync("courrier", cookie);
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        // To the sign-in page (the demo environment serves it as /demo/connexion).
        Assert.Matches("^/(demo/)?connexion\\?ReturnUrl=%2Fcourrier$", after.Headers.Location!.IsAbsoluteUri ? after.Headers.Location.PathAndQuery : after.Headers.Location.OriginalString);
    }

    private async Task<HttpResponseMessage> GetWithCookieAsync(string path, string cookie)
    {
        using var handler = new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false };
        using var client = new HttpClient(handler, disposeHandler: false) { BaseAddress = host.Host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Cookie", cookie);
        return await client.SendAsync(request);
    }

    [Fact]
    public async Task A_republished_CRL_revokes_a_card_from_the_next_login_on()
    {
        using var key = RSA.Create(2048);
        var serial = TestPkiBuilder.NewSerial();
        using var card = host.IssueCard(key, serial: serial);
        using var client = host.Client();
        var first = await CardLoginHostFixture.ChallengeAsync(client);
        using (var accepted = await CardLoginHostFixture.VerifyAsync(client, first, Sign(key, first), [card]))
        {
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        try
        {
            await host.PublishIntermediateCrlAsync(serial);
            var second = await CardLoginHostFixture.ChallengeAsync(client);
            using var refused = await CardLoginHostFixture.VerifyAsync(client, second, Sign(key, second), [card]);
            await AssertRefusedAsync(refused, "revoked", "Cette carte a été révoquée (mise en opposition). Connexion refusée.");
        }
        finally
        {
            await host.PublishIntermediateCrlAsync();
        }
    }

    [Fact]
    public async Task Expired_card_is_refused()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var card = host.IssueCard(key, notBefore: now.AddYears(-3), notAfter: now.AddDays(-2));
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedStartingAsync(response, "expired", "Votre carte a expiré le ");
    }

    [Fact]
    public async Task Card_not_yet_valid_is_refused_with_a_hint_about_the_clock()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        using var card = host.IssueCard(key, notBefore: now.AddDays(30), notAfter: now.AddYears(3));
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedStartingAsync(response, "not_yet_valid", "Le certificat de votre carte ne sera valide qu'à partir du ");
        Assert.Contains("vérifiez la date et l'heure de votre ordinateur", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_within_the_clock_skew_tolerance_is_accepted()
    {
        using var key = RSA.Create(2048);
        var now = DateTimeOffset.UtcNow;
        // Issued 30 s "in the future" by an authority whose clock runs ahead: within 60 s of tolerance.
        using var card = host.IssueCard(key, notBefore: now.AddSeconds(30), notAfter: now.AddYears(1));
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Revoked_card_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key, serial: host.RevokedSerial);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "revoked", "Cette carte a été révoquée (mise en opposition). Connexion refusée.");
    }

    [Fact]
    public async Task Card_from_an_unknown_root_is_refused_even_when_it_sends_its_root()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key, issuer: host.OtherRoot);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card, host.OtherRoot]);
        await AssertRefusedAsync(response, "unknown_issuer", "Cette carte n'a pas été émise par une autorité de confiance IGC-Santé. Connexion refusée.");
    }

    [Fact]
    public async Task Self_signed_certificate_is_refused()
    {
        using var key = RSA.Create(2048);
        var subject = TestPkiBuilder.CardSubject(CardLoginHostFixture.JeanneIdNat, "MARTIN", "JEANNE", "Médecin");
        using var card = TestPkiBuilder.CreateCardCertificate(subject, new PublicKey(key), null,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), selfSigningKey: key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "self_signed", "Ce certificat est auto-signé : il ne provient pas d'une carte CPS. Connexion refusée.");
    }

    [Fact]
    public async Task Certificate_without_digital_signature_usage_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key, usage: X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "key_usage",
            "Ce certificat ne permet pas l'authentification (usage de clé incorrect). Utilisez le certificat d'authentification de la carte.");
    }

    [Fact]
    public async Task Signature_by_another_key_is_refused()
    {
        using var key = RSA.Create(2048);
        using var thief = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(thief, challenge), [card]);
        await AssertRefusedAsync(response, "signature_invalid", "La signature ne correspond pas au certificat de la carte. Connexion refusée.");
    }

    [Fact]
    public async Task Replayed_challenge_is_refused_after_a_successful_login()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        var signature = Sign(key, challenge);
        using (var first = await CardLoginHostFixture.VerifyAsync(client, challenge, signature, [card]))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }
        using var replay = host.Client();
        using var response = await CardLoginHostFixture.VerifyAsync(replay, challenge, signature, [card]);
        await AssertRefusedAsync(response, "challenge_unknown", "Ce défi de connexion est inconnu ou a déjà été utilisé. Veuillez recommencer la connexion.");
    }

    [Fact]
    public async Task Challenge_the_server_never_issued_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var forged = JsonSerializer.SerializeToUtf8Bytes(new { typ = "mssante-card-login", nonce = "forged-nonce", origin = CardLoginHostFixture.Origin });
        using var response = await CardLoginHostFixture.VerifyAsync(client, forged, Sign(key, forged), [card]);
        await AssertRefusedAsync(response, "challenge_unknown", "Ce défi de connexion est inconnu ou a déjà été utilisé. Veuillez recommencer la connexion.");
    }

    [Fact]
    public async Task Altered_challenge_bytes_are_refused_even_if_signed()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        var altered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(challenge).Replace("\"exp\":", "\"exp\":9", StringComparison.Ordinal));
        using var response = await CardLoginHostFixture.VerifyAsync(client, altered, Sign(key, altered), [card]);
        await AssertRefusedAsync(response, "challenge_altered", "Le défi de connexion a été modifié. Connexion refusée.");
    }

    [Fact]
    public async Task Expired_challenge_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        await Task.Delay(TimeSpan.FromSeconds(11)); // the fixture's challenges live 10 s
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "challenge_expired", "Le délai de connexion est dépassé : le défi a expiré. Veuillez recommencer.");
    }

    [Fact]
    public async Task Challenge_issued_for_another_origin_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        using var other = host.Client(CardLoginHostFixture.OtherOrigin);
        var challenge = await CardLoginHostFixture.ChallengeAsync(other);
        using var client = host.Client(CardLoginHostFixture.Origin);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "challenge_origin", "Ce défi de connexion a été émis pour un autre site. Connexion refusée.");
    }

    [Fact]
    public async Task Unlisted_origin_gets_no_challenge()
    {
        using var client = host.Client("https://evil.example");
        using var response = await client.PostAsync("connexion/carte/defi", null);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Ce site n'est pas configuré pour la connexion par carte CPS.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampered_certificate_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key);
        // Change the holder's identifier inside the signed certificate: 899700100015 -> 899700100023.
        var der = card.RawData;
        var id = Encoding.ASCII.GetBytes(CardLoginHostFixture.JeanneIdNat);
        var at = der.AsSpan().IndexOf(id);
        Assert.True(at > 0);
        Encoding.ASCII.GetBytes("899700100023").CopyTo(der, at);
        using var tampered = X509CertificateLoader.LoadCertificate(der);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [tampered]);
        await AssertRefusedAsync(response, "tampered", "La chaîne de certificats de la carte a été altérée. Connexion refusée.");
    }

    [Fact]
    public async Task Chain_with_a_forged_intermediate_of_the_same_name_is_refused()
    {
        // An attacker's CA named exactly like the test intermediate, but not signed by the root.
        using var forgedKey = RSA.Create(2048);
        using var forgedRoot = TestPkiBuilder.CreateRoot(TestPkiBuilder.RootName(), forgedKey);
        using var forgedIntermediateKey = RSA.Create(2048);
        using var forged = TestPkiBuilder.CreateIntermediate(TestPkiBuilder.IntermediateName("AC IGC-SANTE TEST PERSONNES BIS"), forgedIntermediateKey, forgedRoot);
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key, issuer: forged);
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card, forged, forgedRoot]);
        await AssertRefusedAsync(response, "unknown_issuer", "Cette carte n'a pas été émise par une autorité de confiance IGC-Santé. Connexion refusée.");
    }

    [Fact]
    public async Task Valid_card_without_a_mailbox_is_refused()
    {
        using var key = RSA.Create(2048);
        using var card = host.IssueCard(key, idNat: "899700199990");
        using var client = host.Client();
        var challenge = await CardLoginHostFixture.ChallengeAsync(client);
        using var response = await CardLoginHostFixture.VerifyAsync(client, challenge, Sign(key, challenge), [card]);
        await AssertRefusedAsync(response, "no_mailbox", "Aucune boîte aux lettres MSSanté n'est associée à votre carte (8997•••••990).");
    }
}

[CollectionDefinition("card-login-host")]
public sealed class CardLoginHostCollection : ICollectionFixture<CardLoginHostFixture>;
