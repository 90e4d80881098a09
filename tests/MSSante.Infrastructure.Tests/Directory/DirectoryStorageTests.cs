using System.Text;
using Microsoft.EntityFrameworkCore;
using MSSante.Domain.NationalDirectory;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.Tests.TrustSpace;
using MSSante.Tests.Shared;

namespace MSSante.Infrastructure.Tests.NationalDirectory;

public sealed class DirectoryStorageTests
{
    private static string Row(string type, string address, string last, string first, string profession, string specialty, string town, string postalCode, string idNat, string demat = "true", string street = "DE LA RÉPUBLIQUE") =>
        new DirectoryTestRow(type, address)
        {
            IdNat = idNat, Civility = "DR", LastName = last, FirstName = first, Profession = profession, Specialty = specialty,
            Dematerialisation = demat, Structure = "CH DÉMO", StreetNumber = "12", StreetType = "R", Street = street,
            PostalCode = postalCode, Town = town,
        }.ToLine();

    private static readonly string[] BaseRows =
    [
        Row("PER", "jeanne.martin@medecin.mssante.fr", "MARTIN", "Jeanne", "Médecin", "Médecine générale (SM)", "PARIS", "75012", "899700100015"),
        Row("PER", "paul.durand@ch-demo.mssante.fr", "DURAND", "Paul", "Médecin", "Pneumologie (SM)", "LYON", "69003", "899700100023", "false"),
        Row("PER", "helene.lefevre@medecin.mssante.fr", "LEFÈVRE", "Hélène", "Médecin", "Cardiologie et maladies vasculaires (SM)", "SAINT-ÉTIENNE", "42000", "899700100056", ""),
        Row("PER", "claire.leroy@pharmacien.mssante.fr", "LEROY", "Claire", "Pharmacien", "", "NANTES", "44000", "899700100031"),
        Row("ORG", "pneumologie@ch-demo.mssante.fr", "", "", "", "", "LYON", "69003", ""),
        Row("APP", "labo-bio@ch-demo.mssante.fr", "", "", "", "", "LYON", "69003", ""),
    ];

    private static Stream Text(IEnumerable<string> rows) =>
        new MemoryStream(Encoding.UTF8.GetBytes(DirectoryGenerator.Header + "\n" + string.Join("\n", rows) + "\n"));

    private static async Task<List<string>> SearchAsync(IDirectorySearch search, string text, MailboxType? type = null) =>
        (await search.SearchAsync(new DirectoryQuery(text, Type: type))).Entries.Select(e => e.Address).ToList();

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Search_by_name_with_or_without_accents_first_name_profession_specialty_town_postcode_id_and_street(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        await db.Get<DirectoryImporter>().ImportAsync(Text(BaseRows), "base.txt");
        var search = db.Get<IDirectorySearch>();

        Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await SearchAsync(search, "lefevre"));
        Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await SearchAsync(search, "Lefèvre Hélène"));
        Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await SearchAsync(search, "HELENE"));
        Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await SearchAsync(search, "cardio"));
        Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await SearchAsync(search, "saint etienne"));
        Assert.Equal(["paul.durand@ch-demo.mssante.fr"], await SearchAsync(search, "pneumo durand"));
        Assert.Equal(["claire.leroy@pharmacien.mssante.fr"], await SearchAsync(search, "pharmacien"));
        Assert.Equal(["jeanne.martin@medecin.mssante.fr"], await SearchAsync(search, "75012"));
        Assert.Equal(["jeanne.martin@medecin.mssante.fr"], await SearchAsync(search, "899700100015"));
        Assert.Equal(["jeanne.martin@medecin.mssante.fr"], await SearchAsync(search, "99700100015")); // RPPS alone
        Assert.Equal(["jeanne.martin@medecin.mssante.fr"], await SearchAsync(search, "mar jea"));
        Assert.Equal(6, (await SearchAsync(search, "republique")).Count);
        Assert.Equal(["labo-bio@ch-demo.mssante.fr"], await SearchAsync(search, "lyon", MailboxType.App));
        Assert.Empty(await SearchAsync(search, "martin lyon"));
        Assert.Empty(await SearchAsync(search, "  "));
        Assert.Empty(await SearchAsync(search, "\"*)"));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Entry_shows_type_profession_structure_and_dematerialisation(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        await db.Get<DirectoryImporter>().ImportAsync(Text(BaseRows), "base.txt");
        var search = db.Get<IDirectorySearch>();

        var durand = await search.FindByAddressAsync("Paul.Durand@CH-demo.mssante.fr");
        Assert.NotNull(durand);
        Assert.Equal(MailboxType.Per, durand.MailboxType);
        Assert.Equal("Médecin", durand.ProfessionLabel);
        Assert.Equal("Pneumologie (SM)", durand.SpecialtyLabel);
        Assert.Equal("CH DÉMO", durand.StructureName);
        Assert.False(durand.Dematerialisation);
        Assert.Equal("LYON", durand.Town);
        Assert.True((await search.FindByAddressAsync("jeanne.martin@medecin.mssante.fr"))!.Dematerialisation);
        Assert.Null((await search.FindByAddressAsync("helene.lefevre@medecin.mssante.fr"))!.Dematerialisation);
        Assert.Equal(MailboxType.Org, (await search.FindByAddressAsync("pneumologie@ch-demo.mssante.fr"))!.MailboxType);
        Assert.Null(await search.FindByAddressAsync("inconnu@medecin.mssante.fr"));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Reimport_updates_changed_rows_removes_vanished_ones_and_is_idempotent(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<DirectoryImporter>();
        var first = await importer.ImportAsync(Text(BaseRows), "day1.txt");
        Assert.Equal((6, 6, 0, 0, 0), (first.Read, first.Inserted, first.Updated, first.Unchanged, first.Deleted));

        var again = await importer.ImportAsync(Text(BaseRows), "day1-again.txt");
        Assert.Equal((6, 0, 0, 6, 0), (again.Read, again.Inserted, again.Updated, again.Unchanged, again.Deleted));

        // Day 2: Dr DURAND moved to Grenoble, Claire LEROY left, a new practitioner arrived.
        var day2 = BaseRows.Where(r => !r.Contains("claire.leroy", StringComparison.Ordinal))
            .Select(r => r.Contains("paul.durand", StringComparison.Ordinal) ? r.Replace("69003 LYON|69003", "38000 GRENOBLE|38000", StringComparison.Ordinal) : r)
            .Append(Row("PER", "marc.petit@infirmier.mssante.fr", "PETIT", "Marc", "Infirmier", "", "RENNES", "35000", "899700100049"))
            .ToList();
        var second = await importer.ImportAsync(Text(day2), "day2.txt");

        Assert.Equal((6, 1, 1, 4, 1), (second.Read, second.Inserted, second.Updated, second.Unchanged, second.Deleted));
        var search = db.Get<IDirectorySearch>();
        Assert.Null(await search.FindByAddressAsync("claire.leroy@pharmacien.mssante.fr"));
        Assert.Equal("GRENOBLE", (await search.FindByAddressAsync("paul.durand@ch-demo.mssante.fr"))!.Town);
        // The full-text index follows updates and deletions.
        Assert.Equal(["paul.durand@ch-demo.mssante.fr"], await SearchAsync(search, "durand grenoble"));
        Assert.Empty(await SearchAsync(search, "durand lyon"));
        Assert.Empty(await SearchAsync(search, "leroy"));
        Assert.Equal(["marc.petit@infirmier.mssante.fr"], await SearchAsync(search, "infirmier rennes"));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task A_file_with_no_valid_row_keeps_the_stored_directory(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var importer = db.Get<DirectoryImporter>();
        await importer.ImportAsync(Text(BaseRows), "day1.txt");

        await Assert.ThrowsAsync<DirectoryFormatException>(() => importer.ImportAsync(Text(["PER|cassé"]), "broken.txt"));

        Assert.NotNull(await db.Get<IDirectorySearch>().FindByAddressAsync("jeanne.martin@medecin.mssante.fr"));
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Generated_directory_search_agrees_with_a_plain_scan_and_pages(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        await AssertSearchAgreesWithScanAsync(db);
    }

    [Fact]
    public async Task Broad_queries_paged_without_scoring_still_return_every_match_once_names_first()
    {
        // A limit of 5 sends every query of the set through the unscored two-tier paging.
        await using var db = await TrustSpaceDatabase.CreateAsync(DatabaseProvider.Sqlite,
            new Dictionary<string, string?> { ["Directory:RankedMatchLimit"] = "5" });
        await AssertSearchAgreesWithScanAsync(db);

        var tokens = SearchText.Tokenize("mar");
        var inNames = new List<bool>();
        for (var number = 0; ; number++)
        {
            var page = await db.Get<IDirectorySearch>().SearchAsync(new DirectoryQuery("mar", number, 100));
            inNames.AddRange(page.Entries.Select(e => DirectoryMatcher.Matches(e.SearchNames, string.Empty, tokens)));
            if (!page.HasMore)
            {
                break;
            }
        }

        Assert.Contains(true, inNames);
        Assert.Contains(false, inNames);
        Assert.Equal(inNames.OrderByDescending(x => x), inNames); // every name match before the first other match
    }

    private static async Task AssertSearchAgreesWithScanAsync(TrustSpaceDatabase db)
    {
        var text = DirectoryGenerator.ToText(3000, seed: 5);
        var result = await db.Get<DirectoryImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "generated.txt");
        Assert.Equal(3000, result.Inserted);
        var all = new List<DirectoryEntry>();
        await foreach (var e in DirectoryExtractionReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), new DirectoryParseReport()))
        {
            all.Add(e);
        }

        var search = db.Get<IDirectorySearch>();
        foreach (var q in new[] { "martin", "lefevre", "hel", "pneumologie lyon", "sage femme", "kine", "13005", "8997000001", "jean pierre", "orthophoniste brest" })
        {
            var tokens = SearchText.Tokenize(q);
            var expected = all.Where(e => DirectoryMatcher.Matches(e.SearchNames, e.SearchOther, tokens)).Select(e => e.Address).Order().ToList();
            var found = new List<string>();
            for (var page = 0; ; page++)
            {
                var p = await search.SearchAsync(new DirectoryQuery(q, page, 100));
                found.AddRange(p.Entries.Select(e => e.Address));
                if (!p.HasMore)
                {
                    break;
                }
            }

            Assert.True(expected.Count > 0, $"query '{q}' should match generated rows");
            Assert.Equal(expected, found.Order().ToList());
        }
    }

    [Theory]
    [MemberData(nameof(TrustSpaceDatabase.Providers), MemberType = typeof(TrustSpaceDatabase))]
    public async Task Names_rank_before_other_fields_and_gmail_refusal_suggests_the_directory_entry(DatabaseProvider provider)
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(provider);
        var rows = BaseRows.Append(Row("PER", "x.y@medecin.mssante.fr", "DUPONT", "Xavier", "Médecin", "", "PARIS", "75012", "899700100064", street: "MARTIN LUTHER KING")).ToList();
        await db.Get<DirectoryImporter>().ImportAsync(Text(rows), "base.txt");
        await db.Get<Infrastructure.TrustSpace.WhitelistImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(WhitelistGenerator.ToXml(30))), "wl.xml");

        var page = await db.Get<IDirectorySearch>().SearchAsync(new DirectoryQuery("martin"));
        Assert.Equal(["jeanne.martin@medecin.mssante.fr", "x.y@medecin.mssante.fr"], page.Entries.Select(e => e.Address));

        var verdict = await db.Get<ITrustSpace>().CheckAsync("jeanne.martin@gmail.com");
        Assert.False(verdict.Allowed);
        var suggestion = Assert.Single(verdict.Suggestions);
        Assert.Equal("jeanne.martin@medecin.mssante.fr", suggestion.Address);
        Assert.Contains("DR Jeanne MARTIN <jeanne.martin@medecin.mssante.fr>", verdict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_history_is_recorded()
    {
        await using var db = await TrustSpaceDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await db.Get<DirectoryImporter>().ImportAsync(Text(BaseRows.Append("PER|trop|court")), "day1.txt");
        await using var context = await db.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        var row = await context.Set<DirectoryImportRow>().SingleAsync();
        Assert.Equal((6, 6, 1, "day1.txt"), (row.Read, row.Inserted, row.Malformed, row.Source));
    }
}
