using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.Tests.Persistence;

/// <summary>Several web hosts share one key ring through the database (ARCHITECTURE.md, "Scale").</summary>
public sealed class DataProtectionKeyRingTests
{
    private const string Purpose = "MSSante.Tests.Cookie";

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task What_one_host_protects_another_host_on_the_same_database_unprotects(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = database.BuildHost();
        await hostA.MigrateWebmailDatabaseAsync();
        var protectedByA = hostA.GetDataProtector(Purpose).Protect("session de Dr MARTIN");

        await using var hostB = database.BuildHost();
        var unprotectedByB = hostB.GetDataProtector(Purpose).Unprotect(protectedByA);

        Assert.Equal("session de Dr MARTIN", unprotectedByB);
        await using var context = await hostA.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        var key = Assert.Single(await context.DataProtectionKeys.ToListAsync());
        Assert.StartsWith("key-", key.FriendlyName, StringComparison.Ordinal);
        Assert.Contains("<key ", key.Xml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_host_on_another_database_cannot_read_the_payload(DatabaseProvider provider)
    {
        await using var databaseA = await TestDatabase.CreateAsync(provider);
        await using var databaseB = await TestDatabase.CreateAsync(provider);
        await using var hostA = databaseA.BuildHost();
        await using var hostB = databaseB.BuildHost();
        await hostA.MigrateWebmailDatabaseAsync();
        await hostB.MigrateWebmailDatabaseAsync();

        var protectedByA = hostA.GetDataProtector(Purpose).Protect("session de Dr MARTIN");

        Assert.ThrowsAny<CryptographicException>(() => hostB.GetDataProtector(Purpose).Unprotect(protectedByA));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task With_a_key_encryption_certificate_the_stored_keys_are_encrypted_and_shared_by_hosts_holding_it(DatabaseProvider provider)
    {
        using var files = new TemporaryCertificate();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = database.BuildHost(settings: files.Settings);
        await hostA.MigrateWebmailDatabaseAsync();
        var protectedByA = hostA.GetDataProtector(Purpose).Protect("session de Dr MARTIN");

        await using var hostB = database.BuildHost(settings: files.Settings);
        Assert.Equal("session de Dr MARTIN", hostB.GetDataProtector(Purpose).Unprotect(protectedByA));

        await using var context = await hostA.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        var key = Assert.Single(await context.DataProtectionKeys.ToListAsync());
        Assert.Contains("EncryptedData", key.Xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", key.Xml, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task A_host_without_the_certificate_cannot_use_the_encrypted_key_ring(DatabaseProvider provider)
    {
        using var files = new TemporaryCertificate();
        using var other = new TemporaryCertificate();
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var hostA = database.BuildHost(settings: files.Settings);
        await hostA.MigrateWebmailDatabaseAsync();
        var protectedByA = hostA.GetDataProtector(Purpose).Protect("session de Dr MARTIN");

        await using var hostB = database.BuildHost(settings: other.Settings);
        Assert.ThrowsAny<CryptographicException>(() => hostB.GetDataProtector(Purpose).Unprotect(protectedByA));
    }

    [Fact]
    public async Task A_certificate_without_its_private_key_is_refused_at_start_with_the_setting_named()
    {
        using var files = new TemporaryCertificate();
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        var settings = new Dictionary<string, string?> { ["DataProtection:CertificateFile"] = files.CertificateFile, ["DataProtection:KeyFile"] = null };
        var error = Assert.Throws<InvalidOperationException>(() => database.BuildHost(settings: settings));
        Assert.Contains("DataProtection", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A self-signed RSA certificate and its key as PEM files, deleted afterwards.</summary>
    private sealed class TemporaryCertificate : IDisposable
    {
        public TemporaryCertificate()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=Chiffrement du trousseau (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var stem = Path.Combine(Path.GetTempPath(), "mssante-dp-" + Guid.NewGuid().ToString("N"));
            CertificateFile = stem + ".crt";
            KeyFile = stem + ".key";
            File.WriteAllText(CertificateFile, certificate.ExportCertificatePem());
            File.WriteAllText(KeyFile, rsa.ExportPkcs8PrivateKeyPem());
        }

        public string CertificateFile { get; }

        public string KeyFile { get; }

        public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
        {
            ["DataProtection:CertificateFile"] = CertificateFile,
            ["DataProtection:KeyFile"] = KeyFile,
        };

        public void Dispose()
        {
            File.Delete(CertificateFile);
            File.Delete(KeyFile);
        }
    }
}
