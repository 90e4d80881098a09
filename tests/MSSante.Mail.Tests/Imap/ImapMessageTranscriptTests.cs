using System.Text;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Tests.Support;
using static MSSante.Mail.Tests.Imap.ImapSessionTranscriptTests;

namespace MSSante.Mail.Tests.Imap;

/// <summary>Mailbox and message commands, replayed byte for byte, including answers Dovecot never gives.</summary>
public sealed class ImapMessageTranscriptTests
{
    private const string SelectInbox = """
        C: A0002 SELECT "INBOX" (CONDSTORE)
        S: * FLAGS (\Answered \Flagged \Deleted \Seen \Draft $Forwarded)
        S: * OK [PERMANENTFLAGS (\Answered \Flagged \Deleted \Seen \Draft $Forwarded \*)] Flags permitted.
        S: * 2 EXISTS
        S: * 0 RECENT
        S: * OK [UIDVALIDITY 1700000000] UIDs valid
        S: * OK [UIDNEXT 12] Predicted next UID
        S: * OK [HIGHESTMODSEQ 345] Highest
        S: A0002 OK [READ-WRITE] Select completed
        """;

    [Fact]
    public async Task Select_reports_status_and_fetch_parses_literals_in_unexpected_places()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 UID FETCH 10:11 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE MODSEQ)
            S: * 1 FETCH (UID 10 FLAGS (\Seen $Forwarded) INTERNALDATE " 5-Mar-2025 09:12:00 +0100" RFC822.SIZE 2048 MODSEQ (340) ENVELOPE ("Wed, 5 Mar 2025 09:11:58 +0100" {21}
            S~ Compte rendu "pneumo"
            S~  (({14}\r\n
            S~ Dr Paul DURAND
            S:  NIL "paul.durand" "ch-demo.mssante.fr")) NIL NIL (("Jeanne MARTIN" NIL "jeanne.martin" "medecin.mssante.fr")) NIL NIL NIL "<abc@ch-demo.mssante.fr>") BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "quoted-printable" 120 4 NIL NIL NIL NIL)("application" "pdf" ("name" {13}
            S~ résultat.pdf
            S: ) NIL NIL "base64" 1000 NIL ("attachment" ("filename" "resultat.pdf")) NIL NIL) "mixed" ("boundary" "b1") NIL NIL NIL))
            S: * 2 FETCH (UID 11 FLAGS () INTERNALDATE "06-Mar-2025 10:00:00 +0000" RFC822.SIZE 512 MODSEQ (345) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (("text" "plain" NIL NIL NIL "7bit" 10 1)("message" "rfc822" NIL NIL NIL "7bit" 300 ("Thu, 6 Mar 2025" "inner" NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 20 1) 10) "mixed"))
            S: A0003 OK Fetch completed
            """);
        var client = await LoggedInAsync(server);
        var selected = await client.SelectAsync("INBOX");
        Assert.Equal(2u, selected.Count);
        Assert.Equal(1700000000u, selected.UidValidity);
        Assert.Equal(12u, selected.UidNext);
        Assert.Equal(345ul, selected.HighestModSeq);
        Assert.False(selected.ReadOnly);
        Assert.Contains("\\*", selected.PermanentFlags);

        var messages = await client.FetchAsync(UidSet.Of(10, 11), ImapFetchItems.Summary | ImapFetchItems.ModSeq);
        Assert.Equal(2, messages.Count);
        var first = messages[0];
        Assert.Equal(10u, first.Uid);
        Assert.True(first.IsSeen);
        Assert.Equal(new DateTimeOffset(2025, 3, 5, 9, 12, 0, TimeSpan.FromHours(1)), first.InternalDate);
        Assert.Equal(2048, first.Size);
        Assert.Equal(340ul, first.ModSeq);
        Assert.Equal("Compte rendu \"pneumo\"", first.Envelope!.Subject);
        Assert.Equal("Dr Paul DURAND", first.Envelope.From[0].Name);
        Assert.Equal("paul.durand@ch-demo.mssante.fr", first.Envelope.From[0].Address);
        Assert.Equal("jeanne.martin@medecin.mssante.fr", first.Envelope.To[0].Address);
        var root = Assert.IsType<ImapMultipart>(first.BodyStructure);
        Assert.Equal("multipart/mixed", root.ContentType);
        Assert.Equal("b1", root.Parameters["boundary"]);
        var pdf = Assert.IsType<ImapBasicPart>(root.Parts[1]);
        Assert.Equal("2", pdf.PartSpecifier);
        Assert.Equal("résultat.pdf", pdf.Parameters["name"]);
        Assert.Equal("attachment", pdf.Disposition!.Type);
        Assert.Equal("resultat.pdf", pdf.FileName);
        Assert.Equal(4, Assert.IsType<ImapBasicPart>(root.Parts[0]).Lines);

        var second = messages[1];
        Assert.Empty(second.Flags!);
        Assert.Null(second.Envelope!.Subject);
        var embedded = Assert.IsType<ImapMessagePart>(Assert.IsType<ImapMultipart>(second.BodyStructure).Parts[1]);
        Assert.Equal("2", embedded.PartSpecifier);
        Assert.Equal("inner", embedded.Envelope!.Subject);
        Assert.Equal("2.1", embedded.Body!.PartSpecifier);
        Assert.Equal(10, embedded.Lines);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Body_sections_partial_and_literal8()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 UID FETCH 10 (UID BODY.PEEK[HEADER.FIELDS (SUBJECT FROM)] BODY.PEEK[2]<0.100>)
            S: * 1 FETCH (UID 10 BODY[HEADER.FIELDS (SUBJECT FROM)] {12}
            S~ Subject: x\r\n
            S~  BODY[2]<0> ~{4}\r\n
            S~ \0\1\2\3
            S: )
            S: A0003 OK Fetch completed
            """.Replace("\\0\\1\\2\\3", "ABCD", StringComparison.Ordinal));
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var m = Assert.Single(await client.FetchAsync(UidSet.Of(10), ImapFetchItems.None, [new ImapBodySection("HEADER.FIELDS (SUBJECT FROM)"), new ImapBodySection("2", 0, 100)]));
        Assert.Equal("Subject: x\r\n", Encoding.ASCII.GetString(m.Sections["HEADER.FIELDS (SUBJECT FROM)"]));
        Assert.Equal("ABCD", Encoding.ASCII.GetString(m.Sections["2"]));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Search_with_utf8_text_uses_charset_and_a_literal_and_parses_esearch()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 UID SEARCH RETURN (ALL) CHARSET UTF-8 FROM "durand" TEXT {9+}
            C: résultat
            S: * ESEARCH (TAG "A0003") UID ALL 3:5,9
            S: A0003 OK Search completed
            C: A0004 UID SEARCH RETURN (ALL) OR UNSEEN FLAGGED NOT (DELETED SINCE 1-Mar-2025)
            S: * ESEARCH (TAG "A0004") UID
            S: A0004 OK Search completed
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var uids = await client.SearchAsync(ImapSearchQuery.And(ImapSearchQuery.From("durand"), ImapSearchQuery.Text("résultat")));
        Assert.Equal([3u, 4u, 5u, 9u], uids);
        var none = await client.SearchAsync(ImapSearchQuery.And(
            ImapSearchQuery.Or(ImapSearchQuery.Unseen, ImapSearchQuery.Flagged),
            ImapSearchQuery.Not(ImapSearchQuery.And(ImapSearchQuery.Deleted, ImapSearchQuery.Since(new DateOnly(2025, 3, 1))))));
        Assert.Empty(none);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Without_literal_plus_the_client_waits_for_the_continuation()
    {
        await using var server = ScriptedServer.Start(Login("IMAP4rev1 UIDPLUS") + """

            C: A0002 SELECT "INBOX"
            S: * 0 EXISTS
            S: * OK [UIDVALIDITY 5] ok
            S: A0002 OK [READ-WRITE] ok
            C: A0003 UID SEARCH CHARSET UTF-8 SUBJECT {9}
            S: + Ready for literal data
            C: résultat
            S: * SEARCH
            S: A0003 OK Search completed
            C: A0004 APPEND "Envoy&AOk-s" (\Seen) {4}
            S: A0004 NO [OVERQUOTA] Quota exceeded
            C: A0005 NOOP
            S: A0005 OK done
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        Assert.Empty(await client.SearchAsync(ImapSearchQuery.Subject("résultat")));
        // The server refuses the literal before it is sent: the command fails, the connection stays.
        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.AppendAsync("Envoyés", "abcd"u8.ToArray(), [ImapFlags.Seen]));
        Assert.Equal("OVERQUOTA", ex.ResponseCode);
        await client.NoopAsync();
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Move_without_move_or_uidplus_copies_flags_and_expunges_only_those_messages()
    {
        await using var server = ScriptedServer.Start(Login("IMAP4rev1 IDLE") + """

            C: A0002 SELECT "INBOX"
            S: * 4 EXISTS
            S: * OK [UIDVALIDITY 7] ok
            S: A0002 OK [READ-WRITE] ok
            C: A0003 UID COPY 3:4 "Archives"
            S: A0003 OK Copy completed
            C: A0004 UID STORE 3:4 +FLAGS.SILENT (\Deleted)
            S: A0004 OK Store completed
            C: A0005 UID SEARCH DELETED
            S: * SEARCH 2 3 4
            S: A0005 OK Search completed
            C: A0006 UID STORE 2 -FLAGS.SILENT (\Deleted)
            S: A0006 OK Store completed
            C: A0007 EXPUNGE
            S: * 3 EXPUNGE
            S: * 3 EXPUNGE
            S: A0007 OK Expunge completed
            C: A0008 UID STORE 2 +FLAGS.SILENT (\Deleted)
            S: A0008 OK Store completed
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var expunged = new List<uint>();
        client.MailboxChanged += (_, e) =>
        {
            if (e.Kind == ImapMailboxEventKind.Expunged)
            {
                expunged.Add(e.Number);
            }
        };
        var mapping = await client.MoveAsync(UidSet.Of(3, 4), "Archives");
        Assert.Null(mapping); // no UIDPLUS, no COPYUID
        Assert.Equal([3u, 3u], expunged);
        Assert.Equal(2u, client.SelectedMailbox!.Count);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Sort_thread_conditional_store_acl_and_quota()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 UID SORT (REVERSE DATE) UTF-8 ALL
            S: * SORT 5 3 4
            S: A0003 OK Sort completed
            C: A0004 UID THREAD REFERENCES UTF-8 ALL
            S: * THREAD (2)(3 6 (4 23)(44 7 96))
            S: A0004 OK Thread completed
            C: A0005 UID STORE 3,5 (UNCHANGEDSINCE 320) +FLAGS (\Seen)
            S: * 2 FETCH (UID 3 MODSEQ (321) FLAGS (\Seen))
            S: A0005 OK [MODIFIED 5] Conditional STORE failed
            C: A0006 MYRIGHTS "shared/pneumologie@ch-demo.mssante.fr"
            S: * MYRIGHTS "shared/pneumologie@ch-demo.mssante.fr" lrswite
            S: A0006 OK done
            C: A0007 GETACL "INBOX"
            S: * ACL "INBOX" "jeanne" lrswipkxtecda "sophie.bernard@ch-demo.mssante.fr" lrsw
            S: A0007 OK done
            C: A0008 LISTRIGHTS "INBOX" "sophie"
            S: * LISTRIGHTS "INBOX" "sophie" "" l r s w i p k x t e c d a
            S: A0008 OK done
            C: A0009 SETACL "INBOX" "sophie" "+lrs"
            S: A0009 OK done
            C: A0010 DELETEACL "INBOX" "sophie"
            S: A0010 OK done
            C: A0011 GETQUOTAROOT "INBOX"
            S: * QUOTAROOT "INBOX" "User quota"
            S: * QUOTA "User quota" (STORAGE 1024 2097152 MESSAGE 10 100000)
            S: A0011 OK done
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        Assert.Equal([5u, 3u, 4u], await client.SortAsync("REVERSE DATE", ImapSearchQuery.All));
        var threads = await client.ThreadAsync("REFERENCES", ImapSearchQuery.All);
        Assert.Equal(2, threads.Count);
        Assert.Equal(2u, threads[0].Uid);
        var t = threads[1];
        Assert.Equal(3u, t.Uid);
        var six = Assert.Single(t.Children);
        Assert.Equal(6u, six.Uid);
        Assert.Equal([4u, 44u], six.Children.Select(c => c.Uid));
        Assert.Equal(23u, Assert.Single(six.Children[0].Children).Uid);
        Assert.Equal(96u, six.Children[1].Children[0].Children[0].Uid);

        var store = await client.StoreAsync(UidSet.Of(3, 5), ImapStoreAction.Add, [ImapFlags.Seen], unchangedSince: 320);
        Assert.Equal(3u, Assert.Single(store.Messages).Uid);
        Assert.Equal([5u], store.NotModified!.Enumerate());

        Assert.Equal("lrswite", await client.MyRightsAsync("shared/pneumologie@ch-demo.mssante.fr"));
        var acl = await client.GetAclAsync("INBOX");
        Assert.Equal(new ImapAclEntry("sophie.bernard@ch-demo.mssante.fr", "lrsw"), acl[1]);
        var rights = await client.ListRightsAsync("INBOX", "sophie");
        Assert.Equal(13, rights.OptionalRights.Count);
        await client.SetAclAsync("INBOX", "sophie", "+lrs");
        await client.DeleteAclAsync("INBOX", "sophie");
        var quota = Assert.Single(await client.GetQuotaRootAsync("INBOX"));
        Assert.Equal(new ImapQuotaResource("STORAGE", 1024, 2097152), quota.Resources[0]);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Connection_dropped_in_the_middle_of_a_literal_is_a_protocol_error()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 UID FETCH 10 (UID BODY.PEEK[])
            S~ * 1 FETCH (UID 10 BODY[] {100}\r\nFrom: a@b.fr\r\nSubj
            !close
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.FetchAsync(UidSet.Of(10), ImapFetchItems.None, [new ImapBodySection("")]));
        Assert.Contains("closed", ex.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Idle_is_renewed_and_delivers_changes_then_ends_with_done()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 IDLE
            S: + idling
            C: DONE
            S: A0003 OK Idle completed (renewal)
            C: A0004 IDLE
            S: + idling
            S: * 1 FETCH (FLAGS (\Seen \Flagged) UID 10 MODSEQ (350))
            S: * 3 EXISTS
            C: DONE
            S: A0004 OK Idle completed
            C: A0005 NOOP
            S: A0005 OK done
            """);
        var client = await LoggedInAsync(server);
        client.IdleRenewal = TimeSpan.FromMilliseconds(300);
        await client.SelectAsync("INBOX");
        using var done = new CancellationTokenSource();
        var events = new List<ImapMailboxEvent>();
        client.MailboxChanged += (_, e) =>
        {
            events.Add(e);
            if (e.Kind == ImapMailboxEventKind.Exists)
            {
                done.Cancel();
            }
        };
        await client.IdleAsync(done.Token);
        Assert.Equal(ImapMailboxEventKind.FlagsChanged, events[0].Kind);
        Assert.Equal(10u, events[0].Message!.Uid);
        Assert.Equal(3u, events[1].Number);
        Assert.Equal(3u, client.SelectedMailbox!.Count);
        await client.NoopAsync();
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task A_command_requested_during_idle_ends_the_idle_first()
    {
        await using var server = ScriptedServer.Start(Login() + "\n" + SelectInbox + """

            C: A0003 IDLE
            S: + idling
            C: DONE
            S: A0003 OK Idle completed
            C: A0004 NOOP
            S: A0004 OK done
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var idle = client.IdleAsync(CancellationToken.None);
        await Task.Delay(200);
        await client.NoopAsync();
        await idle;
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }
}
