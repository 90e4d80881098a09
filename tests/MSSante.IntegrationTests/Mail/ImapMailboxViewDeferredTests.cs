using System.Globalization;
using System.Text;
using MSSante.Mail.Imap;

namespace MSSante.IntegrationTests.Mail;

/// <summary>
/// The view's deferred open against the real Dovecot: SELECT, the list from a SORT, the visible
/// rows' flags from their FETCH, another connection changing flags and expunging before the rest
/// of the flags are read in slices; the result must equal a view read in full on a new connection.
/// </summary>
public sealed class ImapMailboxViewDeferredTests
{
    private const string User = "marc.petit@infirmier.mssante.fr";

    internal static byte[] Dated(string subject, int day) => Encoding.UTF8.GetBytes(
        $"From: Dr Paul DURAND <paul.durand@ch-demo.mssante.fr>\r\nTo: <{User}>\r\nSubject: {subject}\r\n"
        + $"Date: {day.ToString("00", CultureInfo.InvariantCulture)} Mar 2025 10:00:00 +0100\r\nMessage-ID: <{Guid.NewGuid():N}@ch-demo.mssante.fr>\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nCompte rendu.\r\n");

    [Fact]
    public async Task Flags_read_after_the_first_rows_end_exact_despite_changes_made_meanwhile_by_another_client()
    {
        var stack = MailStack.Get();
        var folder = "Deferred-" + Guid.NewGuid().ToString("N")[..8];
        var ours = await stack.ImapAsync(User);
        var other = await stack.ImapAsync(User);
        await ours.CreateMailboxAsync(folder);
        try
        {
            var uids = new List<uint>();
            for (var i = 1; i <= 9; i++)
            {
                uids.Add(Assert.Single((await ours.AppendAsync(folder, Dated("Compte rendu " + i, i), i % 3 == 0 ? [ImapFlags.Seen] : null))!.DestinationUids));
            }
            var view = new ImapMailboxView(folder);
            await view.OpenDeferredAsync(ours);
            Assert.Equal("deferred", view.LastSyncMethod);
            Assert.False(view.UidsKnown);

            // What the mail page does: the order from SORT, then the first rows.
            var order = await ours.SortAsync("REVERSE DATE", ImapSearchQuery.All);
            Assert.Equal(uids.AsEnumerable().Reverse(), order);
            view.AdoptUids(order);
            Assert.Equal(uids, view.Uids);
            var rows = await ours.FetchAsync(UidSet.Of(order.Take(3)), ImapFetchItems.Summary);
            Assert.Equal(3, rows.Count);
            Assert.Contains(ImapFlags.Seen, view.FlagsOf(uids[8])!); // the newest row, #9, is \Seen
            Assert.Null(view.FlagsOf(uids[0]));
            Assert.False(view.IsComplete);

            // Another client flags #1 (flags not read yet), unflags the shown #9, expunges #5.
            await other.SelectAsync(folder);
            await other.StoreAsync(UidSet.Of(uids[0]), ImapStoreAction.Add, [ImapFlags.Flagged, "$Forwarded"]);
            await other.StoreAsync(UidSet.Of(uids[8]), ImapStoreAction.Remove, [ImapFlags.Seen]);
            await other.StoreAsync(UidSet.Of(uids[4]), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await other.ExpungeAsync(UidSet.Of(uids[4]));

            var removed = new List<uint>();
            var flagged = new List<uint>();
            for (var step = 0; !view.IsComplete && step < 20; step++)
            {
                var change = await view.CompleteAsync(2);
                removed.AddRange(change.Removed);
                flagged.AddRange(change.FlagsChanged);
            }
            Assert.True(view.IsComplete);
            Assert.Equal([uids[4]], removed);
            Assert.Contains(uids[8], flagged); // known before, changed: reported
            Assert.DoesNotContain(uids[0], flagged); // learnt for the first time: not a change
            Assert.DoesNotContain(ImapFlags.Seen, view.FlagsOf(uids[8])!);
            Assert.Contains("$Forwarded", view.FlagsOf(uids[0])!);

            var third = await stack.ImapAsync(User);
            var fresh = new ImapMailboxView(folder);
            await fresh.OpenAsync(third);
            Assert.Equal(fresh.Uids, view.Uids);
            foreach (var uid in fresh.Uids)
            {
                Assert.Equal(Webmail.MailSessionSyncTests.Lasting(fresh.FlagsOf(uid)!), Webmail.MailSessionSyncTests.Lasting(view.FlagsOf(uid)!));
            }
            await third.LogoutAsync();

            // Leaving and coming back: QRESYNC brings the changes made meanwhile, nothing more to read.
            view.Close();
            await ours.SelectAsync("INBOX");
            await other.StoreAsync(UidSet.Of(uids[1]), ImapStoreAction.Add, [ImapFlags.Seen]);
            await other.StoreAsync(UidSet.Of(uids[6]), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await other.ExpungeAsync(UidSet.Of(uids[6]));
            var reopened = await view.OpenDeferredAsync(ours);
            Assert.Equal("qresync", view.LastSyncMethod);
            Assert.True(view.IsComplete);
            Assert.Equal([uids[6]], reopened.Removed);
            Assert.Equal([uids[1]], reopened.FlagsChanged);
            Assert.Contains(ImapFlags.Seen, view.FlagsOf(uids[1])!);
            Assert.False(view.Contains(uids[6]));
        }
        finally
        {
            await other.LogoutAsync();
            if (ours.SelectedMailbox is not null)
            {
                await ours.UnselectAsync();
            }
            await ours.DeleteMailboxAsync(folder);
            await ours.LogoutAsync();
        }
    }
}
