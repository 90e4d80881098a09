using System.Text;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Mail;

/// <summary>Dovecot passes encoded words through in ENVELOPE; our client decodes them.</summary>
public sealed class ImapEnvelopeDecodingTests
{
    private const string User = "marc.petit@infirmier.mssante.fr";

    [Fact]
    public async Task Encoded_subject_and_display_names_come_back_decoded_from_dovecot()
    {
        var stack = MailStack.Get();
        var client = await stack.ImapAsync(User);
        var folder = "Tests-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await client.CreateMailboxAsync(folder);
            // Headers as older and foreign clients write them: ISO-8859-1 Q, UTF-8 B split inside
            // a character over two adjacent words, windows-1252 with the euro sign, a malformed word.
            var message = Encoding.ASCII.GetBytes(
                "From: =?ISO-8859-1?Q?Dr_H=E9l=E8ne_Faure?= <helene.faure@medecin.mssante.fr>\r\n" +
                "Sender: =?windows-1252?Q?Secr=E9tariat_=80_=96_CH?= <secretariat@ch-demo.mssante.fr>\r\n" +
                "Reply-To: =?UTF-8?B?U2VydmljZSBkZSBwbmV1bW9sb2dpZQ==?= <pneumologie@ch-demo.mssante.fr>\r\n" +
                "To: =?UTF-8?B?Q29uc8U=?=\r\n =?UTF-8?B?k3VyIE1hcnRpbg==?= <" + User + ">\r\n" +
                "Cc: =?utf-8?q?Fran=C3=A7ois?= <francois@medecin.mssante.fr>, =?utf-8?X?pas_un_mot?= <x@medecin.mssante.fr>\r\n" +
                "Subject: =?ISO-8859-1?Q?Compte_rendu_op=E9ratoire?=\r\n =?UTF-8?Q?_=E2=80=93_r=C3=A9f_42?=\r\n" +
                "Date: Tue, 01 Apr 2025 10:00:00 +0200\r\n" +
                "Message-ID: <" + Guid.NewGuid().ToString("N") + "@medecin.mssante.fr>\r\n" +
                "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\nCorps.\r\n");
            var appended = await client.AppendAsync(folder, message);
            Assert.NotNull(appended);
            await client.SelectAsync(folder, readOnly: true);
            var fetched = Assert.Single(await client.FetchAsync(UidSet.Of(appended.DestinationUids[0]), ImapFetchItems.Envelope));
            var envelope = fetched.Envelope!;

            Assert.Equal("Compte rendu opératoire – réf 42", envelope.Subject);
            Assert.StartsWith("=?ISO-8859-1?Q?Compte_rendu_op=E9ratoire?=", envelope.RawSubject, StringComparison.Ordinal);
            Assert.Equal("Dr Hélène Faure", envelope.From.Single().Name);
            Assert.Equal("helene.faure@medecin.mssante.fr", envelope.From.Single().Address);
            Assert.Equal("Secrétariat € – CH", envelope.Sender.Single().Name);
            Assert.Equal("Service de pneumologie", envelope.ReplyTo.Single().Name);
            Assert.Equal("Consœur Martin", envelope.To.Single().Name);
            Assert.Equal(["François", "=?utf-8?X?pas_un_mot?="], envelope.Cc.Select(a => a.Name));
        }
        finally
        {
            await client.UnselectAsync().ContinueWith(_ => { }, TaskScheduler.Default);
            await client.DeleteMailboxAsync(folder);
            await client.DisposeAsync();
        }
    }
}
