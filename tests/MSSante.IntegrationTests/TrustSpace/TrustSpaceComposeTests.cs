using Microsoft.Playwright;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;
using MSSante.IntegrationTests.Webmail;
using MSSante.Webmail.Mail;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// Mail leaves only inside the MSSanté trust space: the webmail explains a refusal before
/// sending, and the operator's Postfix refuses the same address (5.7.1) when the webmail's check
/// is not there to stop it.
/// </summary>
[Collection(TrustSpaceUiCollection.Name)]
public sealed class TrustSpaceComposeTests(TrustSpaceUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string JeanneId = "899700100015";

    [Fact]
    public async Task Compose_to_gmail_is_blocked_with_the_french_reason_and_a_directory_match_and_nothing_leaves()
    {
        var subject = MailUiFixture.Unique("Hors espace de confiance");
        var (context, page) = await fixture.SignInAsync(JeanneId);
        await using var _ = context;

        await page.Locator("[data-testid=compose-new]").ClickAsync();
        await page.Locator("[data-testid=compose-to]").FillAsync("someone@gmail.com");
        // Bcc is checked too: a practitioner's name at a webmail provider finds them in the directory.
        await page.Locator("[data-testid=compose-bcc]").FillAsync("paul.durand@gmail.com");
        await page.Locator("[data-testid=compose-subject]").FillAsync(subject);
        await page.Locator("[data-testid=compose-send]").ClickAsync();

        var error = page.Locator("[data-testid=compose-error]");
        try
        {
            await Assertions.Expect(error).ToBeVisibleAsync();
        }
        catch (PlaywrightException e)
        {
            throw new InvalidOperationException(e.Message + "\n--- webmail log ---\n" + fixture.Tail, e);
        }
        var text = await error.InnerTextAsync();
        Assert.Contains("Envoi bloqué", text, StringComparison.Ordinal);
        Assert.Contains("L'adresse someone@gmail.com ne peut pas recevoir ce message.", text, StringComparison.Ordinal);
        Assert.Contains("Le domaine gmail.com n'appartient pas à l'espace de confiance MSSanté", text, StringComparison.Ordinal);
        Assert.Contains("L'adresse paul.durand@gmail.com ne peut pas recevoir ce message.", text, StringComparison.Ordinal);
        Assert.Contains("Vouliez-vous écrire à", text, StringComparison.Ordinal);
        Assert.Contains("<paul.durand@ch-demo.mssante.fr>", text, StringComparison.Ordinal);
        // Nobody is suggested for a name the directory does not know: one suggestion only.
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "Vouliez-vous écrire à"));
        // The form is kept for correction, and nothing reached the Sent folder.
        await Assertions.Expect(page.Locator("[data-testid=compose-subject]")).ToHaveValueAsync(subject);
        Assert.Empty(await fixture.WaitForAsync(Jeanne, "Sent", subject, seconds: 0));

        // A corrected recipient inside the trust space goes.
        await page.Locator("[data-testid=compose-to]").FillAsync("paul.durand@ch-demo.mssante.fr");
        await page.Locator("[data-testid=compose-bcc]").FillAsync("");
        await page.Locator("[data-testid=compose-send]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=notice]")).ToHaveTextAsync("Message envoyé.");
        Assert.Single(await fixture.WaitForAsync("paul.durand@ch-demo.mssante.fr", "INBOX", subject));
    }

    [Fact]
    public async Task Postfix_refuses_the_same_address_with_5_7_1_when_the_webmail_check_is_bypassed()
    {
        await using var smtp = await fixture.Connector.OpenSmtpAsync(fixture.User(Jeanne));
        var message = System.Text.Encoding.UTF8.GetBytes(MailUiFixture.TextMessage(Jeanne, "someone@gmail.com", "Contournement", "x").ReplaceLineEndings("\r\n"));
        var refused = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() =>
            smtp.SendAsync(new SmtpEnvelope { From = Jeanne, Recipients = [new SmtpRecipient("someone@gmail.com")] }, message));
        var reply = Assert.Single(refused.Recipients).Reply;
        Assert.Equal(554, reply.Code);
        Assert.Equal("5.7.1", reply.EnhancedCode);
        Assert.Contains("espace de confiance", reply.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_webmail_check_the_servers_5_7_1_refusal_still_reads_in_french()
    {
        // The send service as it was before the check (no guard): what a user would read if the
        // stored whitelist ever let through a domain the operator refuses.
        var sender = new MessageSender(fixture.Connector,
            Microsoft.Extensions.Options.Options.Create(new WebmailMailOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<MessageSender>.Instance);
        var model = new MSSante.Webmail.Mail.Compose.ComposeModel { FromMailbox = Jeanne, To = "someone@gmail.com", Subject = "Test", Html = "<p>x</p>" };
        var outcome = await sender.SendAsync(fixture.User(Jeanne), "Dr Jeanne MARTIN", model, "Sent");
        Assert.False(outcome.Sent);
        Assert.Contains("Le serveur a refusé les destinataires : someone@gmail.com", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("espace de confiance MSSanté", outcome.Error, StringComparison.Ordinal);
    }
}
