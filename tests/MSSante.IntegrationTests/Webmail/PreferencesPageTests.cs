using Microsoft.Playwright;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The preferences page in Chromium: reached from the app shell, it keeps the read receipt
/// choice (which left the absence page) and a signature per mailbox, the one compose uses.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class PreferencesPageTests(MailUiFixture fixture)
{
    private const string Sophie = "sophie.bernard@ch-demo.mssante.fr";
    private const string SophieId = "3990000001/SB0001";
    private const string Pneumologie = "pneumologie@ch-demo.mssante.fr";

    [Fact]
    public async Task The_receipt_choice_and_the_signatures_are_set_on_the_preferences_page_and_kept()
    {
        var serviceSignature = "Secrétariat de pneumologie " + Guid.NewGuid().ToString("N")[..6];
        var (context, page) = await fixture.SignInAsync(SophieId);
        await using var _ = context;
        var editor = page.Locator($"[data-testid=signature-editor][data-mailbox='{Pneumologie}']");
        try
        {
            // Pages rendered only in their circuit still name the browser tab.
            await Assertions.Expect(page).ToHaveTitleAsync("Boîte de réception · Messagerie MSSanté");
            await page.Locator("[data-testid=link-preferences]").ClickAsync();
            await page.Locator("[data-testid=preferences-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(page).ToHaveTitleAsync("Préférences · Messagerie MSSanté");
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-ask]")).ToBeCheckedAsync();
            await page.Locator("[data-testid=receipt-policy-never]").CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-notice]")).ToHaveTextAsync("Choix des accusés de lecture enregistré.");

            // Every mailbox of the person has its signature field: her own and the service's.
            await Assertions.Expect(page.Locator($"[data-testid=signature-editor][data-mailbox='{Sophie}']")).ToBeVisibleAsync();
            await editor.Locator("[data-testid=preferences-signature-text]").FillAsync(serviceSignature + "\nCH Démo");
            await editor.Locator("[data-testid=preferences-signature-save]").ClickAsync();
            await Assertions.Expect(editor.Locator("[data-testid=preferences-signature-status]")).ToHaveTextAsync($"Signature enregistrée pour {Pneumologie}.");

            // Stored, not just shown: a new page reads both back.
            await page.ReloadAsync();
            await page.Locator("[data-testid=preferences-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-never]")).ToBeCheckedAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-ask]")).Not.ToBeCheckedAsync();
            await Assertions.Expect(editor.Locator("[data-testid=preferences-signature-text]")).ToHaveValueAsync(serviceSignature + "\nCH Démo");

            // The absence page no longer carries the receipt choice.
            await page.GotoAsync("absence");
            await page.Locator("[data-testid=absence-page][data-ready=true]").WaitForAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy]")).ToHaveCountAsync(0);
            await Assertions.Expect(page.Locator("[data-testid=absence-page] a[href=preferences]")).ToBeVisibleAsync();

            // Compose writes from the service mailbox with the signature set here.
            await MailUiFixture.OpenMailAsync(page);
            await page.Locator("[data-testid=compose-new]").ClickAsync();
            await page.Locator("[data-testid=compose-from]").SelectOptionAsync(Pneumologie);
            await Assertions.Expect(page.Locator("[data-testid=compose-body] .rz-html-editor-content")).ToContainTextAsync(serviceSignature);
            await page.Locator("[data-testid=compose-discard]").ClickAsync();
        }
        finally
        {
            // Back to the defaults other tests expect: "ask", and the service signature they set themselves.
            await page.GotoAsync("preferences");
            await page.Locator("[data-testid=preferences-page][data-ready=true]").WaitForAsync();
            await page.Locator("[data-testid=receipt-policy-ask]").CheckAsync();
            await Assertions.Expect(page.Locator("[data-testid=receipt-policy-notice]")).ToHaveTextAsync("Choix des accusés de lecture enregistré.");
            await editor.Locator("[data-testid=preferences-signature-text]").FillAsync("");
            await editor.Locator("[data-testid=preferences-signature-save]").ClickAsync();
            await Assertions.Expect(editor.Locator("[data-testid=preferences-signature-status]")).ToHaveTextAsync($"Signature supprimée pour {Pneumologie}.");
        }
    }
}
