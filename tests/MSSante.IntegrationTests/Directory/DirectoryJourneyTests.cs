using Microsoft.Playwright;
using MSSante.IntegrationTests.Absence;
using MSSante.IntegrationTests.Webmail;
using MSSante.Tests.Shared;

namespace MSSante.IntegrationTests.NationalDirectory;

/// <summary>
/// The directory page in Chromium against the real webmail and stack: an absence set by one
/// practitioner shows on their entry for another, who writes to them from there.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class DirectoryJourneyTests(MailUiFixture fixture)
{
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string MarcId = "899700100049";
    private const string JeanneId = "899700100015";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";

    [Fact]
    public async Task An_absence_with_a_contact_shows_on_the_directory_entry_and_Ecrire_opens_compose_addressed_to_it()
    {
        await fixture.ImportDirectoryAsync(
            Row("PER", Marc, "PETIT", "Marc", "Infirmier", "", "true", "899700100049", "Cabinet infirmier de la Croix-Rousse"),
            Row("PER", Claire, "LEROY", "Claire", "Pharmacien", "", "false", "899700100031", "Pharmacie des Pentes"),
            Row("PER", "jeanne.martin@medecin.mssante.fr", "MARTIN", "Jeanne", "Médecin", "Médecine générale", "", "899700100015", "Cabinet médical"));
        var marc = fixture.User(Marc);
        var before = await SieveAccess.SnapshotAsync(fixture.Stack, marc);
        var until = DateTime.Today.AddDays(3);
        var expectedAbsence = $"Absent jusqu'au {until:dd/MM/yyyy}, contactez {Claire}";
        try
        {
            // Marc sets his absence, with Claire to contact.
            var (marcContext, marcPage) = await fixture.SignInAsync(MarcId);
            await using var _ = marcContext;
            await marcPage.Locator("[data-testid=absence-link]").ClickAsync();
            await marcPage.Locator("[data-testid=absence-page][data-ready=true]").WaitForAsync();
            await marcPage.Locator("[data-testid=absence-enabled]").CheckAsync();
            await marcPage.Locator("[data-testid=absence-start]").FillAsync(DateTime.Today.ToString("yyyy-MM-dd"));
            await marcPage.Locator("[data-testid=absence-end]").FillAsync(until.ToString("yyyy-MM-dd"));
            await marcPage.Locator("[data-testid=absence-message]").FillAsync("Bonjour,\nJe suis absent. Le texte de cette réponse ne doit pas paraître dans l'annuaire.");
            await marcPage.Locator("[data-testid=absence-contact]").FillAsync(Claire);
            await Assertions.Expect(marcPage.Locator("[data-testid=absence-directory]")).ToBeCheckedAsync();
            await marcPage.Locator("[data-testid=absence-save]").ClickAsync();
            await Assertions.Expect(marcPage.Locator("[data-testid=absence-notice]")).ToContainTextAsync("L'annuaire signale votre absence");

            // Jeanne finds him from the header link, by name and profession.
            var (jeanneContext, page) = await fixture.SignInAsync(JeanneId);
            await using var __ = jeanneContext;
            await page.Locator("[data-testid=link-directory]").ClickAsync();
            await page.Locator("[data-testid=directory-page][data-ready=true]").WaitForAsync();
            await page.Locator("[data-testid=directory-q]").FillAsync("petit infirm");
            await page.Locator("[data-testid=directory-search]").ClickAsync();
            var entry = page.Locator($"[data-testid=directory-entry][data-address='{Marc}']");
            try
            {
                await Assertions.Expect(entry.Locator("[data-testid=directory-absence]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(expectedAbsence) + "$"));
            }
            catch (PlaywrightException e)
            {
                var log = fixture.Output;
                throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + log[Math.Max(0, log.Length - 6000)..], e);
            }
            Assert.Equal(1, await page.Locator("[data-testid=directory-entry]").CountAsync());
            await Assertions.Expect(entry.Locator("[data-testid=directory-name]")).ToHaveTextAsync("M Marc PETIT");
            await Assertions.Expect(entry.Locator("[data-testid=directory-type-code]")).ToHaveTextAsync("PER");
            await Assertions.Expect(entry.Locator("[data-testid=directory-type]")).ToContainTextAsync("Boîte personnelle");
            await Assertions.Expect(entry.Locator("[data-testid=directory-profession]")).ToHaveTextAsync("Infirmier");
            await Assertions.Expect(entry.Locator("[data-testid=directory-structure]")).ToHaveTextAsync("Cabinet infirmier de la Croix-Rousse");
            await Assertions.Expect(entry.Locator("[data-testid=directory-town]")).ToContainTextAsync("69004 LYON");
            await Assertions.Expect(entry.Locator("[data-testid=directory-demat]")).ToHaveTextAsync("Ne reçoit plus de papier pour ce qui arrive par messagerie sécurisée");
            await Assertions.Expect(entry).Not.ToContainTextAsync("Le texte de cette réponse");
            Assert.Contains("q=petit", page.Url, StringComparison.Ordinal);

            // The colleague to contact is not absent; the identifier field finds her whole RPPS typed in groups.
            await page.Locator("summary", new() { HasTextString = "Recherche détaillée" }).ClickAsync();
            await page.Locator("[data-testid=directory-q]").FillAsync("");
            await page.Locator("[data-testid=directory-identifier]").FillAsync("8 997 001 000 31");
            await page.Locator("[data-testid=directory-search]").ClickAsync();
            var claire = page.Locator($"[data-testid=directory-entry][data-address='{Claire}']");
            await Assertions.Expect(claire.Locator("[data-testid=directory-demat]")).ToHaveTextAsync("Reçoit encore les courriers papier");
            Assert.Equal(0, await claire.Locator("[data-testid=directory-absence]").CountAsync());
            Assert.Equal(1, await page.Locator("[data-testid=directory-entry]").CountAsync());

            // Nothing matches: said in French.
            await page.Locator("[data-testid=directory-identifier]").FillAsync("");
            await page.Locator("[data-testid=directory-q]").FillAsync("zqxwvk");
            await page.Locator("[data-testid=directory-search]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=directory-nomatch]")).ToContainTextAsync("Aucune fiche ne correspond");

            // On a phone, the page fits the width.
            await page.SetViewportSizeAsync(390, 844);
            await page.Locator("[data-testid=directory-q]").FillAsync(Marc);
            await page.Locator("[data-testid=directory-search]").ClickAsync();
            await Assertions.Expect(entry.Locator("[data-testid=directory-absence]")).ToContainTextAsync(expectedAbsence);
            var overflowing = await page.EvaluateAsync<string[]>(
                "() => [...document.querySelectorAll('.directory-form, .directory-entry, .directory-entry *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).map(e => e.className || e.tagName)");
            Assert.True(overflowing.Length == 0, "wider than a 390 px phone: " + string.Join(", ", overflowing));
            await Assertions.Expect(entry.Locator("[data-testid=directory-write]")).ToBeVisibleAsync();
            await page.SetViewportSizeAsync(1440, 900);

            // "Écrire" opens the composer addressed to Marc.
            await entry.Locator("[data-testid=directory-write]").ClickAsync();
            await page.WaitForURLAsync(u => u.Contains("/courrier?destinataire=", StringComparison.Ordinal));
            await page.Locator("[data-testid=mail-shell][data-ready=true]").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=compose]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=compose-to]")).ToHaveValueAsync(Marc);
            // The recipient autocomplete shows the same mark.
            await page.Locator("[data-testid=compose-cc]").ClickAsync();
            await page.Keyboard.TypeAsync("petit");
            await Assertions.Expect(page.Locator($"[data-testid=compose-cc-suggestions] [data-testid=suggestion][data-address='{Marc}'] [data-testid=suggestion-absence]"))
                .ToHaveTextAsync(expectedAbsence);
            await page.Keyboard.PressAsync("Escape");
            await page.Locator("[data-testid=compose-discard]").ClickAsync();

            // Marc ends his absence: the entry no longer shows it.
            await marcPage.ReloadAsync();
            await marcPage.Locator("[data-testid=absence-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(marcPage.Locator("[data-testid=absence-contact]")).ToHaveValueAsync(Claire);
            await marcPage.Locator("[data-testid=absence-enabled]").UncheckAsync();
            await marcPage.Locator("[data-testid=absence-save]").ClickAsync();
            await Assertions.Expect(marcPage.Locator("[data-testid=absence-notice]")).ToContainTextAsync("Réponse automatique désactivée");
            await page.GotoAsync("annuaire?q=" + Uri.EscapeDataString("petit infirmier"));
            await page.Locator("[data-testid=directory-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(entry.Locator("[data-testid=directory-type-code]")).ToHaveTextAsync("PER");
            Assert.Equal(0, await entry.Locator("[data-testid=directory-absence]").CountAsync());
        }
        finally
        {
            await SieveAccess.RestoreAsync(fixture.Stack, marc, before);
        }
    }

    private static string Row(string type, string address, string last, string first, string profession, string specialty, string demat, string idNat, string structure) =>
        new DirectoryTestRow(type, address)
        {
            IdNat = idNat, Civility = "M", LastName = last, FirstName = first, Profession = profession, Specialty = specialty,
            Dematerialisation = demat, Structure = structure, StreetNumber = "3", StreetType = "R", Street = "DES FANTASQUES",
            PostalCode = "69004", Town = "LYON",
        }.ToLine();
}
