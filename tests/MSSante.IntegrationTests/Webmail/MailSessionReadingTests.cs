using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using MSSante.Domain.Audit;
using MSSante.IntegrationTests.Mail;
using MSSante.IntegrationTests.Support;
using MSSante.Mail.Imap;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.TrustSpace;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// Opening a message through the circuit's <see cref="MailSession"/> against the real Dovecot: the
/// page shows the message before the consultation's audit entry is written, so what must still hold
/// is checked here: the entry is written (author, mailbox, UID, Message-ID, the server's answer),
/// \Seen is on the server for any other client, and the row the list holds says so without being
/// fetched again. The whole journey through the browser and the real trail is
/// MailAuditJourneyTests; this one looks at the session's own contract.
/// </summary>
public sealed class MailSessionReadingTests
{
    private const string User = "marc.petit@infirmier.mssante.fr";


    [Fact]
    public async Task Opening_an_unread_message_sets_seen_on_the_server_and_writes_its_consultation_entry()
    {
        var stack = MailStack.Get();
        var folder = "Lecture-" + Guid.NewGuid().ToString("N")[..8];
        var messageId = Guid.NewGuid().ToString("N") + "@labo.ch-demo.mssante.fr";
        var other = await stack.ImapAsync(User);
        await other.CreateMailboxAsync(folder);
        var trail = new RecordingAuditTrail();
        var audit = new MailAudit(trail, NullLogger<MailAudit>.Instance);
        await using var session = new MailSession(MailSessionSyncTests.Connector(), NullLogger<MailSession>.Instance, audit);
        try
        {
            var raw = Encoding.UTF8.GetBytes(
                $"From: labo@ch-demo.mssante.fr\r\nTo: <{User}>\r\nSubject: Bilan sanguin\r\nDate: 03 Mar 2025 10:00:00 +0100\r\n"
                + $"Message-ID: <{messageId}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nRésultats.\r\n");
            var uid = Assert.Single((await other.AppendAsync(folder, raw))!.DestinationUids);
            var idNat = stack.IdNatOf(User);
            await session.StartAsync(new MailUser(idNat, User), [User]);
            await session.OpenFolderAsync(folder);
            var row = Assert.Single(await session.GetRowsAsync(0, 1));
            Assert.False(row.IsSeen);

            var loaded = await session.LoadMessageAsync(uid, markSeen: true);

            Assert.NotNull(loaded);
            Assert.Equal("Bilan sanguin", loaded.Message.Subject);
            Assert.Equal(raw.Length, loaded.Raw.Length);
            await loaded.Recorded;
            var entry = Assert.Single(trail.Records);
            Assert.Equal(new AuditRecord(idNat, User, AuditAction.Consultation, true, uid, $"<{messageId}>", "OK"), entry);
            // The row the list holds is the one updated: the page repaints it without asking for rows again.
            Assert.True(row.IsSeen);
            Assert.Same(row, session.Find(uid));
            // Another client (Thunderbird, or this one) sees \Seen on the server.
            await other.SelectAsync(folder);
            var flags = Assert.Single(await other.FetchAsync(UidSet.Of(uid), ImapFetchItems.Flags));
            Assert.True(flags.IsSeen);
        }
        finally
        {
            await MailSessionSyncTests.RemoveFolderAsync(other, folder);
        }
    }

    [Fact]
    public async Task Opening_a_message_gone_from_the_server_returns_nothing_and_the_failed_consultation_is_already_recorded()
    {
        var stack = MailStack.Get();
        var folder = "Lecture-" + Guid.NewGuid().ToString("N")[..8];
        var other = await stack.ImapAsync(User);
        await other.CreateMailboxAsync(folder);
        var trail = new RecordingAuditTrail();
        await using var session = new MailSession(MailSessionSyncTests.Connector(), NullLogger<MailSession>.Instance, new MailAudit(trail, NullLogger<MailAudit>.Instance));
        try
        {
            var uid = Assert.Single((await other.AppendAsync(folder, ImapMailboxViewDeferredTests.Dated("Ordonnance", 4)))!.DestinationUids);
            var idNat = stack.IdNatOf(User);
            await session.StartAsync(new MailUser(idNat, User), [User]);
            await session.OpenFolderAsync(folder);

            var loaded = await session.LoadMessageAsync(uid + 1000, markSeen: true);

            Assert.Null(loaded);
            var entry = Assert.Single(trail.Records);
            Assert.Equal(new AuditRecord(idNat, User, AuditAction.Consultation, false, uid + 1000, null, "NO message absent"), entry);
        }
        finally
        {
            await MailSessionSyncTests.RemoveFolderAsync(other, folder);
        }
    }
}
