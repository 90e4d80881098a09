using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;
using MSSante.Webmail.Components.Pages.NationalDirectory;
using MSSante.Webmail.Mail.Absence;
using MSSante.Tests.Shared;

namespace MSSante.IntegrationTests.NationalDirectory;

/// <summary>
/// The directory page's query building (form → query, address bar round trip) and entry
/// wording, without a browser; the queries are also run against a real (SQLite) directory.
/// </summary>
public sealed class DirectoryPageLogicTests
{
    [Fact]
    public void Every_field_contributes_its_words_normalised_and_a_type_filter_is_kept()
    {
        var form = new DirectorySearchForm
        {
            Text = "Hélène",
            LastName = "Lefèvre",
            Profession = "cardio",
            Place = "Saint-Étienne",
            Street = "rue de la République",
            Type = MailboxType.Per,
        };

        var query = form.ToQuery();

        Assert.Equal(["HELENE", "LEFEVRE", "CARDIO", "SAINT", "ETIENNE", "RUE", "DE", "LA"], query.Tokens);
        Assert.Equal(MailboxType.Per, query.Type);
        Assert.Equal(0, query.Page);
        Assert.Equal(DirectorySearchForm.PageSize, query.PageSize);
        Assert.True(form.HasTooManyWords); // "REPUBLIQUE" is the ninth word: the page says it is dropped
    }

    [Theory]
    [InlineData("75 012", "75012")]
    [InlineData("8 997 001 000 49", "899700100049")]
    [InlineData("8-99700-100049", "899700100049")]
    public void A_postcode_or_identifier_typed_in_groups_is_one_word(string typed, string word)
    {
        Assert.Equal([word], new DirectorySearchForm { Place = typed }.Words());
        Assert.Equal([word], new DirectorySearchForm { Identifier = typed }.Words());
    }

    [Fact]
    public void Text_with_letters_in_the_place_or_identifier_is_split_as_the_directory_splits_it()
    {
        Assert.Equal(["LYON", "3E"], new DirectorySearchForm { Place = "Lyon 3e" }.Words());
        Assert.Equal(["3990000001", "SB0001"], new DirectorySearchForm { Identifier = "3990000001/SB0001" }.Words());
    }

    [Theory]
    [InlineData("Marc.Petit@Infirmier.MSSante.fr", "marc.petit@infirmier.mssante.fr")]
    [InlineData(" labo-bio@ch-demo.mssante.fr ", "labo-bio@ch-demo.mssante.fr")]
    [InlineData("marc petit", null)]
    [InlineData("@infirmier", null)]
    [InlineData("a@b@c", null)]
    [InlineData("<marc.petit@infirmier.mssante.fr>", null)]
    [InlineData("marc.petit@", null)]
    public void A_whole_mailbox_address_in_the_search_box_is_looked_up_as_such(string text, string? expected)
    {
        Assert.Equal(expected, new DirectorySearchForm { Text = text }.ExactAddress);
    }

    [Fact]
    public void An_empty_form_asks_nothing()
    {
        Assert.True(new DirectorySearchForm().IsEmpty);
        Assert.True(new DirectorySearchForm { Text = " ,;- ", Place = "  " }.IsEmpty);
        Assert.False(new DirectorySearchForm { Text = "x@y.fr" }.IsEmpty);
        Assert.Empty(new DirectorySearchForm().ToQuery().Tokens);
    }

    [Fact]
    public void The_address_bar_gives_back_the_same_search_with_a_one_based_page()
    {
        var form = new DirectorySearchForm { Text = "durand", Place = "69003", Type = MailboxType.Org, Page = 2 };
        var parameters = form.ToQueryParameters();

        Assert.Equal("durand", parameters["q"]);
        Assert.Equal("69003", parameters["lieu"]);
        Assert.Equal("ORG", parameters["type"]);
        Assert.Equal("3", parameters["page"]);
        Assert.Null(parameters["nom"]);

        var back = DirectorySearchForm.FromQuery(
            (string?)parameters["q"], (string?)parameters["nom"], (string?)parameters["prenom"], (string?)parameters["profession"],
            (string?)parameters["lieu"], (string?)parameters["identifiant"], (string?)parameters["adresse"], (string?)parameters["type"], (string?)parameters["page"]);
        Assert.Equal(form, back);
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("1", 0)]
    [InlineData("4", 3)]
    [InlineData("0", 0)]
    [InlineData("-2", 0)]
    [InlineData("deux", 0)]
    [InlineData("99999999999", 0)]
    public void A_page_number_from_the_address_is_trusted_only_when_sensible(string? page, int expected)
    {
        Assert.Equal(expected, DirectorySearchForm.FromQuery("x", null, null, null, null, null, null, null, page).Page);
    }

    [Theory]
    [InlineData("per", MailboxType.Per)]
    [InlineData("APP", MailboxType.App)]
    [InlineData(" Org ", MailboxType.Org)]
    [InlineData("CAB", MailboxType.Cab)]
    [InlineData("XYZ", null)]
    [InlineData("", null)]
    public void Mailbox_type_filters_are_read_from_their_published_codes(string code, MailboxType? expected)
    {
        Assert.Equal(expected, DirectorySearchForm.ParseType(code));
    }

    [Fact]
    public void An_entry_reads_in_plain_French_with_its_type_explained_and_its_absence()
    {
        var entry = Entry("PER", "marc.petit@infirmier.mssante.fr", "PETIT", "Marc", "Infirmier", "", "true");
        var absence = new AbsenceNotice { MailboxAddress = entry.Address, StartDate = new(2026, 11, 20), EndDate = new(2026, 11, 25), ContactAddress = "claire.leroy@pharmacien.mssante.fr" };
        var view = new DirectoryEntryView(entry, absence);

        Assert.Equal("PER", view.TypeCode);
        Assert.StartsWith("Boîte personnelle", view.TypeExplained, StringComparison.Ordinal);
        Assert.Equal("Infirmier", view.Profession);
        Assert.Null(view.Specialty);
        Assert.Equal("Maison de santé des Pentes", view.Structure);
        Assert.Equal("12 rue DE LA RÉPUBLIQUE", view.Street);
        Assert.Equal("69003 LYON", view.Town);
        Assert.Equal("Ne reçoit plus de papier pour ce qui arrive par messagerie sécurisée", view.Dematerialisation);
        Assert.Equal("Absent jusqu'au 25/11/2026, contactez claire.leroy@pharmacien.mssante.fr", view.AbsenceLine);

        var service = new DirectoryEntryView(Entry("ORG", "pneumologie@ch-demo.mssante.fr", "", "", "", "", "false", service: "Pneumologie"), null);
        Assert.StartsWith("Boîte organisationnelle", service.TypeExplained, StringComparison.Ordinal);
        Assert.Equal("Pneumologie, Maison de santé des Pentes", service.Structure);
        Assert.Equal("Reçoit encore les courriers papier", service.Dematerialisation);
        Assert.Null(service.AbsenceLine);
        Assert.StartsWith("Boîte applicative", DirectoryEntryView.ExplainType(MailboxType.App), StringComparison.Ordinal);
        Assert.Equal("Choix non renseigné", new DirectoryEntryView(Entry("APP", "a@b.fr", "", "", "", "", ""), null).Dematerialisation);
    }

    [Fact]
    public async Task The_page_queries_find_the_entries_in_a_real_directory()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("mssante-directory-page-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddLogging();
            services.AddMSSanteDbContextFactory(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(dir, "webmail.db")};Pooling=False" }, dir);
            services.AddSingleton<DirectoryImporter>();
            services.AddSingleton<DirectorySearchService>();
            await using var provider = services.BuildServiceProvider();
            var contexts = provider.GetRequiredService<IDbContextFactory<MSSanteDbContext>>();
            await using (var context = await contexts.CreateDbContextAsync())
            {
                await context.Database.MigrateAsync();
            }
            Assert.False((await DirectoryStatus.ReadAsync(contexts)).HasEntries);

            var rows = new[]
            {
                Row("PER", "marc.petit@infirmier.mssante.fr", "PETIT", "Marc", "Infirmier", "", "true", idNat: "899700100049"),
                Row("PER", "helene.lefevre@medecin.mssante.fr", "LEFÈVRE", "Hélène", "Médecin", "Cardiologie", "", idNat: "899700100056"),
                Row("ORG", "pneumologie@ch-demo.mssante.fr", "", "", "", "", "false", service: "Pneumologie"),
            };
            var text = DirectoryGenerator.Header + "\n" + string.Join("\n", rows) + "\n";
            await provider.GetRequiredService<DirectoryImporter>().ImportAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), "page-tests.txt");
            var status = await DirectoryStatus.ReadAsync(contexts);
            Assert.True(status.HasEntries);
            Assert.NotNull(status.LastImportUtc);

            var search = provider.GetRequiredService<DirectorySearchService>();
            async Task<List<string>> Find(DirectorySearchForm form) => (await search.SearchAsync(form.ToQuery())).Entries.Select(e => e.Address).ToList();

            Assert.Equal(["marc.petit@infirmier.mssante.fr"], await Find(new() { Identifier = "8 997 001 000 49" }));
            Assert.Equal(["marc.petit@infirmier.mssante.fr"], await Find(new() { Place = "69 003", Profession = "infirm" }));
            Assert.Equal(["helene.lefevre@medecin.mssante.fr"], await Find(new() { LastName = "lefevre", FirstName = "HELENE" }));
            Assert.Equal(["pneumologie@ch-demo.mssante.fr"], await Find(new() { Place = "Lyon", Type = MailboxType.Org }));
            Assert.Empty(await Find(new() { LastName = "petit", Type = MailboxType.Org }));
            Assert.Equal("marc.petit@infirmier.mssante.fr", (await search.FindByAddressAsync(new DirectorySearchForm { Text = "Marc.Petit@infirmier.mssante.fr" }.ExactAddress!))?.Address);
        }
        finally
        {
            System.IO.Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void The_absence_contact_is_validated_and_kept_in_the_script_with_the_directory_choice()
    {
        const string Mailbox = "marc.petit@infirmier.mssante.fr";
        var settings = new AbsenceSettings
        {
            Enabled = true,
            Start = new(2026, 11, 22),
            End = new(2026, 11, 25),
            Subject = "Absence",
            Message = "Absent.",
            ContactAddress = "claire.leroy@pharmacien.mssante.fr",
            ShowInDirectory = false,
        };
        Assert.Empty(AbsenceScript.Validate(settings, Mailbox));
        var back = AbsenceScript.Read(AbsenceScript.Build(settings, Mailbox, "Marc PETIT"));
        Assert.Equal("claire.leroy@pharmacien.mssante.fr", back?.ContactAddress);
        Assert.False(back?.ShowInDirectory);

        Assert.Contains(AbsenceScript.Validate(settings with { ContactAddress = "claire leroy" }, Mailbox), p => p.Contains("contacter pendant l'absence", StringComparison.Ordinal));
        Assert.Contains(AbsenceScript.Validate(settings with { ContactAddress = "MARC.PETIT@infirmier.mssante.fr" }, Mailbox), p => p.Contains("vous-même", StringComparison.Ordinal));

        // A script written before the directory existed still shows the absence there.
        Assert.True(new AbsenceSettings().ShowInDirectory);
        var older = "# mssante-absence: " + Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"Enabled\":true,\"Start\":\"2026-11-22\",\"End\":\"2026-11-25\",\"Subject\":\"Absence\",\"Message\":\"Absent.\",\"RedirectTo\":null,\"Days\":1}")) + "\r\nrequire [\"vacation\"];\r\n";
        var read = AbsenceScript.Read(older);
        Assert.NotNull(read);
        Assert.True(read.ShowInDirectory);
        Assert.Null(read.ContactAddress);
    }

    private static DirectoryEntry Entry(string type, string address, string last, string first, string profession, string specialty, string demat, string idNat = "", string service = "") =>
        DirectoryExtractionReader.ToEntry(Row(type, address, last, first, profession, specialty, demat, idNat, service).Split('|'))
        ?? throw new InvalidOperationException("row rejected");

    private static string Row(string type, string address, string last, string first, string profession, string specialty, string demat, string idNat = "", string service = "") =>
        new DirectoryTestRow(type, address)
        {
            IdNat = idNat, Service = service, Civility = last.Length > 0 ? "M" : "", LastName = last, FirstName = first,
            Profession = profession, Specialty = specialty, Dematerialisation = demat, Sign = "Maison de santé des Pentes",
            StreetNumber = "12", StreetType = "R", Street = "DE LA RÉPUBLIQUE", PostalCode = "69003", Town = "LYON",
        }.ToLine();
}
