using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// A service mailbox delegated and withdrawn from the webmail, end to end in Chromium: the
/// owner grants, the secretary sees the box and sends for the service, the owner revokes, the
/// secretary's open page loses the box at once and the operator refuses her, and the access
/// journal shows every step under each person's national id.
/// </summary>
[Collection(TrustSpaceUiCollection.Name)]
public sealed class DelegationJourneyTests(TrustSpaceUiFixture fixture)
{
    private const string Service = "pneumologie@ch-demo.mssante.fr";
    private const string ServiceInbox = "shared/pneumologie@ch-demo.mssante.fr/INBOX";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string PaulId = "899700100023";
    private const string Sophie = "sophie.bernard@ch-demo.mssante.fr";
    private const string SophieId = "3990000001/SB0001";
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    /// <summary>Sophie's rights as deploy/lib/dovecot.sh sets them (lookup read write write-seen write-deleted insert post expunge create).</summary>
    private const string SeededRights = "lrwstipek";

    private static ILocator ServiceSection(IPage page) => page.Locator($"[data-testid=mailbox][data-mailbox='{Service}']");

    [Fact]
    public async Task Owner_grants_secretary_sends_for_the_service_owner_revokes_and_the_journal_shows_every_step()
    {
        var subject = MailUiFixture.Unique("Compte rendu de consultation");
        var reply = MailUiFixture.Unique("Réponse du service");
        var folders = await ServiceFoldersAsync();
        try
        {
            // Start from a service box Sophie has no access to, with one message waiting in it.
            await SetSophieAclAsync(folders, null);
            await AppendToServiceAsync(MailUiFixture.TextMessage(Jeanne, Service, subject, "Patient vu ce jour."));

            var (sophieContext, sophie) = await fixture.SignInAsync(SophieId);
            await using var _ = sophieContext;
            await Assertions.Expect(sophie.Locator($"[data-testid=mailbox][data-mailbox='{Sophie}']")).ToBeVisibleAsync();
            await Assertions.Expect(ServiceSection(sophie)).ToHaveCountAsync(0);

            // The owner grants from the delegation page, choosing Sophie through the directory.
            var (paulContext, paul) = await fixture.SignInAsync(PaulId);
            await using var __ = paulContext;
            await paul.Locator("[data-testid=link-delegations]").ClickAsync();
            await Assertions.Expect(paul.Locator("[data-testid=delegation-page][data-ready=true]")).ToBeVisibleAsync();
            await Assertions.Expect(paul.Locator("[data-testid=delegation-mailbox]")).ToHaveValueAsync(Service);
            await Assertions.Expect(paul.Locator($"[data-testid=delegate-row][data-delegate='{Paul}'] [data-testid=delegate-rights]")).ToHaveTextAsync("Responsable (tous les droits)");
            await Assertions.Expect(paul.Locator($"[data-testid=delegate-row][data-delegate='{Sophie}']")).ToHaveCountAsync(0);
            await paul.Locator("[data-testid=grant-address]").PressSequentiallyAsync("bernard");
            await Assertions.Expect(paul.Locator($"#delegation-suggestions option[value='{Sophie}']")).ToHaveCountAsync(1);
            await paul.Locator("[data-testid=grant-address]").FillAsync(Sophie);
            await paul.Locator("[data-testid=grant]").ClickAsync();
            await ExpectNoticeAsync(paul, "Accès accordé à " + Sophie);
            await Assertions.Expect(paul.Locator($"[data-testid=delegate-row][data-delegate='{Sophie}'] [data-testid=delegate-rights]"))
                .ToHaveTextAsync("lecture, indicateurs, classement, suppression, envoi pour le service");
            Assert.Equal("lrswikte p".Replace(" ", "", StringComparison.Ordinal).OrderBy(c => c), (await SophieRightsAsync()).OrderBy(c => c));

            // Sophie's open page shows the service box without a reload; she reads the message.
            await Assertions.Expect(ServiceSection(sophie)).ToBeVisibleAsync();
            await sophie.Locator($"[data-testid=folder][data-folder='{ServiceInbox}']").ClickAsync();
            await sophie.Locator("[data-testid=message-row]").Filter(new LocatorFilterOptions { HasText = subject }).ClickAsync();
            await Assertions.Expect(sophie.Locator("[data-testid=mailbox-title]")).ToHaveTextAsync(Service);

            // ... and answers for the service: From the service, Sender herself.
            await sophie.Locator("[data-testid=compose-new]").ClickAsync();
            await Assertions.Expect(sophie.Locator("[data-testid=compose-from]")).ToHaveValueAsync(Service);
            await sophie.Locator("[data-testid=compose-to]").FillAsync(Jeanne);
            await sophie.Locator("[data-testid=compose-subject]").FillAsync(reply);
            await sophie.Locator("[data-testid=compose-send]").ClickAsync();
            await ExpectNoticeAsync(sophie, "Message envoyé.", "notice", "compose-error");
            var received = Assert.Single(await fixture.WaitForAsync(Jeanne, "INBOX", reply));
            Assert.Equal(Service, received.Envelope!.From.Single().Address);
            Assert.Equal(Sophie, received.Envelope!.Sender.Single().Address);

            // The owner revokes: Sophie's open page drops the box at once, the operator refuses her.
            await paul.Locator($"[data-testid=delegate-row][data-delegate='{Sophie}'] [data-testid=revoke]").ClickAsync();
            await ExpectNoticeAsync(paul, "Accès de " + Sophie);
            await Assertions.Expect(paul.Locator($"[data-testid=delegate-row][data-delegate='{Sophie}']")).ToHaveCountAsync(0);
            await Assertions.Expect(ServiceSection(sophie)).ToHaveCountAsync(0);
            await Assertions.Expect(sophie.Locator("[data-testid=message-row]").Filter(new LocatorFilterOptions { HasText = subject })).ToHaveCountAsync(0);
            await using (var imap = await fixture.Connector.OpenImapAsync(fixture.User(Sophie)))
            {
                await Assert.ThrowsAnyAsync<MailCommandException>(() => imap.SelectAsync(ServiceInbox));
            }
            // Sending for the service is refused by the webmail too (the operator's sender map still allows it).
            await sophie.Locator("[data-testid=compose-new]").ClickAsync();
            await Assertions.Expect(sophie.Locator("[data-testid=compose-from]")).ToHaveCountAsync(0);

            // The journal, seen by the owner: every step, each under its author's national id.
            await paul.Locator("[data-testid=link-audit]").ClickAsync();
            await Assertions.Expect(paul.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync();
            await ExpectJournalRowAsync(paul, "DelegationAccordee", PaulId);
            await ExpectJournalRowAsync(paul, "Consultation", SophieId);
            await ExpectJournalRowAsync(paul, "Envoi", SophieId);
            await ExpectJournalRowAsync(paul, "DelegationRetiree", PaulId);
            var journal = await paul.Locator("[data-testid=audit-table]").InnerTextAsync();
            Assert.DoesNotContain(subject, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(reply, journal, StringComparison.Ordinal);

            // Filtered by action, then exported as CSV with the same filter.
            await paul.Locator("[data-testid=audit-action]").SelectOptionAsync("Envoi");
            await paul.Locator("[data-testid=audit-apply]").ClickAsync();
            await Assertions.Expect(paul.Locator("[data-testid=audit-row]:not([data-action=Envoi])")).ToHaveCountAsync(0);
            await ExpectJournalRowAsync(paul, "Envoi", SophieId);
            var href = await paul.Locator("[data-testid=audit-export]").GetAttributeAsync("href");
            var csv = await paulContext.APIRequest.GetAsync(href!.TrimStart('/'));
            Assert.Equal(200, csv.Status);
            Assert.StartsWith("attachment;", csv.Headers["content-disposition"], StringComparison.Ordinal);
            var lines = (await csv.TextAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("\uFEFFsequence,occurred_at_utc,author_idnat", lines[0], StringComparison.Ordinal);
            Assert.Contains(lines, l => l.Contains($",{SophieId},{Service},Envoi,true,", StringComparison.Ordinal));
            Assert.All(lines.Skip(1), l => Assert.Contains(",Envoi,", l, StringComparison.Ordinal));

            // Sophie's own journal does not show the service box she no longer administers (she never did).
            await sophie.GotoAsync("journal");
            await Assertions.Expect(sophie.Locator("[data-testid=audit-page][data-ready=true]")).ToBeVisibleAsync();
            await Assertions.Expect(sophie.Locator($"[data-testid=audit-row][data-mailbox='{Service}']")).ToHaveCountAsync(0);
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + fixture.Tail, e);
        }
        finally
        {
            // Other tests rely on the seeded delegation.
            await SetSophieAclAsync(folders, SeededRights);
        }
        Assert.Equal(SeededRights.OrderBy(c => c), (await SophieRightsAsync()).OrderBy(c => c));
    }

    private static async Task ExpectNoticeAsync(IPage page, string text, string notice = "delegation-notice", string error = "delegation-error")
    {
        var outcome = page.Locator($"[data-testid={notice}], [data-testid={error}]");
        await outcome.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30000 });
        if (await page.Locator($"[data-testid={error}]").CountAsync() > 0)
        {
            Assert.Fail("refused: " + await page.Locator($"[data-testid={error}]").InnerTextAsync());
        }
        await Assertions.Expect(page.Locator($"[data-testid={notice}]")).ToContainTextAsync(text);
    }

    private static Task ExpectJournalRowAsync(IPage page, string action, string author) =>
        Assertions.Expect(page.Locator($"[data-testid=audit-row][data-action={action}][data-author='{author}'][data-mailbox='{Service}'][data-success=true]").First).ToBeVisibleAsync();

    private async Task<IReadOnlyList<string>> ServiceFoldersAsync()
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Paul));
        var listed = await imap.ListAsync("", "shared/" + Service + "/*");
        await imap.LogoutAsync();
        Assert.Contains(listed, f => f.Name == ServiceInbox);
        return listed.Select(f => f.Name).ToList();
    }

    private async Task SetSophieAclAsync(IReadOnlyList<string> folders, string? rights)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Paul));
        foreach (var folder in folders)
        {
            if (rights is null)
            {
                await imap.DeleteAclAsync(folder, Sophie);
            }
            else
            {
                await imap.SetAclAsync(folder, Sophie, rights);
            }
        }
        await imap.LogoutAsync();
    }

    private async Task<string> SophieRightsAsync()
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Paul));
        var acl = await imap.GetAclAsync(ServiceInbox);
        await imap.LogoutAsync();
        // RFC 4314 §2.1.1: the server adds the obsolete c and d beside k/x and t/e; leave them out.
        return new string((acl.FirstOrDefault(e => e.Identifier == Sophie)?.Rights ?? "").Where(c => c is not ('c' or 'd')).ToArray());
    }

    private async Task AppendToServiceAsync(string raw)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Paul));
        await imap.AppendAsync(ServiceInbox, System.Text.Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));
        await imap.LogoutAsync();
    }
}
