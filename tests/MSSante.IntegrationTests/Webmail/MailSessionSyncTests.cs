using Microsoft.Extensions.Logging.Abstractions;
using MSSante.IntegrationTests.Mail;
using MSSante.IntegrationTests.Support;
using MSSante.Mail.Imap;
using MSSante.Webmail.Mail;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The circuit's <see cref="MailSession"/> against the real Dovecot, with another connection acting
/// as a second mail client: the list and its rows right after opening a folder (before the flags of
/// the whole folder are read), live changes, and a folder reopened after changes made elsewhere.
/// </summary>
public sealed class MailSessionSyncTests
{
    private const string User = "marc.petit@infirmier.mssante.fr";

    internal static MailConnector Connector() =>
        MailUiFixture.CreateConnector(Path.Combine(StackInfo.Load().StateDirectory, "settings", "operator.json"));

    /// <summary>Removes a folder a test created, as the other client that created it, and logs that client out.</summary>
    internal static async Task RemoveFolderAsync(ImapClient other, string folder)
    {
        if (other.SelectedMailbox is not null)
        {
            await other.UnselectAsync();
        }
        await other.DeleteMailboxAsync(folder);
        await other.LogoutAsync();
    }

    /// <summary>What the server says: the UIDs in REVERSE DATE order and each one's flags.</summary>
    private static async Task<(IReadOnlyList<uint> Order, Dictionary<uint, IReadOnlyList<string>> Flags)> TruthAsync(ImapClient other, string folder)
    {
        await other.SelectAsync(folder);
        var order = await other.SortAsync("REVERSE DATE", ImapSearchQuery.All);
        var flags = (await other.FetchAsync(UidSet.All, ImapFetchItems.Flags)).ToDictionary(m => m.Uid, m => m.Flags ?? []);
        return (order, flags);
    }

    private static async Task AssertListAsync(MailSession session, ImapClient other, string folder)
    {
        var (order, flags) = await TruthAsync(other, folder);
        Assert.Equal(order, session.OrderedUids);
        var rows = await session.GetRowsAsync(0, order.Count);
        Assert.Equal(order, rows.Select(r => r.Uid));
        foreach (var row in rows)
        {
            Assert.Equal(Lasting(flags[row.Uid]), Lasting(row.Flags));
        }
    }

    /// <summary>The flags without \Recent, which Dovecot gives to one session only (RFC 3501 §2.3.2).</summary>
    internal static IEnumerable<string> Lasting(IEnumerable<string> flags) =>
        flags.Where(f => !f.Equals("\\Recent", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal);

    private static Task<MailSessionChange> NextListChange(MailSession session, Func<bool> done)
    {
        var seen = new TaskCompletionSource<MailSessionChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(MailSessionChange change)
        {
            if (change.ListChanged && done())
            {
                session.Changed -= OnChanged;
                seen.TrySetResult(change);
            }
        }
        session.Changed += OnChanged;
        return seen.Task;
    }

    [Fact]
    public async Task A_folder_deleted_by_another_client_while_open_leaves_no_folder_open_and_the_session_usable()
    {
        var stack = MailStack.Get();
        var folder = "Supprime-" + Guid.NewGuid().ToString("N")[..8];
        var other = await stack.ImapAsync(User);
        await other.CreateMailboxAsync(folder);
        await other.AppendAsync(folder, ImapMailboxViewDeferredTests.Dated("Résultat", 1));
        await using var session = new MailSession(Connector(), NullLogger<MailSession>.Instance);
        await session.StartAsync(new MailUser(stack.IdNatOf(User), User), [User]);
        await session.OpenFolderAsync(folder);
        Assert.Equal(1, session.Count);

        await other.DeleteMailboxAsync(folder);
        await other.LogoutAsync();
        // Whatever the server does with the session that had it selected (goes on, or ends the
        // connection), the session must end with the folder closed, never with a connection that
        // answers "no mailbox selected" to everything.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (session.CurrentFolder is not null && DateTime.UtcNow < deadline)
        {
            try
            {
                await session.GetRowsAsync(0, 10);
                await session.RefreshFoldersAsync();
            }
            catch (MSSante.Mail.MailCommandException)
            {
                // the server's refusal, said to the user in French by the page
            }
            await Task.Delay(200);
        }
        Assert.Null(session.CurrentFolder);
        Assert.DoesNotContain(session.Folders, f => f.ImapName == folder);
        Assert.Empty(session.OrderedUids);

        // And the person goes on: another folder opens and lists its mail.
        await session.OpenFolderAsync("INBOX");
        Assert.Equal("INBOX", session.CurrentFolder?.ImapName);
        Assert.Equal(session.OrderedUids.Take(5), (await session.GetRowsAsync(0, 5)).Select(r => r.Uid));
    }

    [Fact]
    public async Task A_folder_shows_the_servers_order_and_flags_follows_another_client_and_is_exact_when_reopened()
    {
        var stack = MailStack.Get();
        var folder = "Session-" + Guid.NewGuid().ToString("N")[..8];
        var other = await stack.ImapAsync(User);
        await other.CreateMailboxAsync(folder);
        await using var session = new MailSession(Connector(), NullLogger<MailSession>.Instance);
        try
        {
            var uids = new List<uint>();
            for (var i = 1; i <= 8; i++)
            {
                var flags = i switch { 2 => [ImapFlags.Seen], 5 => [ImapFlags.Flagged, ImapFlags.Seen], 7 => new[] { "$Forwarded" }, _ => null };
                uids.Add(Assert.Single((await other.AppendAsync(folder, ImapMailboxViewDeferredTests.Dated("Résultat " + i, i), flags))!.DestinationUids));
            }
            await session.StartAsync(new MailUser(stack.IdNatOf(User), User), [User]);
            await session.OpenFolderAsync(folder);
            await AssertListAsync(session, other, folder);
            Assert.Equal("Résultat 8", (await session.GetRowsAsync(0, 1))[0].Subject);

            // Live: another client flags #3 and expunges #4 while the session idles.
            await other.SelectAsync(folder);
            var flaggedShown = NextListChange(session, () => session.Find(uids[2])?.IsFlagged == true);
            await other.StoreAsync(UidSet.Of(uids[2]), ImapStoreAction.Add, [ImapFlags.Flagged]);
            await flaggedShown.WaitAsync(TimeSpan.FromSeconds(30));
            var expungeShown = NextListChange(session, () => !session.OrderedUids.Contains(uids[3]));
            await other.StoreAsync(UidSet.Of(uids[3]), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await other.ExpungeAsync(UidSet.Of(uids[3]));
            await expungeShown.WaitAsync(TimeSpan.FromSeconds(30));
            await AssertListAsync(session, other, folder);

            // Away in the INBOX while the other client reads #1, unflags #5, expunges #6 and files a new one.
            await session.OpenFolderAsync(session.FolderFor(User, "inbox")!.ImapName);
            await other.SelectAsync(folder);
            await other.StoreAsync(UidSet.Of(uids[0]), ImapStoreAction.Add, [ImapFlags.Seen]);
            await other.StoreAsync(UidSet.Of(uids[4]), ImapStoreAction.Remove, [ImapFlags.Flagged]);
            await other.StoreAsync(UidSet.Of(uids[5]), ImapStoreAction.Add, [ImapFlags.Deleted]);
            await other.ExpungeAsync(UidSet.Of(uids[5]));
            var added = Assert.Single((await other.AppendAsync(folder, ImapMailboxViewDeferredTests.Dated("Résultat 9", 20)))!.DestinationUids);

            await session.OpenFolderAsync(folder);
            Assert.Equal(added, session.OrderedUids[0]);
            Assert.DoesNotContain(uids[5], session.OrderedUids);
            Assert.DoesNotContain(uids[3], session.OrderedUids);
            await AssertListAsync(session, other, folder);
            Assert.True(session.Find(uids[0])!.IsSeen);
            Assert.False(session.Find(uids[4])!.IsFlagged);

            // Multi-select actions still act on exactly the chosen messages.
            await session.SetFlagAsync([uids[1], uids[6]], ImapFlags.Flagged, add: true);
            await AssertListAsync(session, other, folder);
        }
        finally
        {
            await RemoveFolderAsync(other, folder);
        }
    }

    [Fact]
    public async Task Sort_search_and_conversations_on_a_folder_opened_without_reading_its_flags_first()
    {
        var stack = MailStack.Get();
        var folder = "Session-" + Guid.NewGuid().ToString("N")[..8];
        var other = await stack.ImapAsync(User);
        await other.CreateMailboxAsync(folder);
        await using var session = new MailSession(Connector(), NullLogger<MailSession>.Instance);
        try
        {
            var uids = new List<uint>();
            for (var i = 1; i <= 5; i++)
            {
                uids.Add(Assert.Single((await other.AppendAsync(folder, ImapMailboxViewDeferredTests.Dated((i % 2 == 0 ? "Bilan " : "Ordonnance ") + i, 10 - i)))!.DestinationUids));
            }
            await session.StartAsync(new MailUser(stack.IdNatOf(User), User), [User]);
            await session.OpenFolderAsync(folder);
            // Dates go backwards with the UIDs, so the newest first is the lowest UID first.
            Assert.Equal(uids, session.OrderedUids);

            await session.SortAsync(MailSortKey.Date, descending: false);
            Assert.Equal(uids.AsEnumerable().Reverse(), session.OrderedUids);

            await session.SearchAsync(new MailSearch(Subject: "Bilan"));
            Assert.Equal([uids[3], uids[1]], session.OrderedUids);
            await session.SearchAsync(null);
            Assert.Equal(5, session.Count);

            if (session.Supports("THREAD=REFERENCES"))
            {
                await session.SetThreadedAsync(true);
                Assert.Equal(uids.Order(), session.OrderedUids.Order());
                await session.SetThreadedAsync(false);
            }
            await session.SortAsync(MailSortKey.Date, descending: true);
            await AssertListAsync(session, other, folder);
        }
        finally
        {
            await RemoveFolderAsync(other, folder);
        }
    }
}
