using System.Diagnostics;
using MSSante.Mail.Imap;
using Xunit.Abstractions;

namespace MSSante.IntegrationTests.Mail;

/// <summary>
/// Push and synchronisation against the real stack: IDLE sees Postfix deliveries, a second
/// client (Python's imaplib) flags and deletes while ours is open and while ours is offline,
/// and a deleted message never comes back after a reconnect. Service mailboxes through ACL.
/// </summary>
public sealed class ImapSyncTests(ITestOutputHelper output)
{
    private const string Python = MailStack.PythonLogin + "\n" + """
        M.select('"%s"' % os.environ["FOLDER"])
        for op in os.environ["OPS"].split("|"):
            verb, _, rest = op.partition(" ")
            if verb == "STORE":
                uid, what, flags = rest.split(" ", 2)
                typ, data = M.uid("STORE", uid, what, flags)
            elif verb == "EXPUNGE":
                typ, data = M.expunge()
            if typ != "OK":
                sys.exit("imaplib: %s %s" % (op, data))
        M.logout()
        print("ok")
        """;

    [Fact]
    public async Task Idle_reports_a_message_delivered_by_postfix()
    {
        var stack = MailStack.Get();
        const string user = "marc.petit@infirmier.mssante.fr";
        var client = await stack.ImapAsync(user);
        try
        {
            var view = new ImapMailboxView("INBOX");
            await view.OpenAsync(client);
            var subject = "Résultat urgent " + Guid.NewGuid().ToString("N")[..6];
            var stopwatch = new Stopwatch();
            var waiting = view.WaitForChangesAsync(TimeSpan.FromSeconds(20));
            await Task.Delay(300); // let IDLE start: the delivery must be pushed, not found by a later poll
            await stack.DeliverAsync("paul.durand@ch-demo.mssante.fr", user, subject);
            stopwatch.Start();
            var change = await waiting;
            stopwatch.Stop();
            output.WriteLine($"IDLE reported the delivery {stopwatch.Elapsed.TotalMilliseconds:0} ms after Postfix accepted it");
            var uid = Assert.Single(change.Added);
            var message = Assert.Single(await client.FetchAsync(UidSet.Of(uid), ImapFetchItems.Envelope));
            Assert.Equal(subject, DecodeSubject(message.Envelope!.Subject));
            Assert.True(view.Contains(uid));
        }
        finally
        {
            await client.LogoutAsync();
        }
    }

    internal static string? DecodeSubject(string? raw)
    {
        // The subject was sent as raw UTF-8 (RFC 6532), so no encoded words to undo here.
        return raw;
    }

    [Fact]
    public async Task Changes_by_imaplib_appear_and_a_deleted_message_never_returns_after_reconnect()
    {
        var stack = MailStack.Get();
        const string user = "claire.leroy@pharmacien.mssante.fr";
        var folder = "Sync-" + Guid.NewGuid().ToString("N")[..8];
        var ours = await stack.ImapAsync(user);
        await ours.CreateMailboxAsync(folder);
        try
        {
            var uids = new List<uint>();
            for (var i = 1; i <= 4; i++)
            {
                uids.Add(Assert.Single((await ours.AppendAsync(folder, ImapCommandsTests.Message("Message " + i, "corps " + i)))!.DestinationUids));
            }
            var view = new ImapMailboxView(folder);
            await view.OpenAsync(ours);
            Assert.Equal(uids, view.Uids);

            // imaplib flags #1 and deletes #2 while our connection is open and idle
            var idle = view.WaitForChangesAsync(TimeSpan.FromSeconds(20));
            await stack.RunPythonAsync(Python, user, new Dictionary<string, string>
            {
                ["FOLDER"] = folder,
                ["OPS"] = $"STORE {uids[0]} +FLAGS (\\Flagged)|STORE {uids[1]} +FLAGS (\\Deleted)|EXPUNGE",
            });
            var deadline = DateTime.UtcNow.AddSeconds(20);
            await idle;
            while ((view.Contains(uids[1]) || !view.FlagsOf(uids[0])!.Contains(ImapFlags.Flagged)) && DateTime.UtcNow < deadline)
            {
                await view.WaitForChangesAsync(TimeSpan.FromSeconds(2));
            }
            Assert.False(view.Contains(uids[1]));
            Assert.Contains(ImapFlags.Flagged, view.FlagsOf(uids[0])!);
            Assert.Equal([uids[0], uids[2], uids[3]], view.Uids);

            // our connection drops; meanwhile imaplib deletes #3 and marks #1 seen
            await ours.DisposeAsync();
            await stack.RunPythonAsync(Python, user, new Dictionary<string, string>
            {
                ["FOLDER"] = folder,
                ["OPS"] = $"STORE {uids[2]} +FLAGS (\\Deleted)|EXPUNGE|STORE {uids[0]} +FLAGS (\\Seen)",
            });

            ours = await stack.ImapAsync(user);
            var change = await view.OpenAsync(ours);
            Assert.Equal("qresync", view.LastSyncMethod);
            Assert.Equal([uids[2]], change.Removed);
            Assert.Equal([uids[0]], change.FlagsChanged);
            Assert.Empty(change.Added);
            Assert.Equal([uids[0], uids[3]], view.Uids);
            Assert.Contains(ImapFlags.Seen, view.FlagsOf(uids[0])!);
            Assert.False(view.Contains(uids[1]));

            // a view built from nothing on the same server agrees (full refresh path)
            var fresh = new ImapMailboxView(folder);
            var second = await MailStack.Get().ImapAsync(user);
            await fresh.OpenAsync(second);
            Assert.Equal("full", fresh.LastSyncMethod);
            Assert.Equal(view.Uids, fresh.Uids);
            Assert.Equal(view.FlagsOf(uids[0])!.Order(), fresh.FlagsOf(uids[0])!.Order());
            await second.LogoutAsync();
        }
        finally
        {
            if (!ours.IsConnected)
            {
                ours = await stack.ImapAsync(user);
            }
            await ours.DeleteMailboxAsync(folder);
            await ours.LogoutAsync();
        }
    }

    [Fact]
    public async Task Service_mailbox_is_reached_through_acl_by_its_delegate()
    {
        var stack = MailStack.Get();
        const string service = "pneumologie@ch-demo.mssante.fr";
        var subject = "Demande d'avis pneumologique " + Guid.NewGuid().ToString("N")[..6];
        await stack.DeliverAsync("jeanne.martin@medecin.mssante.fr", service, subject);

        var sophie = await stack.ImapAsync("sophie.bernard@ch-demo.mssante.fr");
        try
        {
            var shared = await sophie.ListAsync("", "shared/*");
            var inbox = "shared/" + service + "/INBOX";
            Assert.Contains(shared, m => m.Name == inbox);
            Assert.DoesNotContain(shared, m => m.Name.StartsWith("shared/paul.durand@", StringComparison.Ordinal));
            var rights = await sophie.MyRightsAsync(inbox);
            Assert.Contains('l', rights);
            Assert.Contains('r', rights);
            await sophie.SelectAsync(inbox);
            uint[] found = [];
            for (var i = 0; i < 50 && found.Length == 0; i++)
            {
                found = [.. await sophie.SearchAsync(ImapSearchQuery.Subject(subject))];
                if (found.Length == 0)
                {
                    await Task.Delay(100);
                }
            }
            var uid = Assert.Single(found);
            var message = Assert.Single(await sophie.FetchAsync(UidSet.Of(uid), ImapFetchItems.Envelope | ImapFetchItems.Flags));
            Assert.Equal("jeanne.martin@medecin.mssante.fr", message.Envelope!.From[0].Address);
            // the delegate may mark it as read for the whole service
            await sophie.StoreAsync(UidSet.Of(uid), ImapStoreAction.Add, [ImapFlags.Seen]);
            Assert.Contains(ImapFlags.Seen, (await sophie.FetchAsync(UidSet.Of(uid), ImapFetchItems.Flags))[0].Flags!);
        }
        finally
        {
            await sophie.LogoutAsync();
        }
    }
}
