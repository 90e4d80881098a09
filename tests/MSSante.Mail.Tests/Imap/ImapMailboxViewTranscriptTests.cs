using MSSante.Mail.Imap;
using MSSante.Mail.Tests.Support;
using static MSSante.Mail.Tests.Imap.ImapSessionTranscriptTests;

namespace MSSante.Mail.Tests.Imap;

/// <summary>
/// The mailbox view's deferred open, replayed byte for byte: SELECT alone, the UID list taken
/// from the caller's SORT, the flags read afterwards in slices while the server pushes changes,
/// and a reopen with QRESYNC that brings back only what changed.
/// </summary>
public sealed class ImapMailboxViewTranscriptTests
{
    private static void AssertFlags(IReadOnlyList<string>? actual, params string[] expected)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Deferred_open_selects_only_then_takes_the_sort_and_reads_flags_in_slices_following_pushed_changes()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 ENABLE QRESYNC
            S: * ENABLED QRESYNC
            S: A0002 OK Enabled
            C: A0003 SELECT "INBOX"
            S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Forwarded $MDNSent)
            S: * 6 EXISTS
            S: * OK [UIDVALIDITY 77] UIDs valid
            S: * OK [UIDNEXT 7] Predicted next UID
            S: * OK [HIGHESTMODSEQ 40] Highest
            S: A0003 OK [READ-WRITE] Select completed
            C: A0004 UID SORT (REVERSE DATE) UTF-8 ALL
            S: * 7 EXISTS
            S: * SORT 6 5 4 3 2 1
            S: A0004 OK Sort completed
            C: A0005 UID FETCH 7:* (UID FLAGS)
            S: * 7 FETCH (UID 7 FLAGS ())
            S: A0005 OK Fetch completed
            C: A0006 UID FETCH 5:7 (UID FLAGS)
            S: * 5 FETCH (UID 5 FLAGS (\Seen))
            S: * 6 FETCH (UID 6 FLAGS ())
            S: * 7 FETCH (UID 7 FLAGS ())
            S: A0006 OK Fetch completed
            C: A0007 UID FETCH 2:4 (UID FLAGS)
            S: * 2 FETCH (UID 2 FLAGS (\Flagged))
            S: * 3 FETCH (UID 3 FLAGS ($Forwarded \Seen))
            S: * VANISHED 4
            S: * 4 FETCH (UID 5 FLAGS (\Seen \Answered) MODSEQ (42))
            S: A0007 OK Fetch completed
            C: A0008 UID FETCH 1 (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Seen $MDNSent))
            S: A0008 OK Fetch completed
            """);
        var client = await LoggedInAsync(server);
        var view = new ImapMailboxView("INBOX");
        var events = new List<ImapMailboxViewChange>();
        view.Changed += (_, e) => events.Add(e);

        var opened = await view.OpenDeferredAsync(client);
        Assert.True(opened.IsEmpty);
        Assert.Equal("deferred", view.LastSyncMethod);
        Assert.False(view.UidsKnown);
        Assert.False(view.IsComplete);
        Assert.Equal(0, view.Count);

        // The caller's SORT of ALL is the list; the message announced during it is pending.
        view.AdoptUids(await client.SortAsync("REVERSE DATE", ImapSearchQuery.All));
        Assert.True(view.UidsKnown);
        Assert.Equal([1u, 2u, 3u, 4u, 5u, 6u], view.Uids);
        Assert.Null(view.FlagsOf(1)); // listed, flags not read yet
        Assert.True(Assert.Single(events).NewMessagesPending);

        var refreshed = await view.RefreshAsync();
        Assert.Equal([7u], refreshed.Added);
        Assert.Empty(view.FlagsOf(7)!);

        // Flags read for the first time are not changes.
        var first = await view.CompleteAsync(3);
        Assert.True(first.IsEmpty);
        Assert.False(view.IsComplete);
        Assert.Equal([ImapFlags.Seen], view.FlagsOf(5));
        Assert.Null(view.FlagsOf(2));

        // During the next slice another client expunged 4 and answered 5: both are reported.
        var second = await view.CompleteAsync(3);
        Assert.Equal([4u], second.Removed);
        Assert.Equal([5u], second.FlagsChanged);
        Assert.Empty(second.Added);
        AssertFlags(view.FlagsOf(5), ImapFlags.Seen, ImapFlags.Answered);
        AssertFlags(view.FlagsOf(3), "$Forwarded", ImapFlags.Seen);
        Assert.Equal([ImapFlags.Flagged], view.FlagsOf(2));
        Assert.False(view.IsComplete);

        var last = await view.CompleteAsync(3);
        Assert.True(last.IsEmpty);
        Assert.True(view.IsComplete);
        AssertFlags(view.FlagsOf(1), "$MDNSent", ImapFlags.Seen);
        Assert.Equal([1u, 2u, 3u, 5u, 6u, 7u], view.Uids);
        Assert.False(view.Contains(4));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Reopening_a_complete_view_sends_its_state_with_qresync_and_reads_nothing_else()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 ENABLE QRESYNC
            S: * ENABLED QRESYNC
            S: A0002 OK Enabled
            C: A0003 SELECT "INBOX"
            S: * 3 EXISTS
            S: * OK [UIDVALIDITY 9] UIDs valid
            S: * OK [HIGHESTMODSEQ 100] Highest
            S: A0003 OK [READ-WRITE] Select completed
            C: A0004 UID SEARCH RETURN (ALL) ALL
            S: * ESEARCH (TAG "A0004") UID ALL 1:3
            S: A0004 OK Search completed
            C: A0005 UID FETCH 1:* (UID FLAGS)
            S: * 1 FETCH (UID 1 FLAGS (\Seen))
            S: * 2 FETCH (UID 2 FLAGS ())
            S: * 3 FETCH (UID 3 FLAGS (\Flagged))
            S: A0005 OK Fetch completed
            C: A0006 SELECT "Archives"
            S: * 0 EXISTS
            S: * OK [UIDVALIDITY 10] UIDs valid
            S: A0006 OK [READ-WRITE] Select completed
            C: A0007 SELECT "INBOX" (QRESYNC (9 100 1:3))
            S: * 3 EXISTS
            S: * OK [UIDVALIDITY 9] UIDs valid
            S: * OK [HIGHESTMODSEQ 104] Highest
            S: * VANISHED (EARLIER) 2
            S: * 1 FETCH (UID 1 FLAGS () MODSEQ (103))
            S: * 3 FETCH (UID 4 FLAGS (\Seen) MODSEQ (104))
            S: A0007 OK [READ-WRITE] Select completed
            """);
        var client = await LoggedInAsync(server);
        var view = new ImapMailboxView("INBOX");
        await view.OpenAsync(client);
        Assert.Equal("full", view.LastSyncMethod);
        Assert.True(view.IsComplete);
        view.Close();
        await client.SelectAsync("Archives");

        var change = await view.OpenDeferredAsync(client);
        Assert.Equal("qresync", view.LastSyncMethod);
        Assert.Equal([2u], change.Removed);
        Assert.Equal([1u], change.FlagsChanged);
        Assert.Equal([4u], change.Added);
        Assert.True(view.IsComplete); // nothing left to read
        Assert.Equal([1u, 3u, 4u], view.Uids);
        Assert.Empty(view.FlagsOf(1)!);
        Assert.Equal([ImapFlags.Flagged], view.FlagsOf(3));
        Assert.Equal([ImapFlags.Seen], view.FlagsOf(4));
        Assert.Equal(104UL, view.HighestModSeq);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }
}
