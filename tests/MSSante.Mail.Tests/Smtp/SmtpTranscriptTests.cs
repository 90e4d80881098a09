using System.Text;
using MSSante.Mail.Sasl;
using MSSante.Mail.Smtp;
using MSSante.Mail.Tests.Support;

namespace MSSante.Mail.Tests.Smtp;

/// <summary>Submission exchanges replayed byte for byte.</summary>
public sealed class SmtpTranscriptTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private const string Ehlo = """
        S: 220 mx.ch-demo.mssante.fr ESMTP
        C: EHLO webmail.test
        S: 250-mx.ch-demo.mssante.fr
        S: 250-PIPELINING
        S: 250-SIZE 1000
        S: 250-ENHANCEDSTATUSCODES
        S: 250-AUTH PLAIN OAUTHBEARER
        S: 250-8BITMIME
        S: 250-DSN
        S: 250 SMTPUTF8
        """;

    private static async Task<SmtpClient> ConnectAsync(ScriptedServer server, IMailProtocolLog? log = null)
    {
        var client = new SmtpClient(server.Options(log: log)) { LocalDomain = "webmail.test" };
        await client.ConnectAsync();
        return client;
    }

    [Fact]
    public async Task Pipelined_send_reports_each_recipient_and_passes_dsn_and_8bitmime()
    {
        var body = "Subject: essai\r\n\r\n.ligne qui commence par un point\r\nété\r\n";
        var stuffed = "Subject: essai\r\n\r\n..ligne qui commence par un point\r\nété\r\n";
        await using var server = ScriptedServer.Start(Ehlo + $"""

            C: AUTH PLAIN {B64("\0jeanne\0pw")}
            S: 235 2.7.0 Authentication successful
            C: MAIL FROM:<jeanne.martin@medecin.mssante.fr> SIZE={Encoding.UTF8.GetByteCount(body)} BODY=8BITMIME RET=HDRS ENVID=env+2B1
            C: RCPT TO:<paul.durand@ch-demo.mssante.fr> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;paul.durand@ch-demo.mssante.fr
            C: RCPT TO:<someone@gmail.com>
            C: DATA
            S: 250 2.1.0 Ok
            S: 250 2.1.5 Ok
            S: 554 5.7.1 <someone@gmail.com>: Recipient address rejected: Destinataire hors de l'espace de confiance MSSante
            S: 354 End data with <CR><LF>.<CR><LF>
            C: {stuffed.Replace("\r\n", "\nC: ", StringComparison.Ordinal)}.
            S: 250 2.0.0 Ok: queued as 4ABC
            C: QUIT
            S: 221 2.0.0 Bye
            """);
        var client = await ConnectAsync(server);
        Assert.Equal(1000, client.MaxMessageSize);
        await client.AuthenticateAsync(MailCredentials.Password("jeanne", "pw"));
        var result = await client.SendAsync(new SmtpEnvelope
        {
            From = "jeanne.martin@medecin.mssante.fr",
            Recipients = [new SmtpRecipient("paul.durand@ch-demo.mssante.fr", SmtpNotify.Success | SmtpNotify.Failure, "paul.durand@ch-demo.mssante.fr"), new SmtpRecipient("someone@gmail.com")],
            Return = SmtpDsnReturn.Headers,
            EnvelopeId = "env+1",
        }, Encoding.UTF8.GetBytes(body));
        var accepted = Assert.Single(result.Accepted);
        Assert.Equal("paul.durand@ch-demo.mssante.fr", accepted.Address);
        var refused = Assert.Single(result.Refused);
        Assert.Equal(554, refused.Reply.Code);
        Assert.Equal("5.7.1", refused.Reply.EnhancedCode);
        Assert.Contains("espace de confiance", refused.Reply.Text, StringComparison.Ordinal);
        Assert.Contains("queued as 4ABC", result.DataReply.Text, StringComparison.Ordinal);
        await client.QuitAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Too_large_message_is_refused_before_anything_is_sent()
    {
        await using var server = ScriptedServer.Start(Ehlo + """

            C: NOOP
            S: 250 2.0.0 Ok
            """);
        var client = await ConnectAsync(server);
        var ex = await Assert.ThrowsAsync<SmtpMessageTooLargeException>(() => client.SendAsync(
            new SmtpEnvelope { From = "a@b.fr", Recipients = [new SmtpRecipient("c@d.fr")] }, new byte[1001]));
        Assert.Equal(1000, ex.Limit);
        Assert.Equal("5.3.4", ex.EnhancedCode);
        Assert.IsAssignableFrom<MailCommandException>(ex);
        await client.NoopAsync(); // still usable
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task All_recipients_refused_throws_with_each_reason_and_resets()
    {
        await using var server = ScriptedServer.Start("""
            S: 220 mx ESMTP
            C: EHLO webmail.test
            S: 250-mx
            S: 250 ENHANCEDSTATUSCODES
            C: MAIL FROM:<a@b.fr>
            S: 250 2.1.0 Ok
            C: RCPT TO:<x@gmail.com>
            S: 554 5.7.1 not in trust space
            C: RCPT TO:<y@yahoo.fr>
            S: 450 4.2.0 try later
            C: RSET
            S: 250 2.0.0 Ok
            """);
        var client = await ConnectAsync(server);
        var ex = await Assert.ThrowsAsync<SmtpRecipientsRefusedException>(() => client.SendAsync(
            new SmtpEnvelope { From = "a@b.fr", Recipients = [new SmtpRecipient("x@gmail.com"), new SmtpRecipient("y@yahoo.fr")] }, "x\r\n"u8.ToArray()));
        Assert.Equal(2, ex.Recipients.Count);
        Assert.Equal("5.7.1", ex.Recipients[0].Reply.EnhancedCode);
        Assert.Equal(450, ex.Recipients[1].Reply.Code);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Size_refusal_by_the_server_at_mail_from_is_reported_as_too_large()
    {
        await using var server = ScriptedServer.Start("""
            S: 220 mx ESMTP
            C: EHLO webmail.test
            S: 250-mx
            S: 250 SIZE
            C: MAIL FROM:<a@b.fr> SIZE=3
            S: 552 5.3.4 Message size exceeds fixed limit
            C: RSET
            S: 250 Ok
            """);
        var client = await ConnectAsync(server);
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(
            new SmtpEnvelope { From = "a@b.fr", Recipients = [new SmtpRecipient("c@d.fr")] }, "x\r\n"u8.ToArray()));
        Assert.Equal(552, ex.StatusCode);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Chunking_sends_bdat_without_dot_stuffing_and_smtputf8_for_international_addresses()
    {
        var body = ".point\r\n";
        await using var server = ScriptedServer.Start($"""
            S: 220 mx ESMTP
            C: EHLO webmail.test
            S: 250-mx
            S: 250-CHUNKING
            S: 250-SMTPUTF8
            S: 250 8BITMIME
            C: MAIL FROM:<jérôme@exemple.fr> SMTPUTF8
            S: 250 Ok
            C: RCPT TO:<c@d.fr>
            S: 250 Ok
            C: BDAT 8 LAST
            C: .point
            S: 250 Ok queued
            """);
        var client = await ConnectAsync(server);
        var result = await client.SendAsync(new SmtpEnvelope { From = "jérôme@exemple.fr", Recipients = [new SmtpRecipient("c@d.fr")] }, Encoding.ASCII.GetBytes(body));
        Assert.Single(result.Accepted);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task International_address_without_smtputf8_is_refused_locally()
    {
        await using var server = ScriptedServer.Start("""
            S: 220 mx ESMTP
            C: EHLO webmail.test
            S: 250 mx
            """);
        var client = await ConnectAsync(server);
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(new SmtpEnvelope { From = "jérôme@exemple.fr", Recipients = [new SmtpRecipient("c@d.fr")] }, "x"u8.ToArray()));
        Assert.Equal("5.6.7", ex.EnhancedCode);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Oauthbearer_failure_sends_the_dummy_response_and_reports_the_status()
    {
        var log = new MemoryProtocolLog();
        await using var server = ScriptedServer.Start(Ehlo + $"""

            C: AUTH OAUTHBEARER {B64("n,a=u@x.fr,\u0001host=127.0.0.1\u0001port=0\u0001auth=Bearer expired.jwt\u0001\u0001")}
            S: 334 {B64("{\"status\":\"invalid_token\"}")}
            C: AQ==
            S: 535 5.7.8 Error: authentication failed: Invalid token
            C: NOOP
            S: 250 Ok
            """);
        var client = await ConnectAsync(server, log);
        var ex = await Assert.ThrowsAsync<SmtpCommandException>(() => client.AuthenticateAsync(
            MailCredentials.Mechanism("OAUTHBEARER", () => new PortPinned(new SaslOAuthBearer("u@x.fr", _ => ValueTask.FromResult("expired.jwt"))))));
        Assert.Equal(535, ex.StatusCode);
        Assert.Equal("5.7.8", ex.EnhancedCode);
        Assert.Contains("invalid_token", ex.ServerText, StringComparison.Ordinal);
        await client.NoopAsync();
        Assert.DoesNotContain("expired.jwt", log.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(B64("n,a=u@x.fr"), log.ToString(), StringComparison.Ordinal);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Starttls_absent_is_refused_and_multiline_greeting_and_helo_fallback()
    {
        await using var server = ScriptedServer.Start("""
            S: 220-mx old server
            S: 220 ready
            C: EHLO webmail.test
            S: 502 5.5.1 command not implemented
            C: HELO webmail.test
            S: 250 mx
            C: NOOP
            S: 250 ok
            """);
        var client = await ConnectAsync(server);
        Assert.Empty(client.Extensions);
        await client.NoopAsync();
        await client.DisposeAsync();
        await server.AssertFollowedAsync();

        await using var plain = ScriptedServer.Start("""
            S: 220 mx ESMTP
            C: EHLO localhost
            S: 250 mx
            """);
        var tls = new SmtpClient(new MailConnectionOptions { Host = "127.0.0.1", Port = plain.Port, Security = MailSecurity.StartTls });
        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => tls.ConnectAsync());
        Assert.Contains("STARTTLS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dot_stuffing_and_line_ends()
    {
        Assert.Equal("..a\r\nb\r\n..\r\n", Encoding.ASCII.GetString(SmtpClient.DotStuff("..a\nb\r\n.\r\n"u8.ToArray().AsSpan(1))));
        Assert.Equal("x\r\n", Encoding.ASCII.GetString(SmtpClient.DotStuff("x"u8)));
        Assert.Equal("a+2Bb+3Dc+20d", SmtpClient.XText("a+b=c d"));
    }
}
