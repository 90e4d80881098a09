using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MSSante.IntegrationTests.Support;
using MSSante.TestPki;

namespace MSSante.IntegrationTests.CardLogin;

/// <summary>
/// The real web host with a test PKI made in process (software keys stand in for cards, so
/// every defect can be produced exactly): a TEST root and intermediate, a CRL listing one
/// revoked card, another root nobody trusts. Challenges live 10 s so expiry can be observed.
/// </summary>
public sealed class CardLoginHostFixture : IAsyncLifetime
{
    public const string Origin = "http://127.0.0.1:5080";
    public const string OtherOrigin = "http://localhost:5080";
    public const string JeanneIdNat = "899700100015";
    public const string JeanneMailbox = "jeanne.martin@medecin.mssante.fr";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mssante-cardlogin-" + Guid.NewGuid().ToString("N")[..8]);

    public WebHost Host { get; private set; } = null!;

    public RSA RootKey { get; } = RSA.Create(2048);
    public RSA IntermediateKey { get; } = RSA.Create(2048);
    public RSA OtherRootKey { get; } = RSA.Create(2048);
    public X509Certificate2 Root { get; private set; } = null!;
    public X509Certificate2 Intermediate { get; private set; } = null!;
    public X509Certificate2 OtherRoot { get; private set; } = null!;

    /// <summary>Serial of the card listed in the CRL.</summary>
    public byte[] RevokedSerial { get; } = TestPkiBuilder.NewSerial();

    /// <summary>The intermediate's CRL file the host reads (tests may republish it, then restore it).</summary>
    public string IntermediateCrlFile => Path.Combine(_directory, "intermediate.crl");

    /// <summary>Writes a fresh intermediate CRL listing <see cref="RevokedSerial"/> and <paramref name="alsoRevoked"/>.</summary>
    public Task PublishIntermediateCrlAsync(params byte[][] alsoRevoked)
    {
        var now = DateTimeOffset.UtcNow;
        return File.WriteAllBytesAsync(IntermediateCrlFile,
            TestPkiBuilder.CreateCrl(Intermediate, [RevokedSerial, .. alsoRevoked], now.AddMinutes(-5), now.AddDays(7)));
    }

    public async Task InitializeAsync()
    {
        var stack = StackInfo.Load();
        Root = TestPkiBuilder.CreateRoot(TestPkiBuilder.RootName(), RootKey);
        Intermediate = TestPkiBuilder.CreateIntermediate(TestPkiBuilder.IntermediateName(), IntermediateKey, Root);
        var other = new X500DistinguishedNameBuilder();
        other.AddCommonName("AC AUTRE TEST (hors IGC-Sante)");
        OtherRoot = TestPkiBuilder.CreateRoot(other.Build(), OtherRootKey);

        var settings = Path.Combine(_directory, "settings");
        Directory.CreateDirectory(settings);
        var rootFile = Path.Combine(_directory, "root.crt");
        var intermediateFile = Path.Combine(_directory, "intermediate.crt");
        var crlFile = Path.Combine(_directory, "intermediate.crl");
        var rootCrlFile = Path.Combine(_directory, "root.crl");
        await File.WriteAllTextAsync(rootFile, Root.ExportCertificatePem());
        await File.WriteAllTextAsync(intermediateFile, Intermediate.ExportCertificatePem());
        var now = DateTimeOffset.UtcNow;
        await File.WriteAllBytesAsync(crlFile, TestPkiBuilder.CreateCrl(Intermediate, [RevokedSerial], now.AddMinutes(-5), now.AddDays(7)));
        await File.WriteAllBytesAsync(rootCrlFile, TestPkiBuilder.CreateCrl(Root, [], now.AddMinutes(-5), now.AddDays(7)));
        var operatorJson = Path.Combine(stack.StateDirectory, "settings", "operator.json");
        if (File.Exists(operatorJson))
        {
            File.Copy(operatorJson, Path.Combine(settings, "operator.json"));
        }
        var cardLogin = new JsonObject
        {
            ["CardLogin"] = new JsonObject
            {
                ["TrustAnchorFiles"] = new JsonArray(rootFile),
                ["IntermediateFiles"] = new JsonArray(intermediateFile),
                ["CrlFiles"] = new JsonArray(crlFile, rootCrlFile),
                ["AllowedOrigins"] = new JsonArray(Origin, OtherOrigin),
                ["ChallengeLifetimeSeconds"] = 10,
                ["ClockSkewSeconds"] = 60,
                ["Accounts"] = new JsonArray(new JsonObject
                {
                    ["IdNat"] = JeanneIdNat,
                    ["Mailboxes"] = new JsonArray(JeanneMailbox),
                }),
            },
        };
        await File.WriteAllTextAsync(Path.Combine(settings, "cardlogin.json"), cardLogin.ToJsonString());
        Host = await WebHost.StartDemoAsync(stack, new Dictionary<string, string>
        {
            ["MSSANTE_SETTINGS_DIR"] = settings,
            ["Session__RequireHttps"] = "false",
        });
    }

    /// <summary>A card certificate issued by the test intermediate (or <paramref name="issuer"/>) for <paramref name="key"/>.</summary>
    public X509Certificate2 IssueCard(RSA key, string idNat = JeanneIdNat, X509Certificate2? issuer = null,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature, byte[]? serial = null)
    {
        var subject = TestPkiBuilder.CardSubject(idNat, "MARTIN", "JEANNE", "Médecin");
        var now = DateTimeOffset.UtcNow;
        issuer ??= Intermediate;
        return TestPkiBuilder.CreateCardCertificate(subject, new PublicKey(key), issuer,
            notBefore ?? now.AddDays(-1), notAfter ?? now.AddYears(2), usage, serial: serial);
    }

    public HttpClient Client(string origin = Origin)
    {
        var client = Host.CreateClient(followRedirects: false);
        client.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    /// <summary>Asks the server for a challenge; returns its bytes.</summary>
    public static async Task<byte[]> ChallengeAsync(HttpClient client)
    {
        using var response = await client.PostAsync("connexion/carte/defi", null);
        response.EnsureSuccessStatusCode();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return Convert.FromBase64String(doc.RootElement.GetProperty("challenge").GetString()!);
    }

    /// <summary>Posts a signed challenge the way the login page does.</summary>
    public static Task<HttpResponseMessage> VerifyAsync(HttpClient client, byte[] challenge, byte[] signature, IEnumerable<X509Certificate2> certificates, string algorithm = "RS256") =>
        client.PostAsJsonAsync("connexion/carte/verification", new
        {
            challenge = Convert.ToBase64String(challenge),
            signature = Convert.ToBase64String(signature),
            algorithm,
            certificates = certificates.Select(c => Convert.ToBase64String(c.RawData)).ToArray(),
        });

    public async Task DisposeAsync()
    {
        if (Host is not null)
        {
            await Host.DisposeAsync();
        }
        Root?.Dispose();
        Intermediate?.Dispose();
        OtherRoot?.Dispose();
        RootKey.Dispose();
        IntermediateKey.Dispose();
        OtherRootKey.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
