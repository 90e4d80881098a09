using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using MSSante.Pkcs11;
using MSSante.TestPki;
using MSSante.Webmail.Authentication;

namespace MSSante.Login.Benchmarks;

/// <summary>
/// The server's whole verification of one card login (challenge taken from the store, chain to
/// the TEST anchor, CRL check, signature, identity, mailbox mapping), against the bare RSA-2048
/// signature check it contains, as the reference of the same run.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ServerVerification
{
    private const string Origin = "http://127.0.0.1:5080";
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mssante-bench-" + Guid.NewGuid().ToString("N")[..8]);
    private RSA _cardKey = null!;
    private X509Certificate2 _card = null!;
    private CardLoginVerifier _verifier = null!;

    /// <summary>The verifier's trust material (the CPU-time report measures its per-login file check).</summary>
    internal TrustMaterial Trust { get; private set; } = null!;
    private InMemoryChallengeStore _store = null!;
    private string _certificate = null!;
    private byte[] _referenceData = null!;
    private byte[] _referenceSignature = null!;
    private RSA _referencePublic = null!;

    [GlobalSetup(Target = nameof(RsaVerify))]
    public void Setup()
    {
        Directory.CreateDirectory(_dir);
        using var rootKey = RSA.Create(2048);
        using var intermediateKey = RSA.Create(2048);
        using var root = TestPkiBuilder.CreateRoot(TestPkiBuilder.RootName(), rootKey);
        using var intermediate = TestPkiBuilder.CreateIntermediate(TestPkiBuilder.IntermediateName(), intermediateKey, root);
        _cardKey = RSA.Create(2048);
        _card = TestPkiBuilder.CreateCardCertificate(TestPkiBuilder.CardSubject("899700100015", "MARTIN", "JEANNE", "Médecin"),
            new PublicKey(_cardKey), intermediate, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        _certificate = Convert.ToBase64String(_card.RawData);
        var now = DateTimeOffset.UtcNow;
        File.WriteAllText(Path.Combine(_dir, "root.crt"), root.ExportCertificatePem());
        File.WriteAllText(Path.Combine(_dir, "intermediate.crt"), intermediate.ExportCertificatePem());
        // A CRL of realistic size: 5,000 revoked cards.
        File.WriteAllBytes(Path.Combine(_dir, "intermediate.crl"), TestPkiBuilder.CreateCrl(intermediate,
            Enumerable.Range(0, 5000).Select(_ => TestPkiBuilder.NewSerial()), now.AddMinutes(-5), now.AddDays(7)));
        File.WriteAllBytes(Path.Combine(_dir, "root.crl"), TestPkiBuilder.CreateCrl(root, [], now.AddMinutes(-5), now.AddDays(7)));
        var options = Options.Create(new CardLoginOptions
        {
            TrustAnchorFiles = [Path.Combine(_dir, "root.crt")],
            IntermediateFiles = [Path.Combine(_dir, "intermediate.crt")],
            CrlFiles = [Path.Combine(_dir, "intermediate.crl"), Path.Combine(_dir, "root.crl")],
            AllowedOrigins = [Origin],
            Accounts = [new CardAccount { IdNat = "899700100015", Mailboxes = ["jeanne.martin@medecin.mssante.fr"] }],
        });
        _store = new InMemoryChallengeStore(TimeProvider.System);
        Trust = new TrustMaterial(options);
        _verifier = new CardLoginVerifier(_store, Trust, new ConfiguredMailboxDirectory(options), options, TimeProvider.System);
        _referenceData = Encoding.UTF8.GetBytes("{\"typ\":\"mssante-card-login\"}");
        _referenceSignature = _cardKey.SignData(_referenceData, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _referencePublic = _card.GetRSAPublicKey()!;
    }

    /// <summary>Checks the benchmark's login verifies (BenchmarkDotNet awaits async set-ups).</summary>
    [GlobalSetup(Target = nameof(Verify))]
    public async Task SetupVerifyAsync()
    {
        Setup();
        if (await Verify() is not null)
        {
            throw new InvalidOperationException("The benchmark's login does not verify.");
        }
    }

    /// <summary>
    /// A challenge issued and signed as the login page would get it. The in-memory store
    /// completes synchronously; anything else would be measured by the benchmark itself.
    /// </summary>
    internal (byte[] Challenge, string Signature) Prepare()
    {
        var challenge = IssuedChallenge.Create(Origin, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(2));
        var added = _store.AddAsync(challenge);
        if (!added.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The in-memory challenge store is expected to complete synchronously.");
        }
        return (challenge.Bytes, Convert.ToBase64String(_cardKey.SignData(challenge.Bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    private (byte[] Challenge, string Signature) _next;

    [IterationSetup(Target = nameof(Verify))]
    public void NextChallenge() => _next = Prepare();

    [Benchmark(Baseline = true, Description = "RSA-2048 signature check alone (reference)")]
    public bool RsaVerify() => _referencePublic.VerifyData(_referenceData, _referenceSignature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    [Benchmark(Description = "Server verification of one card login")]
    public async Task<string?> Verify()
    {
        if (_next.Challenge is null)
        {
            _next = Prepare();
        }
        var result = await _verifier.VerifyAsync(new CardLoginRequest(Convert.ToBase64String(_next.Challenge), _next.Signature, "RS256", [_certificate]), Origin);
        _next = default;
        return result.Failure?.Code;
    }

    /// <summary>Verifies a login prepared beforehand (the CPU-time report's loop).</summary>
    internal async Task<string?> VerifyPrepared((byte[] Challenge, string Signature) prepared)
    {
        _next = prepared;
        return await Verify();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cardKey.Dispose();
        _card.Dispose();
        _referencePublic.Dispose();
        Directory.Delete(_dir, recursive: true);
    }
}

/// <summary>
/// What the bridge does per login on a SoftHSM2 test card: open a session, C_Login with the PIN,
/// find the key, sign with CKM_SHA256_RSA_PKCS, logout, close; against signing alone.
/// Needs SOFTHSM2_CONF pointing at the stack's test cards (.state/softhsm/softhsm2.conf).
/// </summary>
[ShortRunJob]
public class BridgeSigning
{
    private Pkcs11Library _lib = null!;
    private ulong _slot;
    private ulong _session;
    private ulong _key;
    private readonly byte[] _challenge = Encoding.UTF8.GetBytes("{\"typ\":\"mssante-card-login\",\"nonce\":\"x\",\"origin\":\"http://127.0.0.1:5080\"}");

    [GlobalSetup]
    public void Setup()
    {
        _lib = Pkcs11Library.Load(Environment.GetEnvironmentVariable("MSSANTE_PKCS11_MODULE") ?? "/usr/lib/softhsm/libsofthsm2.so");
        _slot = _lib.FindSlotByTokenLabel("CPS JEANNE MARTIN")
            ?? throw new InvalidOperationException("Card 'CPS JEANNE MARTIN' not found: run deploy/cards.sh start and set SOFTHSM2_CONF=.state/softhsm/softhsm2.conf");
        _session = _lib.C_OpenSession(_slot);
        _lib.C_Login(_session, CKU.USER, "1234"u8.ToArray());
        _key = _lib.FindPrivateKey(_session, [1]) ?? throw new InvalidOperationException("no key");
    }

    [Benchmark(Baseline = true, Description = "C_SignInit + C_Sign only (logged-in session)")]
    public byte[] SignOnly() => _lib.Sign(_session, _key, SignatureMechanism.Sha256RsaPkcs, _challenge);

    [GlobalCleanup]
    public void Cleanup()
    {
        _lib.C_CloseSession(_session);
        _lib.Dispose();
    }
}

/// <summary>
/// The bridge's whole per-login card work, with no session left logged in between calls
/// (PKCS#11 login state is per token: a logged-in session elsewhere would make C_Login fail).
/// </summary>
[ShortRunJob]
public class BridgeLogin
{
    private Pkcs11Library _lib = null!;
    private ulong _slot;
    private readonly byte[] _challenge = Encoding.UTF8.GetBytes("{\"typ\":\"mssante-card-login\",\"nonce\":\"x\",\"origin\":\"http://127.0.0.1:5080\"}");

    [GlobalSetup]
    public void Setup()
    {
        _lib = Pkcs11Library.Load(Environment.GetEnvironmentVariable("MSSANTE_PKCS11_MODULE") ?? "/usr/lib/softhsm/libsofthsm2.so");
        _slot = _lib.FindSlotByTokenLabel("CPS JEANNE MARTIN")
            ?? throw new InvalidOperationException("Card 'CPS JEANNE MARTIN' not found: run deploy/cards.sh start and set SOFTHSM2_CONF=.state/softhsm/softhsm2.conf");
    }

    [Benchmark(Description = "Bridge per login: session, C_Login, find key, sign, logout")]
    public byte[] FullLogin()
    {
        var session = _lib.C_OpenSession(_slot);
        try
        {
            _lib.C_Login(session, CKU.USER, "1234"u8.ToArray());
            var key = _lib.FindPrivateKey(session, [1])!.Value;
            var signature = _lib.Sign(session, key, SignatureMechanism.Sha256RsaPkcs, _challenge);
            _lib.C_Logout(session);
            return signature;
        }
        finally
        {
            _lib.C_CloseSession(session);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _lib.Dispose();
}
