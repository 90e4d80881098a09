using System.Text;
using MSSante.IntegrationTests.Webmail;
using MSSante.Mail.Smtp;
using MSSante.Webmail.Mail.TrustSpace;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// Postfix itself, not only the webmail, decides who may send as a service mailbox, from the
/// mailbox's IMAP ACL at the moment of sending (deploy/lib/sender_acl.py answers
/// smtpd_sender_login_maps): a delegation granted by IMAP SETACL lets the person send for the
/// service straight through submission, and its revocation refuses the very next message.
/// </summary>
[Collection(MailUiCollection.Name)]
public sealed class OperatorSenderCheckTests(MailUiFixture fixture)
{
    private const string Paul = "paul.durand@ch-demo.mssante.fr";
    private const string Claire = "claire.leroy@pharmacien.mssante.fr";
    private const string Pneumologie = "pneumologie@ch-demo.mssante.fr";

    [Fact]
    public async Task A_revoked_delegate_is_refused_by_Postfix_at_the_next_message()
    {
        var inbox = DelegationService.InboxOf(Pneumologie);
        try
        {
            // Not a delegate: Postfix refuses the service address.
            var before = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => SendAsServiceAsync(MailUiFixture.Unique("Avant delegation")));
            Assert.Contains("not owned by user " + Claire, before.Message, StringComparison.Ordinal);

            // The owner grants lookup, read and post: the next message goes through.
            await ChangeAclAsync(imap => imap.SetAclAsync(inbox, Claire, "lrp"));
            var granted = MailUiFixture.Unique("Pendant la delegation");
            await SendAsServiceAsync(granted);
            var received = Assert.Single(await fixture.WaitForAsync(Paul, "INBOX", granted));
            Assert.Equal(Pneumologie, Assert.Single(received.Envelope!.From).Address);

            // Revoked: refused again, with no restart or map rebuild in between.
            await ChangeAclAsync(imap => imap.DeleteAclAsync(inbox, Claire));
            var revoked = MailUiFixture.Unique("Apres revocation");
            var after = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => SendAsServiceAsync(revoked));
            Assert.Contains("not owned by user " + Claire, after.Message, StringComparison.Ordinal);
            Assert.Empty(await fixture.WaitForAsync(Paul, "INBOX", revoked, seconds: 3));
        }
        finally
        {
            try
            {
                await ChangeAclAsync(imap => imap.DeleteAclAsync(inbox, Claire));
            }
            catch (MSSante.Mail.MailCommandException)
            {
                // Already gone.
            }
        }
    }

    private async Task ChangeAclAsync(Func<MSSante.Mail.Imap.ImapClient, Task> change)
    {
        await using var imap = await fixture.Connector.OpenImapAsync(fixture.User(Paul));
        await change(imap);
        await imap.LogoutAsync();
    }

    private async Task SendAsServiceAsync(string subject)
    {
        var message = $"From: Pneumologie <{Pneumologie}>\r\nSender: Claire LEROY <{Claire}>\r\nTo: <{Paul}>\r\n" +
                      $"Subject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@webmail.mssante.fr>\r\nDate: {DateTimeOffset.UtcNow:r}\r\n" +
                      "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nRendez-vous confirmé.\r\n";
        await using var smtp = await fixture.Connector.OpenSmtpAsync(fixture.User(Claire));
        await smtp.SendAsync(new SmtpEnvelope { From = Pneumologie, Recipients = [new SmtpRecipient(Paul)] }, Encoding.UTF8.GetBytes(message));
        await smtp.QuitAsync();
    }
}
