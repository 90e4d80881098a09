using System.Text;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;

namespace MSSante.IntegrationTests.Mail;

/// <summary>Submission through the stack's real Postfix: per-recipient results, SIZE, DSN, 8BITMIME/SMTPUTF8.</summary>
public sealed class SmtpSubmissionTests
{
    private const string Sender = "jeanne.martin@medecin.mssante.fr";
    private const string Colleague = "paul.durand@ch-demo.mssante.fr";

    [Fact]
    public async Task One_recipient_accepted_one_refused_by_the_trust_space_then_delivered_intact()
    {
        var stack = MailStack.Get();
        var log = new MemoryProtocolLog();
        var smtp = await stack.SubmissionAsync(Sender, log: log);
        Assert.True(smtp.IsEncrypted);
        Assert.True(smtp.Supports("DSN"));
        Assert.True(smtp.Supports("8BITMIME"));
        var id = Guid.NewGuid().ToString("N");
        var body = "Chère consœur, voici le compte rendu : créatinine 95 µmol/L.\r\n.\r\nLigne après un point seul.\r\n";
        var message = Encoding.UTF8.GetBytes(
            $"From: <{Sender}>\r\nTo: <{Colleague}>, <quelquun@gmail.com>\r\nSubject: Compte rendu été {id[..6]}\r\nMessage-ID: <{id}@medecin.mssante.fr>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}");
        var result = await smtp.SendAsync(new SmtpEnvelope
        {
            From = Sender,
            Recipients =
            [
                new SmtpRecipient(Colleague, SmtpNotify.Failure | SmtpNotify.Delay, Colleague),
                new SmtpRecipient("quelquun@gmail.com"),
            ],
            Return = SmtpDsnReturn.Headers,
            EnvelopeId = "env-" + id[..8],
        }, message);
        await smtp.QuitAsync();

        Assert.Equal(Colleague, Assert.Single(result.Accepted).Address);
        var refused = Assert.Single(result.Refused);
        Assert.Equal("quelquun@gmail.com", refused.Address);
        Assert.Equal("5.7.1", refused.Reply.EnhancedCode);
        Assert.Contains("espace de confiance", refused.Reply.Text, StringComparison.Ordinal);
        var text = log.ToString();
        Assert.Contains("BODY=8BITMIME", text, StringComparison.Ordinal);
        Assert.Contains("RET=HDRS ENVID=env-", text, StringComparison.Ordinal);
        Assert.DoesNotContain("créatinine", text, StringComparison.Ordinal);

        // delivered byte for byte (dot-stuffing undone by the server, 8-bit intact)
        var imap = await stack.ImapAsync(Colleague);
        await imap.SelectAsync("INBOX");
        uint[] uids = [];
        for (var i = 0; i < 100 && uids.Length == 0; i++)
        {
            uids = [.. await imap.SearchAsync(ImapSearchQuery.Header("Message-ID", id))];
            if (uids.Length == 0)
            {
                await Task.Delay(100);
            }
        }
        var delivered = Assert.Single(await imap.FetchAsync(UidSet.Of(Assert.Single(uids)), ImapFetchItems.None, [new ImapBodySection("TEXT")]));
        Assert.Equal(body, Encoding.UTF8.GetString(delivered.Sections["TEXT"]));
        await imap.LogoutAsync();
    }

    [Fact]
    public async Task A_message_above_the_size_limit_is_refused_before_it_is_sent()
    {
        var stack = MailStack.Get();
        var log = new MemoryProtocolLog();
        var smtp = await stack.SubmissionAsync(Sender, implicitTls: true, log: log);
        var limit = smtp.MaxMessageSize!.Value;
        var ex = await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() => smtp.SendAsync(
            new SmtpEnvelope { From = Sender, Recipients = [new SmtpRecipient(Colleague)] }, new byte[limit + 1]));
        Assert.Equal(limit, ex.Limit);
        Assert.DoesNotContain("MAIL FROM", log.ToString(), StringComparison.Ordinal);
        await smtp.NoopAsync(); // the connection is still usable
        await smtp.QuitAsync();
    }

    [Fact]
    public async Task Every_recipient_refused_is_a_command_error_listing_each()
    {
        var stack = MailStack.Get();
        var smtp = await stack.SubmissionAsync(Sender);
        var ex = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => smtp.SendAsync(
            new SmtpEnvelope { From = Sender, Recipients = [new SmtpRecipient("a@gmail.com"), new SmtpRecipient("b@yahoo.fr")] }, "Subject: x\r\n\r\nx\r\n"u8.ToArray()));
        Assert.All(ex.Recipients, r => Assert.Equal("5.7.1", r.Reply.EnhancedCode));
        await smtp.NoopAsync();
        await smtp.QuitAsync();
    }
}
