using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// Mail actions reach the access journal where they happen: sign-in, a refused card login,
/// opening a message, deleting and moving it, each with the author's national id, the mailbox,
/// the UID and the Message-ID, and never the subject.
/// </summary>
[Collection(TrustSpaceUiCollection.Name)]
public sealed class MailAuditJourneyTests(TrustSpaceUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";

    [Fact]
    public async Task Login_failed_card_login_consultation_move_and_deletion_are_in_the_journal_with_uid_and_message_id()
    {
        // A card login refused by the server, claiming Jeanne's national id.
        using (var http = fixture.Host.CreateClient())
        {
            using var key = RSA.Create(2048);
            var name = new X500DistinguishedNameBuilder();
            name.AddCountryOrRegion("FR");
            name.AddCommonName(JeanneId);
            using var certificate = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            using var refused = await http.PostAsJsonAsync("connexion/carte/verification", new
            {
                challenge = Convert.ToBase64String("defi inconnu"u8.ToArray()),
                signature = Convert.ToBase64String(new byte[256]),
                algorithm = "RS256",
                certificates = new[] { Convert.ToBase64String(certificate.Export(X509ContentType.Cert)) },
            });
            Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        var subjectMoved = MailUiFixture.Unique("Résultats biologie");
        var subjectDeleted = MailUiFixture.Unique("Publicité congrès");
        var movedId = Guid.NewGuid().ToString("N") + "@labo.medecin.mssante.fr";
        var deletedId = Guid.NewGuid().ToString("N") + "@congres.medecin.mssante.fr";
        var movedUid = await AppendAsync(subjectMoved, movedId);
        var deletedUid = await AppendAsync(subjectDeleted, deletedId);

        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        try
        {
            await MailUiFixture.OpenRowAsync(page, subjectMoved);
            await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subjectMoved);
            await page.Locator("[data-testid=move-to]").SelectOptionAsync(new SelectOptionValue { Label = "Archives" });
            await Assertions.Expect(page.Locator("[data-testid=notice]")).ToContainTextAsync("Archives");
            await Assertions.Expect(MailUiFixture.Row(page, subjectMoved)).ToHaveCountAsync(0);
            // The list repaints after the move: click until the message opens (a click on a row being replaced is lost).
            for (var attempt = 0; ; attempt++)
            {
                await MailUiFixture.OpenRowAsync(page, subjectDeleted);
                try
                {
                    await Assertions.Expect(page.Locator("[data-testid=message-subject]")).ToHaveTextAsync(subjectDeleted, new LocatorAssertionsToHaveTextOptions { Timeout = 10000 });
                    break;
                }
                catch (PlaywrightException) when (attempt < 4)
                {
                    // clicked a row that was being replaced: click the new one
                }
            }
            await page.Locator("[data-testid=delete]").First.ClickAsync();
            await Assertions.Expect(MailUiFixture.Row(page, subjectDeleted)).ToHaveCountAsync(0);

            await page.Locator("[data-testid=link-audit]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync();
            await Assertions.Expect(JournalRow(page, "Connexion", true).First).ToBeVisibleAsync();
            await Assertions.Expect(JournalRow(page, "EchecConnexion", false).First).ToContainTextAsync("origin_not_allowed");
            await Assertions.Expect(JournalRow(page, "Consultation", true).Filter(new LocatorFilterOptions { HasText = $"UID {movedUid} <{movedId}>" })).ToHaveCountAsync(1);
            await Assertions.Expect(JournalRow(page, "Deplacement", true).Filter(new LocatorFilterOptions { HasText = $"UID {movedUid} <{movedId}>" })).ToContainTextAsync("vers=archive");
            await Assertions.Expect(JournalRow(page, "Suppression", true).Filter(new LocatorFilterOptions { HasText = $"UID {deletedUid} <{deletedId}>" })).ToContainTextAsync("vers=trash");
            var journal = await page.Locator("[data-testid=audit-table]").InnerTextAsync();
            Assert.DoesNotContain(subjectMoved, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(subjectDeleted, journal, StringComparison.Ordinal);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + fixture.Tail, e);
        }
    }

    private static ILocator JournalRow(IPage page, string action, bool success) =>
        page.Locator($"[data-testid=audit-row][data-action={action}][data-author='{JeanneId}'][data-mailbox='{Jeanne}'][data-success={(success ? "true" : "false")}]");

    private async Task<uint> AppendAsync(string subject, string messageId)
    {
        var raw = $"From: labo@medecin.mssante.fr\r\nTo: {Jeanne}\r\nSubject: {subject}\r\nDate: {DateTimeOffset.UtcNow:ddd, dd MMM yyyy HH:mm:ss} +0000\r\nMessage-ID: <{messageId}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nContenu.\r\n";
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Jeanne));
        var mapping = await imap.AppendAsync("INBOX", System.Text.Encoding.UTF8.GetBytes(raw));
        await imap.LogoutAsync();
        return mapping?.DestinationUids.Single() ?? throw new InvalidOperationException("no APPENDUID");
    }
}
