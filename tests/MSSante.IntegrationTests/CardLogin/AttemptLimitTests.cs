using System.Net;
using System.Text;
using System.Text.Json;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.CardLogin;

/// <summary>
/// The card login endpoints count each client address's requests per minute
/// (CardLogin:MaxAttemptsPerMinute): past the limit the web host answers 429 with a French
/// message and Retry-After, without issuing a challenge; the other endpoint keeps its own count.
/// A host of its own, so no other test shares its counters.
/// </summary>
public sealed class AttemptLimitTests
{
    private const string Origin = "http://127.0.0.1:5080";

    [Fact]
    public async Task Challenges_past_the_per_minute_limit_are_refused_in_French()
    {
        await using var host = await WebHost.StartDemoAsync(StackInfo.Load(), new Dictionary<string, string>
        {
            ["CardLogin__MaxAttemptsPerMinute"] = "3",
            ["CardLogin__AllowedOrigins__0"] = Origin,
            ["Session__RequireHttps"] = "false",
        });
        using var client = host.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Add("Origin", Origin);

        for (var i = 1; i <= 3; i++)
        {
            using var ok = await client.PostAsync("connexion/carte/defi", null);
            Assert.True(ok.StatusCode == HttpStatusCode.OK, $"challenge {i}: {(int)ok.StatusCode} {await ok.Content.ReadAsStringAsync()}");
        }

        using var refused = await client.PostAsync("connexion/carte/defi", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        using var body = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
        Assert.Equal("trop_de_tentatives", body.RootElement.GetProperty("error").GetString());
        Assert.StartsWith("Trop de tentatives de connexion depuis ce poste.", body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.RootElement.TryGetProperty("challenge", out _));
        Assert.True(refused.Headers.RetryAfter?.Delta is { TotalSeconds: > 0 and <= 60 }, "Retry-After: " + refused.Headers.RetryAfter);

        // The verification endpoint has its own count: a malformed request is judged, not throttled.
        using var verification = await client.PostAsync("connexion/carte/verification", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, verification.StatusCode);
    }
}
