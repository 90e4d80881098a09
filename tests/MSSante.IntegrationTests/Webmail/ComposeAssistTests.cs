using Microsoft.Playwright;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The compose helpers in Chromium against the real stack: files dropped onto the form,
/// a signature per mailbox kept in the preferences, recipient autocomplete from the national
/// directory and from recent correspondents.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class ComposeAssistTests(MailUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Sophie = "sophie.bernard@ch-demo.mssante.fr";
    private const string SophieId = "3990000001/SB0001";
    private const string Pneumologie = "pneumologie@ch-demo.mssante.fr";

    private static async Task ExpectSentAsync(IPage page)
    {
        var outcome = page.Locator("[data-testid=notice], [data-testid=compose-error]");
        await outcome.First.WaitForAsync(new LocatorWaitForOptions { Timeout = 30000 });
        var error = page.Locator("[data-testid=compose-error]");
        Assert.True(await error.CountAsync() == 0, "send failed: " + (await error.CountAsync() > 0 ? await error.InnerTextAsync() : ""));
        await Assertions.Expect(page.Locator("[data-testid=notice]")).ToHaveTextAsync("Message envoyé.");
    }

    /// <summary>
    /// Drops files on the message body the way a file manager does: dragenter, dragover, drop,
    /// with a DataTransfer holding them. Waits first for compose.js to have taken the form (it
    /// marks it), as a person cannot drop within the instant between the form showing and that.
    /// </summary>
    private static async Task DropFileAsync(IPage page, string name, string type, int size, string? text = null)
    {
        await page.Locator("[data-testid=compose][data-mss-compose-ready=true]").WaitForAsync();
        await page.Locator("[data-testid=compose-body]").EvaluateAsync(
            """
            (target, f) => {
              const bytes = f.text !== null ? new TextEncoder().encode(f.text) : new Uint8Array(f.size);
              const dt = new DataTransfer();
              dt.items.add(new File([bytes], f.name, { type: f.type }));
              for (const type of ["dragenter", "dragover", "drop"]) {
                target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
              }
            }
            """,
            new { name, type, size, text });
    }

    [Fact]
    public async Task A_file_dropped_on_the_form_is_attached_and_arrives_with_the_message()
    {
        var subject = MailUiFixture.Unique("Pièce déposée");
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-to]").FillAsync(Paul);
        await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
        await DropFileAsync(page, "radio-thorax.pdf", "application/pdf", 0, "%PDF-1.4\n%%EOF\n");
        await Assertions.Expect(page.Locator("[data-testid=compose-attachments]")).ToContainTextAsync("radio-thorax.pdf");
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        await ExpectSentAsync(page);

        var received = Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", subject));
        Assert.Contains(received.BodyStructure!.Descendants(), p => p.FileName == "radio-thorax.pdf");
    }

    [Fact]
    public async Task A_dropped_file_over_the_limit_is_refused_in_the_browser_with_the_french_message()
    {
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await DropFileAsync(page, "scanner.zip", "application/zip", 11 * 1024 * 1024);
        await Assertions.Expect(page.Locator("[data-testid=compose-error]"))
            .ToHaveTextAsync("La pièce jointe « scanner.zip » dépasse la taille maximale autorisée de 10 Mo par fichier.");
        Assert.Equal(0, await page.Locator("[data-testid=compose-attachments]").CountAsync());
    }

    [Fact]
    public async Task Each_mailbox_has_its_own_signature_kept_and_inserted_when_writing_from_it()
    {
        var own = "Sophie BERNARD " + Guid.NewGuid().ToString("N")[..6];
        var service = "Secrétariat de pneumologie " + Guid.NewGuid().ToString("N")[..6];
        var (context, page) = await fixture.SignInAsync(SophieId);
        await using var _ = context;
        var body = page.Locator("[data-testid=compose-body]");

        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-from]").SelectOptionAsync(Sophie);
        await page.Locator("[data-testid=signature-settings] summary").ClickAsync();
        await page.Locator("[data-testid=signature-text]").FillAsync(own + "\nSecrétaire médicale");
        await page.Locator("[data-testid=signature-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signature-status]")).ToHaveTextAsync($"Signature enregistrée pour {Sophie}.");
        await Assertions.Expect(body).ToContainTextAsync(own);

        await page.Locator("[data-testid=compose-from]").SelectOptionAsync(Pneumologie);
        await Assertions.Expect(body).Not.ToContainTextAsync(own);
        await page.Locator("[data-testid=signature-text]").FillAsync(service);
        await page.Locator("[data-testid=signature-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signature-status]")).ToHaveTextAsync($"Signature enregistrée pour {Pneumologie}.");
        await Assertions.Expect(body).ToContainTextAsync(service);
        await page.Locator("[data-testid=compose-discard]").ClickAsync();

        // Kept in the preferences: a new page (new circuit) writing from the service mailbox gets
        // the service's signature, and the own mailbox its own.
        await MailUiFixture.OpenMailAsync(page);
        await page.Locator($"[data-testid=mailbox][data-mailbox='{Pneumologie}'] [data-testid=folder][data-role=inbox]").ClickAsync();
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=compose-from]")).ToHaveValueAsync(Pneumologie);
        await Assertions.Expect(body).ToContainTextAsync(service);
        await Assertions.Expect(body).Not.ToContainTextAsync(own);
        await page.Locator("[data-testid=compose-from]").SelectOptionAsync(Sophie);
        await Assertions.Expect(body).ToContainTextAsync(own);
        await Assertions.Expect(body).Not.ToContainTextAsync(service);
        await page.Locator("[data-testid=compose-discard]").ClickAsync();
    }

    [Fact]
    public async Task A_reply_carries_the_signature_above_the_quote_to_the_recipient()
    {
        var signature = "Dr Jeanne MARTIN " + Guid.NewGuid().ToString("N")[..6];
        var subject = MailUiFixture.Unique("Signature en réponse");
        await fixture.AppendAsync(Jeanne, "INBOX", MailUiFixture.TextMessage(Paul, Jeanne, subject, "Texte d'origine à citer."));
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=signature-settings] summary").ClickAsync();
        await page.Locator("[data-testid=signature-text]").FillAsync(signature);
        await page.Locator("[data-testid=signature-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=signature-status]")).ToBeVisibleAsync();
        await page.Locator("[data-testid=compose-discard]").ClickAsync();

        await page.Locator("[data-testid=message-row]").Filter(new LocatorFilterOptions { HasText = subject }).ClickAsync();
        await page.Locator("[data-testid=reply]").ClickAsync();
        var body = page.Locator("[data-testid=compose-body] .rz-html-editor-content");
        await Assertions.Expect(body).ToContainTextAsync(signature);
        var text = await body.InnerTextAsync();
        Assert.True(text.IndexOf(signature, StringComparison.Ordinal) < text.IndexOf("Texte d'origine", StringComparison.Ordinal), "the signature goes above the quoted text:\n" + text);
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        await ExpectSentAsync(page);
        Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", "RE : " + subject));
        await PythonImap.RunAsync(fixture, Paul,
            $"c.select('INBOX'); t, d = c.uid('SEARCH', 'SUBJECT', '{subject.Split(' ')[^1]}', 'BODY', '{signature.Split(' ')[^1]}'); assert d[0].split(), 'signature missing from the message received'");
    }

    [Fact]
    public async Task Autocomplete_proposes_a_directory_entry_and_a_recent_correspondent_by_keyboard()
    {
        var surname = "QUINTAVALLE" + new string(Guid.NewGuid().ToString("N")[..4].Select(c => (char)('A' + c % 26)).ToArray());
        var address = surname.ToLowerInvariant() + "@ch-demo.mssante.fr";
        var fields = new string[31];
        Array.Fill(fields, "");
        (fields[0], fields[1], fields[2], fields[3], fields[4]) = ("PER", address, "8", "10100000001", "810100000001");
        (fields[8], fields[9], fields[10], fields[13], fields[14], fields[15], fields[16]) = ("DR", surname, "Hélène", "10", "Médecin", "SM04", "Cardiologie et maladies vasculaires");
        (fields[18], fields[28]) = ("CH Demo", "75013");
        await fixture.ImportDirectoryAsync(string.Join('|', fields));

        // A recent correspondent: someone Jeanne wrote to (in her Sent folder).
        var subject = MailUiFixture.Unique("Correspondant récent");
        await fixture.AppendAsync(Jeanne, "Sent", MailUiFixture.TextMessage(Jeanne, "\"Marc PETIT\" <marc.petit@infirmier.mssante.fr>", subject, "Soins à domicile."), "\\Seen");

        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;
        await page.Locator("[data-testid=compose-new]").ClickAsync();
        var to = page.Locator("[data-testid=compose-to]");
        await to.ClickAsync();
        await page.Keyboard.TypeAsync(surname[..8].ToLowerInvariant());
        var entry = page.Locator($"[data-testid=compose-to-suggestions] [data-testid=suggestion][data-source=annuaire][data-address='{address}']");
        try
        {
            await Assertions.Expect(entry).ToContainTextAsync("Hélène " + surname);
        }
        catch (PlaywrightException e)
        {
            var log = fixture.Output;
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + log[Math.Max(0, log.Length - 6000)..], e);
        }
        await Assertions.Expect(entry).ToContainTextAsync("Médecin");
        await Assertions.Expect(entry).ToContainTextAsync("Personnelle", new LocatorAssertionsToContainTextOptions { IgnoreCase = true });
        await Assertions.Expect(entry).ToContainTextAsync(address);
        await Assertions.Expect(to).ToHaveAttributeAsync("aria-expanded", "true");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(to).ToHaveValueAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(address) + ">, $"));
        // Entrée chose the entry: the form was not submitted.
        await Assertions.Expect(page.Locator("[data-testid=compose]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-testid=compose-error]").CountAsync());

        var cc = page.Locator("[data-testid=compose-cc]");
        await cc.ClickAsync();
        await page.Keyboard.TypeAsync("marc.pe");
        var recent = page.Locator("[data-testid=compose-cc-suggestions] [data-testid=suggestion][data-source=recent][data-address='marc.petit@infirmier.mssante.fr']");
        await Assertions.Expect(recent).ToContainTextAsync("Correspondant récent");
        // Arrows move the active option; Entrée takes the one shown active.
        var options = page.Locator("[data-testid=compose-cc-suggestions] [data-testid=suggestion]");
        var index = await options.EvaluateAllAsync<int>("(els) => els.findIndex(e => e.dataset.address === 'marc.petit@infirmier.mssante.fr')");
        for (var i = 0; i < index; i++)
        {
            await page.Keyboard.PressAsync("ArrowDown");
        }
        await Assertions.Expect(recent).ToHaveAttributeAsync("aria-selected", "true");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(cc).ToHaveValueAsync("Marc PETIT <marc.petit@infirmier.mssante.fr>, ");
        await page.Locator("[data-testid=compose-discard]").ClickAsync();
    }
}
