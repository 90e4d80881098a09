using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using MSSante.TestPki;

// Usage: mssante-testpki --state DIR --identities FILE --module SO --origins O1,O2 --bridge-url URL
// Creates (again) every test card: one SoftHSM2 token per demo practitioner (PIN 1234, key
// generated on the token) and one per refusal variant, the test authorities and CRLs, and
// describes them in DIR/cards.json and DIR/settings/cardlogin.json.
var options = ParseArgs(args);
var state = Path.GetFullPath(options["state"]);
var module = options["module"];
const string Pin = "1234";
const string SoPin = "12345678";

var softhsmDir = Path.Combine(state, "softhsm");
var tokenDir = Path.Combine(softhsmDir, "tokens");
var cardsDir = Path.Combine(state, "cards");
var pkiDir = Path.Combine(cardsDir, "pki");
if (Directory.Exists(tokenDir))
{
    Directory.Delete(tokenDir, recursive: true);
}
if (Directory.Exists(cardsDir))
{
    Directory.Delete(cardsDir, recursive: true);
}
Directory.CreateDirectory(tokenDir);
Directory.CreateDirectory(pkiDir);
Directory.CreateDirectory(Path.Combine(state, "settings"));
var conf = Path.Combine(softhsmDir, "softhsm2.conf");
File.WriteAllText(conf, $"# Test cards of the MSSante demo (deploy/cards.sh).\ndirectories.tokendir = {tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = true\n");

// Authorities.
using var rootKey = RSA.Create(2048);
using var intermediateKey = RSA.Create(2048);
using var otherKey = RSA.Create(2048);
using var root = TestPkiBuilder.CreateRoot(TestPkiBuilder.RootName(), rootKey);
using var intermediate = TestPkiBuilder.CreateIntermediate(TestPkiBuilder.IntermediateName(), intermediateKey, root);
var otherName = new X500DistinguishedNameBuilder();
otherName.AddCountryOrRegion("FR");
otherName.AddOrganizationName("AUTRE AUTORITE TEST");
otherName.AddCommonName("AC AUTRE TEST (hors IGC-Sante)");
using var otherRoot = TestPkiBuilder.CreateRoot(otherName.Build(), otherKey);
WritePem(Path.Combine(pkiDir, "root.crt"), root);
WritePem(Path.Combine(pkiDir, "intermediate.crt"), intermediate);
WritePem(Path.Combine(pkiDir, "other-root.crt"), otherRoot);

// Cards: the demo people, then the refusal variants (all in Dr Jeanne MARTIN's name but for
// the self-signed one, so only the defect differs from her real card).
using var identitiesDoc = JsonDocument.Parse(File.ReadAllText(options["identities"]));
var cards = new List<CardSpec>();
foreach (var u in identitiesDoc.RootElement.GetProperty("users").EnumerateArray())
{
    if (u.GetProperty("type").GetString() != "PER")
    {
        continue;
    }
    var idNat = u.GetProperty("idNat").GetString()!;
    var surname = u.GetProperty("surname").GetString()!;
    var given = u.GetProperty("givenName").GetString()!;
    var label = Truncate($"CPS {given.ToUpperInvariant()} {surname}", 32);
    cards.Add(new CardSpec(Slug(given + "-" + surname), label, idNat, surname.ToUpperInvariant(), given.ToUpperInvariant(),
        u.GetProperty("profession").GetString()!, "valide", u.GetProperty("address").GetString()));
}
var martin = cards.First(c => c.IdNat == "899700100015");
cards.Add(martin with { Name = "expiree", Label = "CPS TEST EXPIREE", Variant = "expiree" });
cards.Add(martin with { Name = "pas-encore-valide", Label = "CPS TEST PAS ENCORE VALIDE", Variant = "pas-encore-valide" });
cards.Add(martin with { Name = "revoquee", Label = "CPS TEST REVOQUEE", Variant = "revoquee" });
cards.Add(martin with { Name = "autre-emetteur", Label = "CPS TEST AUTRE AC", Variant = "autre-emetteur" });
cards.Add(martin with { Name = "auto-signee", Label = "CPS TEST AUTO-SIGNEE", Variant = "auto-signee" });
cards.Add(martin with { Name = "usage-incorrect", Label = "CPS TEST USAGE CLE", Variant = "usage-incorrect" });

var revoked = new List<byte[]>();
var described = new JsonArray();
var now = DateTimeOffset.UtcNow;
foreach (var card in cards)
{
    Run("softhsm2-util", "--init-token", "--free", "--label", card.Label, "--pin", Pin, "--so-pin", SoPin);
    var subject = TestPkiBuilder.CardSubject(card.IdNat, card.Surname, card.GivenName, card.Profession);
    X509Certificate2 cert;
    if (card.Variant == "auto-signee")
    {
        // A forged card: the key cannot sign its own certificate on the token through
        // pkcs11-tool, so it is made in software and imported (still unextractable afterwards).
        using var key = RSA.Create(2048);
        cert = TestPkiBuilder.CreateCardCertificate(subject, new PublicKey(key), null, now.AddDays(-1), now.AddYears(3), selfSigningKey: key);
        var keyFile = Path.Combine(cardsDir, card.Name + ".key.pem");
        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
        Run("softhsm2-util", "--import", keyFile, "--token", card.Label, "--id", "01", "--label", "Cle d'authentification CPS", "--pin", Pin);
        File.Delete(keyFile);
    }
    else
    {
        Run("pkcs11-tool", "--module", module, "--token-label", card.Label, "--login", "--pin", Pin,
            "--keypairgen", "--key-type", "rsa:2048", "--id", "01", "--label", "Cle d'authentification CPS");
        var pubFile = Path.Combine(cardsDir, card.Name + ".pub.der");
        Run("pkcs11-tool", "--module", module, "--token-label", card.Label, "--read-object", "--type", "pubkey", "--id", "01", "-o", pubFile);
        using var pub = RSA.Create();
        pub.ImportSubjectPublicKeyInfo(File.ReadAllBytes(pubFile), out _);
        var publicKey = new PublicKey(pub);
        cert = card.Variant switch
        {
            "expiree" => TestPkiBuilder.CreateCardCertificate(subject, publicKey, intermediate, now.AddYears(-3), now.AddDays(-2)),
            "pas-encore-valide" => TestPkiBuilder.CreateCardCertificate(subject, publicKey, intermediate, now.AddDays(30), now.AddYears(3)),
            "autre-emetteur" => TestPkiBuilder.CreateCardCertificate(subject, publicKey, otherRoot, now.AddDays(-1), now.AddYears(3)),
            "usage-incorrect" => TestPkiBuilder.CreateCardCertificate(subject, publicKey, intermediate, now.AddDays(-1), now.AddYears(3),
                X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment),
            _ => TestPkiBuilder.CreateCardCertificate(subject, publicKey, intermediate, now.AddDays(-1), now.AddYears(3)),
        };
        if (card.Variant == "revoquee")
        {
            revoked.Add(cert.SerialNumberBytes.ToArray()); // big-endian, as the CRL writes it
        }
    }
    var certFile = Path.Combine(cardsDir, card.Name + ".crt");
    File.WriteAllBytes(certFile, cert.RawData);
    Run("pkcs11-tool", "--module", module, "--token-label", card.Label, "--login", "--pin", Pin,
        "--write-object", certFile, "--type", "cert", "--id", "01", "--label", "Certificat d'Authentification CPS");
    described.Add(new JsonObject
    {
        ["name"] = card.Name,
        ["tokenLabel"] = card.Label,
        ["variant"] = card.Variant,
        ["idNat"] = card.IdNat,
        ["surname"] = card.Surname,
        ["givenName"] = card.GivenName,
        ["profession"] = card.Profession,
        ["address"] = card.Address,
        ["certificate"] = certFile,
    });
    cert.Dispose();
    Console.WriteLine($"[cards] {card.Label}: {card.Variant}");
}

// CRLs: the intermediate's lists the revoked card; the root's (empty) covers the intermediate.
var crlIntermediate = Path.Combine(pkiDir, "intermediate.crl");
var crlRoot = Path.Combine(pkiDir, "root.crl");
File.WriteAllBytes(crlIntermediate, TestPkiBuilder.CreateCrl(intermediate, revoked, now.AddMinutes(-5), now.AddDays(30)));
File.WriteAllBytes(crlRoot, TestPkiBuilder.CreateCrl(root, [], now.AddMinutes(-5), now.AddDays(30)));

var origins = options["origins"].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var cardsJson = new JsonObject
{
    ["module"] = module,
    ["softhsmConf"] = conf,
    ["pin"] = Pin,
    ["soPin"] = SoPin,
    ["bridgeUrl"] = options["bridge-url"],
    ["rootCertificate"] = Path.Combine(pkiDir, "root.crt"),
    ["intermediateCertificate"] = Path.Combine(pkiDir, "intermediate.crt"),
    ["otherRootCertificate"] = Path.Combine(pkiDir, "other-root.crt"),
    ["crlFiles"] = new JsonArray(crlIntermediate, crlRoot),
    ["cards"] = described,
};
var indented = new JsonSerializerOptions { WriteIndented = true };
File.WriteAllText(Path.Combine(state, "cards.json"), cardsJson.ToJsonString(indented));
var settings = new JsonObject
{
    ["CardLogin"] = new JsonObject
    {
        ["TrustAnchorFiles"] = new JsonArray(Path.Combine(pkiDir, "root.crt")),
        ["IntermediateFiles"] = new JsonArray(Path.Combine(pkiDir, "intermediate.crt")),
        ["CrlFiles"] = new JsonArray(crlIntermediate, crlRoot),
        ["AllowedOrigins"] = new JsonArray(origins.Select(o => (JsonNode)o!).ToArray()),
        ["BridgeUrl"] = options["bridge-url"],
        ["DirectoryFile"] = Path.Combine(state, "stack.json"),
    },
};
File.WriteAllText(Path.Combine(state, "settings", "cardlogin.json"), settings.ToJsonString(indented));
Console.WriteLine($"[cards] {cards.Count} cards in {tokenDir}; PIN {Pin}");
return 0;

void Run(string file, params string[] arguments)
{
    var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        psi.ArgumentList.Add(a);
    }
    psi.Environment["SOFTHSM2_CONF"] = conf;
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync();
    var stderr = p.StandardError.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} failed ({p.ExitCode}): {stderr} {stdout.Result}");
    }
}

static void WritePem(string path, X509Certificate2 cert) => File.WriteAllText(path, cert.ExportCertificatePem() + "\n");

static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

static string Slug(string s)
{
    var normalized = s.Normalize(System.Text.NormalizationForm.FormD);
    var chars = normalized.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-').Select(char.ToLowerInvariant);
    return new string(chars.ToArray());
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var d = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        d[args[i].TrimStart('-')] = args[i + 1];
    }
    foreach (var required in new[] { "state", "identities", "module", "origins", "bridge-url" })
    {
        if (!d.ContainsKey(required))
        {
            Console.Error.WriteLine($"missing --{required}");
            Environment.Exit(2);
        }
    }
    return d;
}

internal sealed record CardSpec(string Name, string Label, string IdNat, string Surname, string GivenName, string Profession, string Variant, string? Address);
