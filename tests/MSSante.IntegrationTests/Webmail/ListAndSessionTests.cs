using System.Diagnostics;
using Microsoft.Playwright;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The list and the session in Chromium against the real stack: conversations (IMAP THREAD),
/// the phone layout, surviving a dropped IMAP connection, and sending for a service mailbox.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class ListAndSessionTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Marc = "marc.petit@infirmier.mssante.fr";
    private const string MarcId = "899700100049";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";
    private const string ClaireId = "899700100031";
    private const string Sophie = "sophie.bernard@ch-demo.mssante.fr";
    private const string SophieId = "3990000001/SB0001";
    private const string Pneumologie = "pneumologie@ch-demo.mssante.fr";

    private static async Task<int> IndexOfRowAsync(IPage page, string subject) =>
        await page.Locator("[data-testid=message-row]").EvaluateAllAsync<int>(
            "(rows, s) => rows.findIndex(r => r.querySelector('[data-testid=subject]').textContent.trim() === s)", subject);

    [Fact]
    public async Task The_conversation_view_groups_a_reply_under_its_original()
    {
        var subject = MailUiFixture.Unique("Suivi du patient");
        var other = MailUiFixture.Unique("Autre sujet");
        // A minute apart: the flat order by date must not depend on the second each one lands in
        // (the server's SORT breaks ties by arrival, so a tie across a second boundary moves them).
        var now = DateTimeOffset.Now;
        var original = MailUiFixture.TextMessage(Paul, Claire, subject, "Premier message.", date: now.AddMinutes(-2));
        var originalId = System.Text.RegularExpressions.Regex.Match(original, "Message-ID: <([^>]+)>").Groups[1].Value;
        await fixture.AppendAsync(Claire, "INBOX", original);
        await fixture.AppendAsync(Claire, "INBOX", MailUiFixture.TextMessage(Marc, Claire, other, "Sans rapport.", date: now.AddMinutes(-1)));
        await fixture.AppendAsync(Claire, "INBOX", MailUiFixture.TextMessage(Paul, Claire, "RE : " + subject, "La réponse.",
            $"In-Reply-To: <{originalId}>\nReferences: <{originalId}>\n", now));

        var (context, page) = await fixture.SignInAsync(ClaireId);
        await using var _ = context;
        await Assertions.Expect(MailUiFixture.Row(page, "RE : " + subject)).ToBeVisibleAsync();
        Assert.Equal("0", await MailUiFixture.Row(page, "RE : " + subject).GetAttributeAsync("data-thread-depth"));
        await Assertions.Expect(MailUiFixture.Row(page, other)).ToBeVisibleAsync();
        await Assertions.Expect(MailUiFixture.Row(page, subject).First).ToBeVisibleAsync();
        var flat = await page.Locator("[data-testid=message-row] [data-testid=subject]").AllTextContentsAsync();
        // Flat: by date, so the unrelated message sits between the two.
        var (o, u, r) = (await IndexOfRowAsync(page, subject), await IndexOfRowAsync(page, other), await IndexOfRowAsync(page, "RE : " + subject));
        Assert.True(o >= 0 && r >= 0 && Math.Min(o, r) < u && u < Math.Max(o, r), "flat order: " + string.Join(" | ", flat.Take(6)));

        await page.Locator("[data-testid=thread-toggle]").CheckAsync();
        await Assertions.Expect(MailUiFixture.Row(page, "RE : " + subject)).ToHaveAttributeAsync("data-thread-depth", "1");
        // Both indexes from one look at the list (it may re-render between two looks while the
        // session reads the folder's flags in the background), until the reply sits under its original.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        int[] pair;
        while (true)
        {
            pair = await page.Locator("[data-testid=message-row]").EvaluateAllAsync<int[]>(
                "(rows, s) => { const i = t => rows.findIndex(r => r.querySelector('[data-testid=subject]').textContent.trim() === t); return [i(s), i('RE : ' + s)]; }", subject);
            if ((pair[0] >= 0 && pair[1] == pair[0] + 1) || DateTime.UtcNow > deadline)
            {
                break;
            }
            await Task.Delay(200);
        }
        Assert.True(pair[0] >= 0 && pair[1] == pair[0] + 1, $"conversation order: original at {pair[0]}, reply at {pair[1]}");
        Assert.Equal("0", await MailUiFixture.Row(page, subject).First.GetAttributeAsync("data-thread-depth"));
        Assert.Equal("0", await MailUiFixture.Row(page, other).GetAttributeAsync("data-thread-depth"));

        await page.Locator("[data-testid=thread-toggle]").UncheckAsync();
        await Assertions.Expect(MailUiFixture.Row(page, "RE : " + subject)).ToHaveAttributeAsync("data-thread-depth", "0");
    }

    [Fact]
    public async Task A_folder_is_created_filled_renamed_while_open_and_deleted_from_the_folder_pane()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var created = "Consultations-" + suffix;
        var renamed = "Cardiologie-" + suffix;
        var subject = MailUiFixture.Unique("Compte rendu classé");
        var (context, page) = await fixture.SignInAsync(ClaireId);
        await using var _ = context;
        var mailbox = page.Locator($"[data-testid=mailbox][data-mailbox='{Claire}']");
        await mailbox.Locator("summary").ClickAsync();
        await mailbox.Locator("[data-testid=new-folder-name]").FillAsync(created);
        await mailbox.Locator("[data-testid=create-folder]").ClickAsync();
        var folder = page.Locator($"[data-testid=folder][data-folder='{created}']");
        await Assertions.Expect(folder).ToBeVisibleAsync();
        await fixture.AppendAsync(Claire, created, MailUiFixture.TextMessage(Paul, Claire, subject, "Classé."));

        await folder.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=folder-title]")).ToHaveTextAsync(created);
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToBeVisibleAsync();

        // Renamed while open: it stays open, under its new name, with its mail.
        await mailbox.Locator("[data-testid=rename-folder-name]").FillAsync(renamed);
        await mailbox.Locator("[data-testid=rename-folder]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=folder-title]")).ToHaveTextAsync(renamed);
        await Assertions.Expect(page.Locator($"[data-testid=folder][data-folder='{renamed}']")).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(folder).ToHaveCountAsync(0);
        await Assertions.Expect(MailUiFixture.Row(page, subject)).ToBeVisibleAsync();

        // Deleted while open, after saying what goes with it: gone, and the inbox opens.
        await mailbox.Locator("[data-testid=delete-folder]").ClickAsync();
        var question = mailbox.Locator("[data-testid=delete-folder-question]");
        await Assertions.Expect(question).ToContainTextAsync($"Supprimer définitivement « {renamed} » et le message qu'il contient ?");
        await question.Locator("[data-testid=delete-folder-cancel]").ClickAsync();
        await Assertions.Expect(question).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator($"[data-testid=folder][data-folder='{renamed}']")).ToBeVisibleAsync();
        await mailbox.Locator("[data-testid=delete-folder]").ClickAsync();
        await question.Locator("[data-testid=delete-folder-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator($"[data-testid=folder][data-folder='{renamed}']")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=folder-title]")).ToHaveTextAsync("Boîte de réception");

        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Claire));
        var names = (await imap.ListAsync()).Select(f => f.Name).ToList();
        await imap.LogoutAsync();
        Assert.DoesNotContain(created, names);
        Assert.DoesNotContain(renamed, names);
    }

    [Fact]
    public async Task On_a_phone_the_folders_collapse_and_list_then_message_are_usable_without_horizontal_scroll()
    {
        var subject = MailUiFixture.Unique("Lecture sur téléphone");
        await fixture.AppendAsync(Claire, "INBOX", MailUiFixture.TextMessage(Paul, Claire, subject, "Un texte assez long pour occuper plusieurs lignes sur un petit écran de téléphone portable."));
        var (context, page) = await fixture.SignInAsync(ClaireId);
        await using var _ = context;
        await page.SetViewportSizeAsync(390, 844);
        async Task NoHorizontalScrollAsync(string when)
        {
            var sizes = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            var (scroll, width) = (sizes[0], sizes[1]);
            Assert.True(scroll <= width, $"{when}: the page scrolls sideways ({scroll} px wide for a {width} px screen)");
        }

        // The header's links, identity and sign-out button each keep their own room.
        var overlaps = await page.EvaluateAsync<string[]>(@"() => {
            const parts = [...document.querySelectorAll('.mss-header-links a, .mss-identity, .mss-brand-mark')];
            const boxes = parts.map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()]);
            const found = [];
            for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
                const [a, r] = boxes[i], [b, q] = boxes[j];
                if (r.left < q.right - 1 && q.left < r.right - 1 && r.top < q.bottom - 1 && q.top < r.bottom - 1) found.push(a + ' / ' + b);
            }
            return found;
        }");
        Assert.True(overlaps.Length == 0, "header parts overlap on a phone: " + string.Join("; ", overlaps));

        var toggle = page.Locator(".mss-folders-toggle");
        var folders = page.Locator("nav#dossiers");
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await Assertions.Expect(folders).ToBeHiddenAsync();
        await NoHorizontalScrollAsync("list");

        await toggle.ClickAsync();
        await Assertions.Expect(folders).ToBeVisibleAsync();
        await folders.Locator("[data-testid=folder][data-role=inbox]").First.ClickAsync();
        await Assertions.Expect(folders).ToBeHiddenAsync();

        await MailUiFixture.OpenRowAsync(page, subject);
        var reading = page.Locator("section.mail-reading");
        await reading.ScrollIntoViewIfNeededAsync();
        await Assertions.Expect(reading).ToContainTextAsync(subject);
        await Assertions.Expect(page.Locator("[data-testid=reply]")).ToBeVisibleAsync();
        await NoHorizontalScrollAsync("message open");
    }

    [Fact]
    public async Task After_the_imap_connection_is_kicked_the_page_reconnects_resynchronises_and_keeps_the_draft()
    {
        var before = MailUiFixture.Unique("Avant coupure");
        var after = MailUiFixture.Unique("Après coupure");
        var draftSubject = MailUiFixture.Unique("Brouillon pendant la coupure");
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, before, "Avant."));
        var (context, page) = await fixture.SignInAsync(MarcId);
        await using var _ = context;
        await Assertions.Expect(MailUiFixture.Row(page, before)).ToBeVisibleAsync();
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
        await page.Locator("[data-testid=compose-subject]").FillAsync(draftSubject);

        // Dovecot drops every IMAP connection of the user, as a server restart or a network cut would.
        await DoveadmAsync("kick", Marc);
        // New mail while the page reconnects must show up once it has resynchronised.
        await fixture.AppendAsync(Marc, "INBOX", MailUiFixture.TextMessage(Paul, Marc, after, "Après."));

        await Assertions.Expect(MailUiFixture.Row(page, after)).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 60000 });
        await Assertions.Expect(MailUiFixture.Row(page, before)).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=offline]")).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 60000 });
        // The form kept what was typed, and the draft reaches the server after the cut.
        await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync(draftSubject);
        await page.Locator("[data-testid=compose-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=draft-status]")).ToContainTextAsync("Brouillon enregistré", new LocatorAssertionsToContainTextOptions { Timeout = 30000 });
        Assert.Single(await fixture.FindAsync(Marc, "Drafts", draftSubject));
        await page.Locator("[data-testid=compose-discard]").ClickAsync();
    }

    [Fact]
    public async Task A_delegate_sends_for_the_service_mailbox_with_herself_as_sender()
    {
        var subject = MailUiFixture.Unique("Convocation du service");
        var (context, page) = await fixture.SignInAsync(SophieId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-from]").SelectOptionAsync(Pneumologie);
        await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
        await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
        await page.Locator("[data-testid=compose-body] .rz-html-editor-content").ClickAsync();
        await page.Keyboard.TypeAsync("Le patient est convoqué le 12 à 9 h.");
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        var error = page.Locator("[data-testid=compose-error]");
        await page.Locator("[data-testid=notice], [data-testid=compose-error]").First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30000 });
        Assert.True(await error.CountAsync() == 0, "send failed: " + (await error.CountAsync() > 0 ? await error.InnerTextAsync() : ""));

        // Postfix's sender-login check let the delegate use the service address.
        var received = Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", subject));
        Assert.Equal(Pneumologie, Assert.Single(received.Envelope!.From).Address);
        Assert.Equal(Sophie, Assert.Single(received.Envelope.Sender).Address);
        Assert.Single(await fixture.FindAsync(Pneumologie, "Sent", subject));
    }

    [Fact]
    public async Task Someone_who_is_not_a_delegate_cannot_send_for_the_service_mailbox()
    {
        var sender = new MessageSender(fixture.Connector, Options.Create(new WebmailMailOptions()), NullLogger<MessageSender>.Instance);
        var subject = MailUiFixture.Unique("Usurpation");
        var model = new ComposeModel { FromMailbox = Pneumologie, To = Paul, Subject = subject, Html = "<p>x</p>" };
        var outcome = await sender.SendAsync(fixture.User(Marc), "Marc PETIT", model, null);
        Assert.False(outcome.Sent);
        Assert.StartsWith($"Vous n'êtes pas autorisé(e) à envoyer au nom de {Pneumologie} : seules les personnes déléguées pour cette boîte aux lettres peuvent le faire (motif du serveur : ", outcome.Error, StringComparison.Ordinal);
        // The refusal is Postfix's sender-login check, not a client-side guess.
        Assert.Contains("not owned by user", outcome.Error, StringComparison.Ordinal);
        Assert.False(outcome.CanRetry);
        Assert.Empty(await fixture.WaitForAsync(Paul, "INBOX", subject, seconds: 3));
    }

    private async Task DoveadmAsync(params string[] args)
    {
        var start = new ProcessStartInfo("doveadm", ["-c", fixture.Stack.PathOf("dovecotConfig"), .. args]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"doveadm {string.Join(' ', args)} failed: {error}");
    }
}
