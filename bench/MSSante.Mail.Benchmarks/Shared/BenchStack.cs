using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MSSante.Mail;
using MSSante.Mail.Sasl;

namespace MSSante.Benchmarks.Shared;

/// <summary>A demo user of the operator stack.</summary>
public sealed record BenchUser(string Address, string IdNat);

/// <summary>
/// The running local operator stack as described by <c>.state/stack.json</c> and
/// <c>.state/settings/operator.json</c>: IMAPS endpoint, test CA, demo users, and operator
/// tokens (RS256 JWT with the stack's signing key, the claims Dovecot validates).
/// </summary>
public sealed class BenchStack
{
    private readonly RSA _key;
    private readonly string _issuer;
    private readonly string _audience;
    private readonly string? _keyId;

    private BenchStack(string root, JsonElement stack, JsonElement token)
    {
        RepositoryRoot = root;
        Host = stack.GetProperty("host").GetString()!;
        ImapsPort = stack.GetProperty("ports").GetProperty("imaps").GetInt32();
        CaFile = stack.GetProperty("paths").GetProperty("caCertificate").GetString()!;
        DovecotConfig = stack.GetProperty("paths").GetProperty("dovecotConfig").GetString()!;
        Users = stack.GetProperty("users").EnumerateArray()
            .Select(u => new BenchUser(u.GetProperty("address").GetString()!, u.GetProperty("idNat").GetString()!))
            .ToList();
        _key = RSA.Create();
        _key.ImportFromPem(File.ReadAllText(token.GetProperty("SigningKeyFile").GetString()!));
        _issuer = token.GetProperty("Issuer").GetString()!;
        _audience = token.GetProperty("Audience").GetString()!;
        _keyId = token.TryGetProperty("KeyId", out var k) ? k.GetString() : null;
        Anchors = [];
        Anchors.ImportFromPemFile(CaFile);
    }

    public string RepositoryRoot { get; }
    public string Host { get; }
    public int ImapsPort { get; }
    public string CaFile { get; }
    public string DovecotConfig { get; }
    public IReadOnlyList<BenchUser> Users { get; }
    public X509Certificate2Collection Anchors { get; }

    public BenchUser User(string address) => Users.First(u => u.Address == address);

    /// <summary>Finds the repository (MSSanteWebmail.sln) upwards from the current directory.</summary>
    public static BenchStack Load()
    {
        var dir = new DirectoryInfo(Directory.GetCurrentDirectory());
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
        {
            dir = dir.Parent;
        }
        if (dir is null)
        {
            throw new InvalidOperationException("Run from inside the repository (MSSanteWebmail.sln not found upwards).");
        }
        var stackFile = Path.Combine(dir.FullName, ".state", "stack.json");
        if (!File.Exists(stackFile))
        {
            throw new InvalidOperationException("The operator stack is not set up: deploy/stack.sh start");
        }
        using var stack = JsonDocument.Parse(File.ReadAllText(stackFile));
        using var op = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir.FullName, ".state", "settings", "operator.json")));
        return new BenchStack(dir.FullName, stack.RootElement.Clone(), op.RootElement.GetProperty("OperatorToken").Clone());
    }

    /// <summary>IMAPS (implicit TLS) to the stack, the test CA as the only anchor.</summary>
    public MailConnectionOptions ImapOptions(IMailProtocolLog? log = null) => new()
    {
        Host = Host,
        Port = ImapsPort,
        Security = MailSecurity.Tls,
        TrustAnchors = Anchors,
        Timeout = TimeSpan.FromSeconds(120),
        ProtocolLog = log,
    };

    public MailCredentials Credentials(BenchUser user) =>
        MailCredentials.OAuth(user.Address, _ => ValueTask.FromResult(Token(user)));

    /// <summary>A fresh operator token for <paramref name="user"/> (lifetime 10 minutes).</summary>
    public string Token(BenchUser user)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" };
        if (!string.IsNullOrEmpty(_keyId))
        {
            header["kid"] = _keyId;
        }
        var payload = new Dictionary<string, object>
        {
            ["iss"] = _issuer,
            ["aud"] = _audience,
            ["sub"] = user.IdNat,
            ["email"] = user.Address,
            ["iat"] = now,
            ["nbf"] = now - 30,
            ["exp"] = now + 600,
            ["jti"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(12)),
        };
        var input = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(payload));
        return input + "." + B64(_key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
