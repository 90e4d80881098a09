using System.Security.Cryptography;
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
}
