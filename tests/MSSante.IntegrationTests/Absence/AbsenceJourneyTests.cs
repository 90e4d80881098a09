using Microsoft.Playwright;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail.Imap;
using MSSante.Mime;

namespace MSSante.IntegrationTests.Absence;

/// <summary>An absence set in Chromium becomes a Sieve script that Dovecot runs at LMTP delivery.</summary>
[Collection(MailUiCollection.Name)]
public sealed class AbsenceJourneyTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string PaulId = "899700100023";
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";

    [Fact]
    public async Task An_absence_set_in_the_browser_answers_mail_delivered_by_postfix_and_copies_it_to_the_colleague()
    {
        var paul = fixture.User(Paul);
        var before = await SieveAccess.SnapshotAsync(fixture.Stack, paul);
        var replySubject = MailUiFixture.Unique("Absent jusqu'au retour");
        var subject = MailUiFixture.Unique("Demande d'avis pneumologique");
        try
        {
            var (context, page) = await fixture.SignInAsync(PaulId);
            await using var _ = context;
            await page.Locator("[data-testid=absence-link]").ClickAsync();
            await page.Locator("[data-testid=absence-page][data-ready=true]").WaitForAsync();
            var today = DateTime.Today;
            await page.Locator("[data-testid=absence-enabled]").CheckAsync();
            await page.Locator("[data-testid=absence-start]").FillAsync(today.ToString("yyyy-MM-dd"));
            await page.Locator("[data-testid=absence-end]").FillAsync(today.AddDays(2).ToString("yyyy-MM-dd"));
            await page.Locator("[data-testid=absence-subject]").FillAsync(replySubject);
            await page.Locator("[data-testid=absence-message]").FillAsync("Bonjour,\nJe suis absent. Pour un avis urgent, écrivez au Dr LEROY.");
            await page.Locator("[data-testid=absence-redirect]").FillAsync(Claire);
            await page.Locator("[data-testid=absence-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=absence-notice]")).ToContainTextAsync("Réponse automatique enregistrée");

            // The operator holds our script, active.
            await using (var sieve = await SieveAccess.OpenAsync(fixture.Stack, paul))
            {
                Assert.Contains(await sieve.ListScriptsAsync(), s => s.Name == "absence-webmail" && s.IsActive);
                Assert.Contains(":subject \"" + replySubject + "\"", await sieve.GetScriptAsync("absence-webmail"), StringComparison.Ordinal);
                await sieve.LogoutAsync();
            }

            await fixture.DeliverAsync(Jeanne, Paul, MailUiFixture.TextMessage($"Dr Jeanne MARTIN <{Jeanne}>", Paul, subject, "Pouvez-vous voir ce patient ?"));

            var reply = Assert.Single(await fixture.WaitForAsync(Jeanne, "INBOX", replySubject, seconds: 60));
            var raw = await FetchAsync(Jeanne, reply.Uid);
            Assert.StartsWith("auto-replied", raw.Headers["Auto-Submitted"], StringComparison.Ordinal);
            Assert.Contains("Pour un avis urgent", raw.GetTextBody(), StringComparison.Ordinal);
            Assert.Equal(Paul, raw.From.Mailboxes().Single().Address);
            Assert.Single(await fixture.WaitForAsync(Claire, "INBOX", subject, seconds: 60));
            Assert.Single(await fixture.FindAsync(Paul, "INBOX", subject));

            // The page shows the stored absence again, and switching it off deactivates the script.
            await page.ReloadAsync();
            await page.Locator("[data-testid=absence-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=absence-subject]")).ToHaveValueAsync(replySubject);
            await Assertions.Expect(page.Locator("[data-testid=absence-enabled]")).ToBeCheckedAsync();
            await page.Locator("[data-testid=absence-enabled]").UncheckAsync();
            await page.Locator("[data-testid=absence-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=absence-notice]")).ToContainTextAsync("Réponse automatique désactivée");
            await using (var sieve = await SieveAccess.OpenAsync(fixture.Stack, paul))
            {
                Assert.DoesNotContain(await sieve.ListScriptsAsync(), s => s.Name == "absence-webmail" && s.IsActive);
                await sieve.LogoutAsync();
            }
        }
        finally
        {
            await SieveAccess.RestoreAsync(fixture.Stack, paul, before);
        }
    }

    private async Task<MimeMessage> FetchAsync(string address, uint uid)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(address));
        await imap.SelectAsync("INBOX", readOnly: true);
        var m = (await imap.FetchAsync(UidSet.Of(uid), ImapFetchItems.None, [new ImapBodySection("")])).Single();
        await imap.LogoutAsync();
        return MimeMessage.Load(m.Sections[""]);
    }
}
