using System.Text;
using Microsoft.EntityFrameworkCore;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;

namespace MSSante.Infrastructure.Tests.TrustSpace;

public sealed class WhitelistStorageTests
{
    private static Stream Xml(string xml) => new MemoryStream(Encoding.UTF8.GetBytes(xml));

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Generated_7000_entries_truncated_with_duplicates_are_stored_and_checked(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<WhitelistImporter>();

        var outcome = await importer.ImportAsync(Xml(WhitelistGenerator.ToXml(7000, duplicateEvery: 7, truncated: true)), "generated-7000.xml");

        Assert.True(outcome.Accepted);
        Assert.True(outcome.Truncated);
        Assert.Equal(7000, outcome.Entries);
        Assert.Equal(6001, outcome.Domains);
        var store = db.Get<IWhitelistStore>();
        Assert.Equal(6001, await store.CountDomainsAsync());
        var trust = db.Get<ITrustSpace>();
        Assert.True((await trust.CheckAsync("jeanne.martin@Medecin.MSSante.fr")).Allowed);
        Assert.True((await trust.CheckAsync("service@etab-06000.mssante.fr")).Allowed);
        var gmail = await trust.CheckAsync("jeanne.martin@gmail.com");
        Assert.False(gmail.Allowed);
        Assert.StartsWith("Le domaine gmail.com n'appartient pas à l'espace de confiance MSSanté : ce destinataire ne peut pas recevoir de messagerie sécurisée de santé.", gmail.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Shrinking_import_is_refused_and_the_previous_list_kept(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<WhitelistImporter>();
        Assert.True((await importer.ImportAsync(SharedData.WhitelistSnapshot)).Accepted);
        var store = db.Get<IWhitelistStore>();
        Assert.Equal(516, await store.CountDomainsAsync());

        // A publication that lost most of its domains (e.g. a broken export): 100 of 516.
        var outcome = await importer.ImportAsync(Xml(WhitelistGenerator.ToXml(100, duplicateEvery: 0)), "shrunk.xml");

        Assert.False(outcome.Accepted);
        Assert.Contains("previous list is kept", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(516, await store.CountDomainsAsync());
        Assert.True(await store.ContainsDomainAsync("apta78.mssante.fr"));
        Assert.False(await store.ContainsDomainAsync("etab-00050.mssante.fr"));
        await using var context = await db.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        var history = await context.Set<WhitelistImportRow>().OrderBy(r => r.Id).ToListAsync();
        Assert.Equal([true, false], history.Select(h => h.Accepted));
        Assert.Equal(516, history[1].PreviousDomains);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Empty_or_broken_file_is_refused_and_the_previous_list_kept(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<WhitelistImporter>();
        await importer.ImportAsync(Xml(WhitelistGenerator.ToXml(50)), "first.xml");

        await Assert.ThrowsAsync<WhitelistFormatException>(() => importer.ImportAsync(Xml("<html>502 Bad Gateway</html>"), "proxy-error.html"));

        Assert.True(await db.Get<IWhitelistStore>().CountDomainsAsync() > 0);
        await using var context = await db.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        var refused = await context.Set<WhitelistImportRow>().OrderByDescending(r => r.Id).FirstAsync();
        Assert.False(refused.Accepted);
        Assert.Equal("proxy-error.html", refused.Source);
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task A_growing_list_replaces_the_stored_one(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<WhitelistImporter>();
        await importer.ImportAsync(Xml(WhitelistGenerator.ToXml(100, duplicateEvery: 0)), "a.xml");
        var outcome = await importer.ImportAsync(SharedData.WhitelistSnapshot);

        Assert.True(outcome.Accepted);
        Assert.Equal(100, outcome.PreviousDomains);
        var store = db.Get<IWhitelistStore>();
        Assert.Equal(516, await store.CountDomainsAsync());
        Assert.True(await store.ContainsDomainAsync("apta78.mssante.fr"));
        var domains = new List<string>();
        await foreach (var d in store.ListDomainsAsync())
        {
            domains.Add(d);
        }

        Assert.Equal(516, domains.Count);
        Assert.DoesNotContain("etab-00050.mssante.fr", domains);
    }

    [Fact]
    public async Task Configured_shrink_fraction_applies()
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(
            DatabaseProvider.Sqlite, new Dictionary<string, string?> { ["Whitelist:MaxShrinkFraction"] = "0.9" });
        var importer = db.Get<WhitelistImporter>();
        await importer.ImportAsync(SharedData.WhitelistSnapshot);

        // 100 of 516 is an 80 % loss: refused by default, accepted with a 90 % limit.
        var outcome = await importer.ImportAsync(Xml(WhitelistGenerator.ToXml(100, duplicateEvery: 0)), "small.xml");

        Assert.True(outcome.Accepted);
        Assert.Equal(100, await db.Get<IWhitelistStore>().CountDomainsAsync());
    }
}
