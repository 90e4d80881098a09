using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.Compose;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>The send service against the real submission server, without the browser.</summary>
[Collection(MailUiCollection.Name)]
public sealed class MessageSenderTests(MailUiFixture fixture)
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";
    private const string Paul = "paul.durand@ch-demo.mssante.fr";

    private MessageSender Sender => new(fixture.Connector, Options.Create(new WebmailMailOptions()), NullLogger<MessageSender>.Instance);

    [Fact]
    public async Task A_message_is_submitted_copied_to_sent_and_its_draft_removed()
    {
        var subject = MailUiFixture.Unique("Envoi direct éàü");
        var model = new ComposeModel { FromMailbox = Jeanne, To = Paul, Subject = subject, Html = "<p>Bonjour <b>cher confrère</b></p>" };
        model.Attachments.Add(new ComposeAttachment("résumé.txt", "text/plain", "contenu"u8.ToArray()));
        await Sender.SaveDraftAsync(fixture.User(Jeanne), "Dr Jeanne MARTIN", model, "Drafts");
        Assert.NotNull(model.DraftUid);
        Assert.Single(await fixture.FindAsync(Jeanne, "Drafts", subject));

        var outcome = await Sender.SendAsync(fixture.User(Jeanne), "Dr Jeanne MARTIN", model, "Sent");
        Assert.True(outcome.Sent, outcome.Error);
        Assert.Null(outcome.Error);
        var received = Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", subject));
        Assert.Equal(subject, MessageSummaryDecode(received.Envelope!.Subject));
        Assert.Single(await fixture.FindAsync(Jeanne, "Sent", subject));
        Assert.Empty(await fixture.FindAsync(Jeanne, "Drafts", subject));
    }

    [Fact]
    public async Task A_recipient_outside_the_trust_space_is_refused_with_the_servers_reason_in_french()
    {
        var model = new ComposeModel { FromMailbox = Jeanne, To = "someone@gmail.com", Subject = "Test", Html = "<p>x</p>" };
        var outcome = await Sender.SendAsync(fixture.User(Jeanne), "Dr Jeanne MARTIN", model, "Sent");
        Assert.False(outcome.Sent);
        Assert.Contains("Le serveur a refusé les destinataires : someone@gmail.com", outcome.Error, StringComparison.Ordinal);
        Assert.False(outcome.CanRetry);
    }

    private static string MessageSummaryDecode(string? text) => MSSante.Mime.EncodedWords.Decode(text ?? "");
}
