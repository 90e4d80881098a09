using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Operator;
using MSSante.IntegrationTests.Support;

namespace MSSante.IntegrationTests.Stack;

/// <summary>Typed view of .state/stack.json for the stack tests, and the tokens they need.</summary>
internal sealed class StackFacts
{
    public const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    public const string Paul = "paul.durand@ch-demo.mssante.fr";
    public const string Claire = "claire.leroy@pharmacien.mssante.fr";
    public const string Sophie = "sophie.bernard@ch-demo.mssante.fr";
    public const string Pneumologie = "pneumologie@ch-demo.mssante.fr";
    public const string Charge = "charge.test@medecin.mssante.fr";

    private StackFacts(StackInfo info) => Info = info;

    public StackInfo Info { get; }

    public string Host => Info.Host;

    public static StackFacts Load() => new(StackInfo.Load());

    public X509Certificate2Collection TrustAnchors()
    {
        var anchors = new X509Certificate2Collection();
        anchors.ImportFromPemFile(Info.PathOf("caCertificate"));
        return anchors;
    }

    public string IdNatOf(string address)
    {
        foreach (var user in Info.Json.GetProperty("users").EnumerateArray())
        {
            if (user.GetProperty("address").GetString() == address)
            {
                return user.GetProperty("idNat").GetString()!;
            }
        }
        throw new InvalidOperationException($"{address} is not a demo user of .state/stack.json");
    }

    /// <summary>The webmail's real issuer, configured exactly as the web host would be.</summary>
    public OperatorTokenIssuer WebmailIssuer(TimeProvider? time = null)
    {
        var token = Info.Json.GetProperty("token");
        return new OperatorTokenIssuer(Options.Create(new OperatorTokenOptions
        {
            SigningKeyFile = Info.PathOf("tokenSigningKey"),
            Issuer = token.GetProperty("issuer").GetString()!,
            Audience = token.GetProperty("audience").GetString()!,
            KeyId = token.GetProperty("keyId").GetString(),
            LifetimeSeconds = 300,
        }), time);
    }

    /// <summary>An issuer with the right names but a key the operator has never seen.</summary>
    public OperatorTokenIssuer ForeignKeyIssuer()
    {
        var token = Info.Json.GetProperty("token");
        return new OperatorTokenIssuer(RSA.Create(2048), token.GetProperty("issuer").GetString()!,
            token.GetProperty("audience").GetString()!, token.GetProperty("keyId").GetString(), TimeSpan.FromMinutes(5));
    }

    /// <summary>The webmail's key, but a token meant for another client (aud).</summary>
    public OperatorTokenIssuer WrongAudienceIssuer()
    {
        var token = Info.Json.GetProperty("token");
        var key = RSA.Create();
        key.ImportFromPem(File.ReadAllText(Info.PathOf("tokenSigningKey")));
        return new OperatorTokenIssuer(key, token.GetProperty("issuer").GetString()!, "another-client",
            token.GetProperty("keyId").GetString(), TimeSpan.FromMinutes(5));
    }

    public string Token(string mailbox) => WebmailIssuer().Issue(IdNatOf(mailbox), mailbox).Value;

    public JsonElement Users => Info.Json.GetProperty("users");
}

/// <summary>A clock stuck at a given instant (to mint tokens that are already expired).</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
