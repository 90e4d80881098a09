using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Tests.Support;
using static MSSante.Mail.Tests.Imap.ImapSessionTranscriptTests;

namespace MSSante.Mail.Tests.Imap;

/// <summary>
/// Sessions as Exchange-like and Gmail-like servers answer them, written to the RFC 3501 grammar
/// with the traits those servers are known for: Exchange's plain greeting without capabilities,
/// XOAUTH2, no CONDSTORE/ESEARCH (and no MOVE before the newer versions), quoted names with
/// spaces, NIL and literals inside ENVELOPE, BODYSTRUCTURE extension data with Content-Language;
/// Gmail's X-GM-EXT-1, XLIST-era capabilities with SPECIAL-USE attributes on "[Gmail]/..." names,
/// capabilities in the tagged OK after authentication, COMPRESS offered (and not used), literals
/// in LIST, APPENDUID and MOVE with COPYUID in an untagged OK. Every byte the client sends is checked.
/// </summary>
public sealed class ImapForeignServerTranscriptTests
{
    private const string ExchangeCaps = "IMAP4 IMAP4rev1 AUTH=NTLM AUTH=GSSAPI AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+";

    [Fact]
    public async Task Exchange_like_session_without_move_condstore_or_esearch()
    {
        var xoauth2 = B64("user=secretariat@ch-demo.example\u0001auth=Bearer eyJ0eXAi.exch.sig\u0001\u0001");
        await using var server = ScriptedServer.Start($$"""
            S: * OK The Microsoft Exchange IMAP4 service is ready.
            C: A0001 CAPABILITY
            S: * CAPABILITY {{ExchangeCaps}}
            S: A0001 OK CAPABILITY completed.
            C: A0002 AUTHENTICATE XOAUTH2 {{xoauth2}}
            S: A0002 OK AUTHENTICATE completed.
            C: A0003 CAPABILITY
            S: * CAPABILITY {{ExchangeCaps}}
            S: A0003 OK CAPABILITY completed.
            C: A0004 LIST "" "*"
            S: * LIST (\Marked \HasChildren) "/" INBOX
            S: * LIST (\HasNoChildren) "/" "INBOX/Comptes rendus"
            S: * LIST (\HasNoChildren) "/" "Deleted Items"
            S: * LIST (\HasNoChildren) "/" "Sent Items"
            S: * LIST (\HasNoChildren) "/" Archive
            S: A0004 OK LIST completed.
            C: A0005 SELECT "INBOX/Comptes rendus"
            S: * 2 EXISTS
            S: * 0 RECENT
            S: * FLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)
            S: * OK [PERMANENTFLAGS (\Seen \Answered \Flagged \Deleted \Draft $MDNSent)] Permanent flags
            S: * OK [UNSEEN 2] Is the first unseen message
            S: * OK [UIDVALIDITY 14] UIDVALIDITY value
            S: * OK [UIDNEXT 48] The next unique identifier value
            S: A0005 OK [READ-WRITE] SELECT completed.
            C: A0006 UID FETCH 46:47 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)
            S: * 1 FETCH (UID 46 FLAGS (\Seen) ENVELOPE ("Tue, 4 Mar 2025 16:02:11 +0000" {17}
            S~ RE: Avis "cardio"
            S:  (("Durand, Paul" NIL "paul.durand" "ch-demo.example")) NIL NIL ((NIL NIL "secretariat" "ch-demo.example")) NIL NIL "<a1@ch-demo.example>" "<DB9PR01MB1234@DB9PR01MB1234.eurprd01.prod.exchangelabs.com>") INTERNALDATE "04-Mar-2025 16:02:12 +0000" RFC822.SIZE 13422 BODYSTRUCTURE (("text" "plain" ("charset" "iso-8859-1") NIL NIL "quoted-printable" 230 9 NIL NIL NIL NIL)("application" "pdf" ("name" "CR consultation.pdf") NIL "CR consultation.pdf" "base64" 10240 NIL ("attachment" ("filename" "CR consultation.pdf" "size" "7480" "creation-date" "Tue, 04 Mar 2025 16:01:00 GMT")) NIL NIL) "mixed" ("boundary" "_002_DB9PR01MB1234_") NIL "fr-FR"))
            S: * 2 FETCH (UID 47 FLAGS () ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) INTERNALDATE "05-Mar-2025 08:00:00 +0000" RFC822.SIZE 310 BODYSTRUCTURE ("text" "html" ("charset" "utf-8") NIL NIL "7bit" 120 3 NIL NIL "fr-FR" NIL))
            S: A0006 OK FETCH completed.
            C: A0007 UID SEARCH FROM "durand"
            S: * SEARCH 46
            S: A0007 OK SEARCH completed.
            C: A0008 UID COPY 46 "Archive"
            S: A0008 OK [COPYUID 3 46 9] COPY completed.
            C: A0009 UID STORE 46 +FLAGS.SILENT (\Deleted)
            S: * 1 FETCH (FLAGS (\Seen \Deleted))
            S: A0009 OK STORE completed.
            C: A0010 UID EXPUNGE 46
            S: * 1 EXPUNGE
            S: * 1 EXISTS
            S: A0010 OK EXPUNGE completed.
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.OAuth("secretariat@ch-demo.example", _ => ValueTask.FromResult("eyJ0eXAi.exch.sig")));
        Assert.False(client.Supports("MOVE"));
        Assert.False(client.Supports("CONDSTORE"));

        var mailboxes = await client.ListAsync();
        Assert.Equal(["INBOX", "INBOX/Comptes rendus", "Deleted Items", "Sent Items", "Archive"], mailboxes.Select(m => m.Name));
        Assert.All(mailboxes, m => Assert.Equal('/', m.Delimiter));
        Assert.All(mailboxes, m => Assert.Null(m.SpecialUse));

        var selected = await client.SelectAsync("INBOX/Comptes rendus");
        Assert.Equal(2u, selected.Count);
        Assert.Equal(14u, selected.UidValidity);
        Assert.Equal(48u, selected.UidNext);
        Assert.Null(selected.HighestModSeq);

        var messages = await client.FetchAsync(UidSet.Of(46, 47), ImapFetchItems.Summary);
        var reply = messages.Single(m => m.Uid == 46);
        Assert.Equal("RE: Avis \"cardio\"", reply.Envelope!.Subject);
        Assert.Equal("Durand, Paul", reply.Envelope.From.Single().Name);
        Assert.Equal("paul.durand@ch-demo.example", reply.Envelope.From.Single().Address);
        Assert.Empty(reply.Envelope.Sender);
        Assert.Null(reply.Envelope.To.Single().Name);
        Assert.Equal("<DB9PR01MB1234@DB9PR01MB1234.eurprd01.prod.exchangelabs.com>", reply.Envelope.MessageId);
        Assert.Equal(13422, reply.Size);
        var root = Assert.IsType<ImapMultipart>(reply.BodyStructure);
        Assert.Equal("multipart/mixed", root.ContentType);
        Assert.Equal(["fr-FR"], root.Languages);
        var pdf = Assert.IsType<ImapBasicPart>(root.Parts[1]);
        Assert.Equal("2", pdf.PartSpecifier);
        Assert.Equal("CR consultation.pdf", pdf.Description);
        Assert.Equal("CR consultation.pdf", pdf.FileName);
        Assert.Equal("7480", pdf.Disposition!.Parameters["size"]);
        Assert.Equal(10240, pdf.Size);
        var bare = messages.Single(m => m.Uid == 47);
        Assert.Null(bare.Envelope!.Subject);
        Assert.Empty(bare.Envelope.From);
        Assert.Equal("text/html", bare.BodyStructure!.ContentType);
        Assert.Equal(["fr-FR"], bare.BodyStructure.Languages);

        Assert.Equal([46u], await client.SearchAsync(ImapSearchQuery.From("durand")));
        var moved = await client.MoveAsync(UidSet.Of(46), "Archive");
        Assert.Equal([9u], moved!.DestinationUids);
        Assert.Equal(1u, client.SelectedMailbox!.Count);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Newer_exchange_moves_with_move()
    {
        await using var server = ScriptedServer.Start($$"""
            S: * OK The Microsoft Exchange IMAP4 service is ready.
            C: A0001 CAPABILITY
            S: * CAPABILITY {{ExchangeCaps}} MOVE
            S: A0001 OK CAPABILITY completed.
            C: A0002 AUTHENTICATE PLAIN {{B64("\0secretariat\0pw")}}
            S: A0002 OK AUTHENTICATE completed.
            C: A0003 CAPABILITY
            S: * CAPABILITY {{ExchangeCaps}} MOVE
            S: A0003 OK CAPABILITY completed.
            C: A0004 SELECT "INBOX"
            S: * 3 EXISTS
            S: * OK [UIDVALIDITY 14] UIDVALIDITY value
            S: A0004 OK [READ-WRITE] SELECT completed.
            C: A0005 UID MOVE 5:6 "Deleted Items"
            S: * OK [COPYUID 7 5:6 30:31] MOVE completed.
            S: * 2 EXPUNGE
            S: * 2 EXPUNGE
            S: A0005 OK MOVE completed.
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.Password("secretariat", "pw"));
        await client.SelectAsync("INBOX");
        var moved = await client.MoveAsync(UidSet.Of(5, 6), "Deleted Items");
        Assert.Equal([5u, 6u], moved!.SourceUids);
        Assert.Equal([30u, 31u], moved.DestinationUids);
        Assert.Equal(1u, client.SelectedMailbox!.Count);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    private const string GmailCaps = "IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE SPECIAL-USE APPENDLIMIT=35651584";

    [Fact]
    public async Task Gmail_like_session_with_special_use_names_literals_appenduid_and_move()
    {
        var xoauth2 = B64("user=dr.martin@gmail.example\u0001auth=Bearer ya29.token\u0001\u0001");
        await using var server = ScriptedServer.Start($$"""
            S: * OK Gimap ready for requests from 192.0.2.10 a1b2c3d4
            C: A0001 CAPABILITY
            S: * CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 XYZZY SASL-IR AUTH=XOAUTH2 AUTH=PLAIN AUTH=PLAIN-CLIENTTOKEN AUTH=XOAUTH
            S: A0001 OK Thats all she wrote! a1b2c3d4
            C: A0002 AUTHENTICATE XOAUTH2 {{xoauth2}}
            S: A0002 OK [CAPABILITY {{GmailCaps}}] dr.martin@gmail.example authenticated (Success)
            C: A0003 LIST "" "*"
            S: * LIST (\HasNoChildren) "/" "INBOX"
            S: * LIST (\HasChildren \Noselect) "/" "[Gmail]"
            S: * LIST (\All \HasNoChildren) "/" "[Gmail]/All Mail"
            S: * LIST (\Drafts \HasNoChildren) "/" "[Gmail]/Drafts"
            S: * LIST (\HasNoChildren \Important) "/" "[Gmail]/Important"
            S: * LIST (\HasNoChildren \Sent) "/" "[Gmail]/Sent Mail"
            S: * LIST (\HasNoChildren \Junk) "/" "[Gmail]/Spam"
            S: * LIST (\Flagged \HasNoChildren) "/" "[Gmail]/Starred"
            S: * LIST (\HasNoChildren \Trash) "/" "[Gmail]/Trash"
            S: * LIST (\HasNoChildren) "/" {18}
            S~ Dossier "patients"
            S: 
            S: * LIST (\HasNoChildren) "/" "R&AOk-sultats"
            S: A0003 OK Success
            C: A0004 SELECT "INBOX" (CONDSTORE)
            S: * FLAGS (\Answered \Flagged \Draft \Deleted \Seen $NotPhishing $Phishing)
            S: * OK [PERMANENTFLAGS (\Answered \Flagged \Draft \Deleted \Seen $NotPhishing $Phishing \*)] Flags permitted.
            S: * OK [UIDVALIDITY 11] UIDs valid.
            S: * 2 EXISTS
            S: * 0 RECENT
            S: * OK [UIDNEXT 120] Predicted next UID.
            S: * OK [HIGHESTMODSEQ 9876543]
            S: A0004 OK [READ-WRITE] INBOX selected. (Success)
            C: A0005 UID FETCH 118:119 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)
            S: * 1 FETCH (UID 118 INTERNALDATE "03-Mar-2025 07:45:10 +0000" RFC822.SIZE 5120 FLAGS (\Seen $NotPhishing) ENVELOPE ("Mon, 3 Mar 2025 08:45:03 +0100" "Bilan sanguin" (("Laboratoire Bio" NIL "resultats" "labo.example")) (("Laboratoire Bio" NIL "resultats" "labo.example")) (("Laboratoire Bio" NIL "resultats" "labo.example")) ((NIL NIL "dr.martin" "gmail.example")) NIL NIL NIL "<CAF=abc123@mail.gmail.com>") BODYSTRUCTURE (("TEXT" "PLAIN" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 512 12 NIL NIL NIL)("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 2048 40 NIL NIL NIL) "ALTERNATIVE" ("BOUNDARY" "000000000000a1b2c3") NIL NIL))
            S: * 2 FETCH (UID 119 INTERNALDATE "04-Mar-2025 09:00:00 +0000" RFC822.SIZE 800 FLAGS () ENVELOPE ("Tue, 4 Mar 2025 10:00:00 +0100" "Rappel" (("Paul" NIL "paul" "example.org")) (("Paul" NIL "paul" "example.org")) (("Paul" NIL "paul" "example.org")) ((NIL NIL "dr.martin" "gmail.example")) NIL NIL NIL "<x@example.org>") BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "us-ascii") NIL NIL "7BIT" 30 2 NIL NIL NIL))
            S: A0005 OK Success
            C: A0006 UID SEARCH FROM "labo"
            S: * SEARCH 118
            S: A0006 OK SEARCH completed (Success)
            C: A0007 UID MOVE 118 "[Gmail]/Trash"
            S: * OK [COPYUID 15 118 2045] (Success)
            S: * 1 EXPUNGE
            S: * 1 EXISTS
            S: A0007 OK Success
            C: A0008 APPEND "[Gmail]/Drafts" (\Draft) {18}
            S: + go ahead
            C: Subject: Brouillon
            S: A0008 OK [APPENDUID 16 77] (Success)
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.Mechanism("XOAUTH2", () => new SaslXOAuth2("dr.martin@gmail.example", _ => ValueTask.FromResult("ya29.token"))));
        // Capabilities came in the tagged OK: no CAPABILITY command was sent after authentication.
        Assert.True(client.Supports("X-GM-EXT-1"));
        Assert.True(client.Supports("COMPRESS=DEFLATE"));
        Assert.False(client.Supports("ESEARCH"));

        var mailboxes = await client.ListAsync();
        Assert.Equal(11, mailboxes.Count);
        var byUse = mailboxes.Where(m => m.SpecialUse is not null).ToDictionary(m => m.SpecialUse!, m => m.Name);
        Assert.Equal("[Gmail]/All Mail", byUse["\\All"]);
        Assert.Equal("[Gmail]/Starred", byUse["\\Flagged"]);
        Assert.Equal("[Gmail]/Important", byUse["\\Important"]);
        Assert.Equal("[Gmail]/Sent Mail", byUse["\\Sent"]);
        Assert.Equal("[Gmail]/Trash", byUse["\\Trash"]);
        Assert.False(mailboxes.Single(m => m.Name == "[Gmail]").CanSelect);
        Assert.Contains(mailboxes, m => m.Name == "Dossier \"patients\"");
        Assert.Contains(mailboxes, m => m.Name == "Résultats" && m.EncodedName == "R&AOk-sultats");

        var selected = await client.SelectAsync("INBOX");
        Assert.Equal(11u, selected.UidValidity);
        Assert.Equal(9876543ul, selected.HighestModSeq);
        Assert.Contains("$NotPhishing", selected.PermanentFlags);

        var messages = await client.FetchAsync(UidSet.Of(118, 119), ImapFetchItems.Summary);
        var bilan = messages.Single(m => m.Uid == 118);
        Assert.Equal("Bilan sanguin", bilan.Envelope!.Subject);
        Assert.Contains("$NotPhishing", bilan.Flags!);
        Assert.Equal(new DateTimeOffset(2025, 3, 3, 7, 45, 10, TimeSpan.Zero), bilan.InternalDate);
        var alternative = Assert.IsType<ImapMultipart>(bilan.BodyStructure);
        Assert.Equal("multipart/alternative", alternative.ContentType);
        Assert.Equal("000000000000a1b2c3", alternative.Parameters["boundary"]);
        Assert.Equal(["text/plain", "text/html"], alternative.Parts.Select(p => p.ContentType));
        Assert.Equal("quoted-printable", Assert.IsType<ImapBasicPart>(alternative.Parts[1]).Encoding);
        Assert.Equal("1", messages.Single(m => m.Uid == 119).BodyStructure!.PartSpecifier);

        Assert.Equal([118u], await client.SearchAsync(ImapSearchQuery.From("labo")));
        var moved = await client.MoveAsync(UidSet.Of(118), "[Gmail]/Trash");
        Assert.Equal(15u, moved!.UidValidity);
        Assert.Equal([2045u], moved.DestinationUids);
        Assert.Equal(1u, client.SelectedMailbox!.Count);

        var appended = await client.AppendAsync("[Gmail]/Drafts", "Subject: Brouillon"u8.ToArray(), [ImapFlags.Draft]);
        Assert.Equal(16u, appended!.UidValidity);
        Assert.Equal([77u], appended.DestinationUids);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }
}
