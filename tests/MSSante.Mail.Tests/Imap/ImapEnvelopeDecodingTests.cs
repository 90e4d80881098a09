using MSSante.Mail.Imap;
using MSSante.Mail.Tests.Support;
using static MSSante.Mail.Tests.Imap.ImapSessionTranscriptTests;

namespace MSSante.Mail.Tests.Imap;

/// <summary>
/// ENVELOPE text comes as the header text was written (RFC 9051 §7.5.2), so the subject and the
/// display names carry RFC 2047 encoded words the client must decode.
/// </summary>
public sealed class ImapEnvelopeDecodingTests
{
    [Theory]
    [InlineData("=?ISO-8859-1?Q?R=E9sultats_d'analyse?=", "Résultats d'analyse")]
    [InlineData("=?iso-8859-1?q?Cr=E9atinine?= =?iso-8859-1?q?_=E9lev=E9e?=", "Créatinine élevée")]
    [InlineData("=?windows-1252?Q?Facture_=80_=96_r=E8glement?=", "Facture € – règlement")]
    [InlineData("=?UTF-8?B?w4ljaG9ncmFwaGllIGNhcmRpYXF1ZQ==?=", "Échographie cardiaque")]
    [InlineData("=?utf-8?q?Dr_H=C3=A9l=C3=A8ne?= Faure", "Dr Hélène Faure")]
    // A multibyte character split between two adjacent B words comes out whole (RFC 2047 §5).
    [InlineData("=?UTF-8?B?Q29uc8U=?=\r\n =?UTF-8?B?k3Vy?=", "Consœur")]
    [InlineData("Re: =?UTF-8?Q?compte_rendu?= du 12/05", "Re: compte rendu du 12/05")]
    // Malformed words are left as sent.
    [InlineData("=?utf-8?X?abc?= et =?utf-8?q?non ferm", "=?utf-8?X?abc?= et =?utf-8?q?non ferm")]
    [InlineData("Prix =?", "Prix =?")]
    [InlineData("Texte brut sans mot encodé", "Texte brut sans mot encodé")]
    public void Envelope_text_is_decoded(string raw, string expected)
    {
        Assert.Equal(expected, ImapFetchParser.DecodeText(raw));
    }

    [Fact]
    public void Nil_stays_null()
    {
        Assert.Null(ImapFetchParser.DecodeText(null));
    }

    [Fact]
    public async Task Subject_and_every_address_list_are_decoded_and_the_raw_text_kept()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 SELECT "INBOX" (CONDSTORE)
            S: * 1 EXISTS
            S: * OK [UIDVALIDITY 42] UIDs valid
            S: A0002 OK [READ-WRITE] selected
            C: A0003 UID FETCH 5 (UID ENVELOPE)
            S: * 1 FETCH (UID 5 ENVELOPE ("Tue, 1 Apr 2025 10:00:00 +0200" "=?ISO-8859-1?Q?Compte_rendu_op=E9ratoire?= =?UTF-8?B?4oCTIHLDqWY=?= 42" (("=?utf-8?q?Dr_H=C3=A9l=C3=A8ne_Faure?=" NIL "helene.faure" "medecin.mssante.fr")) (("=?windows-1252?Q?Secr=E9tariat_=96_CH?=" NIL "secretariat" "ch-demo.mssante.fr")) (("=?UTF-8?B?U2VydmljZSBkZSBwbmV1bW9sb2dpZQ==?=" NIL "pneumologie" "ch-demo.mssante.fr")) (("=?iso-8859-15?q?Jos=E9?=" NIL "jose" "infirmier.mssante.fr")("Claire LEROY" NIL "claire.leroy" "pharmacien.mssante.fr")) (({25}
            S~ =?utf-8?q?Fran=C3=A7ois?=
            S:  NIL "francois" "medecin.mssante.fr")) (("=?bad-charset?q?Inconnu?=" NIL "x" "medecin.mssante.fr")) NIL "<op-42@medecin.mssante.fr>"))
            S: A0003 OK Fetch completed
            """);
        var client = await LoggedInAsync(server);
        await client.SelectAsync("INBOX");
        var message = Assert.Single(await client.FetchAsync(UidSet.Of(5), ImapFetchItems.Envelope));
        var envelope = message.Envelope!;
        Assert.Equal("Compte rendu opératoire– réf 42", envelope.Subject);
        Assert.Equal("=?ISO-8859-1?Q?Compte_rendu_op=E9ratoire?= =?UTF-8?B?4oCTIHLDqWY=?= 42", envelope.RawSubject);
        Assert.Equal("Dr Hélène Faure", envelope.From[0].Name);
        Assert.Equal("=?utf-8?q?Dr_H=C3=A9l=C3=A8ne_Faure?=", envelope.From[0].RawName);
        Assert.Equal("helene.faure@medecin.mssante.fr", envelope.From[0].Address);
        Assert.Equal("Secrétariat – CH", envelope.Sender[0].Name);
        Assert.Equal("Service de pneumologie", envelope.ReplyTo[0].Name);
        Assert.Equal(["José", "Claire LEROY"], envelope.To.Select(a => a.Name));
        Assert.Equal("Claire LEROY", envelope.To[1].RawName);
        Assert.Equal("François", envelope.Cc[0].Name);
        // An unknown charset does not throw: the word is decoded with the fallback, never lost.
        Assert.Contains("Inconnu", envelope.Bcc[0].Name, StringComparison.Ordinal);
        Assert.Equal("op-42@medecin.mssante.fr", envelope.MessageId!.Trim('<', '>'));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }
}
