using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MSSante.Pkcs11.Tests;

/// <summary>
/// A private SoftHSM2 installation for the binding tests: its own softhsm2.conf and token
/// directory in a temp dir, the real module loaded once for the test process (SoftHSM2 reads
/// SOFTHSM2_CONF when C_Initialize runs, so it is set with libc's setenv first: .NET's
/// Environment.SetEnvironmentVariable does not reach native code on Unix).
/// Each test creates its own token with softhsm2-util and pkcs11-tool, like deploy/cards.sh.
/// </summary>
public sealed partial class SoftHsmFixture : IDisposable
{
    public const string ModulePath = "/usr/lib/softhsm/libsofthsm2.so";
    public const string SoPin = "12345678";
    private int _counter;

    public SoftHsmFixture()
    {
        if (!File.Exists(ModulePath))
        {
            throw new InvalidOperationException(
                $"SoftHSM2 is not installed ({ModulePath} missing). Install it with: deploy/cards.sh install (or apt-get install softhsm2 opensc)");
        }
        Directory = Path.Combine(Path.GetTempPath(), "mssante-pkcs11-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var tokens = Path.Combine(Directory, "tokens");
        System.IO.Directory.CreateDirectory(tokens);
        ConfPath = Path.Combine(Directory, "softhsm2.conf");
        File.WriteAllText(ConfPath, $"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n");
        if (setenv("SOFTHSM2_CONF", ConfPath, 1) != 0)
        {
            throw new InvalidOperationException("setenv failed");
        }
        using (var rsa = RSA.Create(2048))
        {
            var req = new CertificateRequest("CN=AC IGC-SANTE TEST PERSONNES (binding tests), O=ASIP-SANTE TEST, C=FR", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            Issuer = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(5));
        }
        Library = Pkcs11Library.Load(ModulePath);
    }

    public string Directory { get; }

    public string ConfPath { get; }

    public X509Certificate2 Issuer { get; }

    public Pkcs11Library Library { get; }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int setenv(string name, string value, int overwrite);

    /// <summary>
    /// A fresh token: initialised with <paramref name="pin"/>, an RSA-2048 key pair generated
    /// on the token (CKA_ID 01, never extractable), and a certificate for that key issued by
    /// <see cref="Issuer"/> written beside it. Returns the unique label.
    /// </summary>
    public string CreateToken(string pin = "1234", bool withKey = true)
    {
        var label = $"t{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N")[..6]}";
        Run("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SoPin);
        if (withKey)
        {
            Run("pkcs11-tool", "--module", ModulePath, "--token-label", label, "--login", "--pin", pin,
                "--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "Cle d'authentification");
            var pubFile = Path.Combine(Directory, label + ".pub.der");
            Run("pkcs11-tool", "--module", ModulePath, "--token-label", label, "--read-object", "--type", "pubkey", "--id", "01", "-o", pubFile);
            var spki = File.ReadAllBytes(pubFile);
            using var pub = RSA.Create();
            pub.ImportSubjectPublicKeyInfo(spki, out _);
            var req = new CertificateRequest("CN=899700100015+SN=MARTIN+GN=JEANNE, T=Medecin, C=FR", pub, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            using var cert = req.Create(Issuer, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [1, 2, 3, 4]);
            var certFile = Path.Combine(Directory, label + ".crt.der");
            File.WriteAllBytes(certFile, cert.RawData);
            Run("pkcs11-tool", "--module", ModulePath, "--token-label", label, "--login", "--pin", pin,
                "--write-object", certFile, "--type", "cert", "--id", "01", "--label", "Certificat d'Authentification CPS");
        }
        // SoftHSM2 scans its token directory in C_Initialize only: a token created by another
        // process becomes visible after the module is reinitialised (a real reader reports a
        // new card by itself). Tests of one collection run one at a time, so this is safe.
        try
        {
            Library.C_Finalize();
        }
        catch (Pkcs11Exception ex) when (ex.ReturnValue == CKR.CRYPTOKI_NOT_INITIALIZED)
        {
            // Another user of the module in this process (the bridge under test) finalised it.
        }
        Library.C_Initialize();
        return label;
    }

    public void DeleteToken(string label) => Run("softhsm2-util", "--delete-token", "--token", label);

    public ulong SlotOf(string label) =>
        Library.FindSlotByTokenLabel(label) ?? throw new InvalidOperationException("token " + label + " not visible to the module");

    public void Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }
        psi.Environment["SOFTHSM2_CONF"] = ConfPath;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr} {stdout.Result}");
        }
    }

    public void Dispose()
    {
        Library.Dispose();
        Issuer.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[CollectionDefinition("softhsm")]
public sealed class SoftHsmCollection : ICollectionFixture<SoftHsmFixture>;
