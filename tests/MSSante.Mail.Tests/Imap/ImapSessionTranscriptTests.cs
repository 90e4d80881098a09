using System.Text;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Tests.Support;

namespace MSSante.Mail.Tests.Imap;

/// <summary>Connection, authentication and session-level responses, replayed byte for byte.</summary>
public sealed class ImapSessionTranscriptTests
{
    internal static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    internal const string Greeting = "* OK [CAPABILITY IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE AUTH=PLAIN AUTH=OAUTHBEARER AUTH=XOAUTH2] Dovecot ready.";

    internal static async Task<ImapClient> LoggedInAsync(ScriptedServer server, IMailProtocolLog? log = null, TimeSpan? timeout = null)
    {
        var client = new ImapClient(server.Options(timeout, log));
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.Password("jeanne", "secret"));
        return client;
    }

    internal static string Login(string caps = "IMAP4rev1 SASL-IR LITERAL+ ID ENABLE IDLE UIDPLUS MOVE CONDSTORE QRESYNC ESEARCH NAMESPACE LIST-EXTENDED LIST-STATUS SPECIAL-USE ACL QUOTA SORT THREAD=REFERENCES UNSELECT") => $"""
        S: {Greeting}
        C: A0001 AUTHENTICATE PLAIN {B64("\0jeanne\0secret")}
        S: A0001 OK [CAPABILITY {caps}] Logged in
        """;

    [Fact]
    public async Task Plain_with_initial_response_then_capabilities_from_the_tagged_answer()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 LOGOUT
            S: * BYE Logging out
            S: A0002 OK Logout completed.
            """);
        var client = await LoggedInAsync(server);
        Assert.Equal(ImapState.Authenticated, client.State);
        Assert.True(client.Supports("QRESYNC"));
        Assert.False(client.Supports("AUTH=PLAIN")); // replaced by the post-login list
        await client.LogoutAsync();
        Assert.False(client.IsConnected);
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Oauthbearer_sends_gs2_header_host_port_and_bearer_token()
    {
        var payload = "n,a=jeanne.martin@medecin.mssante.fr,\u0001host=127.0.0.1\u0001port=PORT\u0001auth=Bearer tok.en.sig\u0001\u0001";
        // the port is only known once the server listens: build the transcript around it
        await using var real = ScriptedServer.Start($"""
            S: {Greeting}
            C: A0001 AUTHENTICATE OAUTHBEARER {B64(payload.Replace("PORT", "0", StringComparison.Ordinal))}
            S: A0001 OK Logged in
            C: A0002 CAPABILITY
            S: * CAPABILITY IMAP4rev1 IDLE
            S: A0002 OK done
            """);
        var options = new MailConnectionOptions { Host = "127.0.0.1", Port = real.Port, Security = MailSecurity.None, ServerName = "127.0.0.1" };
        // The SASL context carries the configured port; use a mechanism wrapper to pin it to 0 for a stable transcript.
        var client = new ImapClient(options);
        await client.ConnectAsync();
        var creds = MailCredentials.Mechanism("OAUTHBEARER", () => new PortPinned(new SaslOAuthBearer("jeanne.martin@medecin.mssante.fr", _ => ValueTask.FromResult("tok.en.sig"))));
        await client.AuthenticateAsync(creds);
        Assert.True(client.Supports("IDLE"));
        Assert.False(client.Supports("AUTH=OAUTHBEARER"));
        await client.DisposeAsync();
        await real.AssertFollowedAsync();
    }

    [Fact]
    public async Task Oauthbearer_failure_answers_the_error_json_with_the_dummy_response_and_keeps_the_connection()
    {
        var error = "{\"status\":\"invalid_token\",\"scope\":\"\"}";
        await using var server = ScriptedServer.Start($"""
            S: * OK [CAPABILITY IMAP4rev1 AUTH=OAUTHBEARER] ready
            C: A0001 AUTHENTICATE OAUTHBEARER
            S: +
            C: {B64("n,a=u@x.fr,\u0001host=127.0.0.1\u0001port=0\u0001auth=Bearer expired\u0001\u0001")}
            S: + {B64(error)}
            C: AQ==
            S: A0001 NO [AUTHENTICATIONFAILED] Authentication failed.
            C: A0002 NOOP
            S: A0002 OK NOOP completed.
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        var creds = MailCredentials.Mechanism("OAUTHBEARER", () => new PortPinned(new SaslOAuthBearer("u@x.fr", _ => ValueTask.FromResult("expired"))));
        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticateAsync(creds));
        Assert.Equal("AUTHENTICATIONFAILED", ex.ResponseCode);
        Assert.Contains("invalid_token", ex.ServerText, StringComparison.Ordinal);
        Assert.IsAssignableFrom<MailCommandException>(ex);
        // still usable: a NOOP goes through (NOOP is valid before authentication)
        await client.NoopAsync();
        Assert.Equal(ImapState.NotAuthenticated, client.State);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Xoauth2_failure_answers_an_empty_response()
    {
        await using var server = ScriptedServer.Start($"""
            S: * OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2] ready
            C: A0001 AUTHENTICATE XOAUTH2 {B64("user=u@x.fr\u0001auth=Bearer bad\u0001\u0001")}
            S: + {B64("{\"status\":\"401\",\"schemes\":\"bearer\"}")}
            C: 
            S: A0001 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticateAsync(MailCredentials.OAuth("u@x.fr", _ => ValueTask.FromResult("bad"))));
        Assert.Contains("401", ex.ServerText, StringComparison.Ordinal);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Plain_with_authorization_id_and_login_only_as_last_resort()
    {
        await using var server = ScriptedServer.Start($"""
            S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready
            C: A0001 AUTHENTICATE PLAIN
            S: + 
            C: {B64("pneumologie@ch-demo.mssante.fr\0sophie\0pw")}
            S: A0001 OK done
            C: A0002 CAPABILITY
            S: * CAPABILITY IMAP4rev1
            S: A0002 OK done
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.Password("sophie", "pw", "pneumologie@ch-demo.mssante.fr"));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();

        await using var legacy = ScriptedServer.Start("""
            S: * OK [CAPABILITY IMAP4rev1 AUTH=LOGIN] ready
            C: A0001 AUTHENTICATE LOGIN
            S: + VXNlcm5hbWU6
            C: c29waGll
            S: + UGFzc3dvcmQ6
            C: cHc=
            S: A0001 OK [CAPABILITY IMAP4rev1] done
            """);
        var old = new ImapClient(legacy.Options());
        await old.ConnectAsync();
        await old.AuthenticateAsync(MailCredentials.Password("sophie", "pw"));
        await old.DisposeAsync();
        await legacy.AssertFollowedAsync();
    }

    [Fact]
    public async Task Login_command_when_no_sasl_mechanism_fits_and_quoting_of_specials()
    {
        await using var server = ScriptedServer.Start("""
            S: * OK [CAPABILITY IMAP4rev1] ready
            C: A0001 LOGIN "jeanne" "se\"cr\\et"
            S: A0001 OK [CAPABILITY IMAP4rev1 IDLE] done
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        await client.AuthenticateAsync(MailCredentials.Password("jeanne", "se\"cr\\et"));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task No_common_mechanism_is_a_command_error()
    {
        await using var server = ScriptedServer.Start("""
            S: * OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=GSSAPI] ready
            """);
        var client = new ImapClient(server.Options());
        await client.ConnectAsync();
        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticateAsync(MailCredentials.OAuth("u", _ => ValueTask.FromResult("t"))));
        Assert.Contains("GSSAPI", ex.ServerText, StringComparison.Ordinal);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task Greeting_bye_is_a_protocol_error_with_the_server_text()
    {
        await using var server = ScriptedServer.Start("""
            S: * BYE Too many connections from your IP
            !close
            """);
        var client = new ImapClient(server.Options());
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.ConnectAsync());
        Assert.Contains("Too many connections", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starttls_is_required_when_configured()
    {
        await using var server = ScriptedServer.Start("""
            S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] no tls here
            """);
        var options = new MailConnectionOptions { Host = "127.0.0.1", Port = server.Port, Security = MailSecurity.StartTls, Timeout = TimeSpan.FromSeconds(5) };
        var client = new ImapClient(options);
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.ConnectAsync());
        Assert.Contains("STARTTLS", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Untagged_bye_in_the_middle_of_a_command_is_a_protocol_error_naming_the_reason()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 SELECT "INBOX" (CONDSTORE)
            S: * 3 EXISTS
            S: * BYE Server shutting down for maintenance
            !close
            """);
        var client = await LoggedInAsync(server);
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.SelectAsync("INBOX"));
        Assert.Contains("shutting down for maintenance", ex.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<ImapProtocolException>(() => client.NoopAsync());
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task No_with_alert_raises_the_alert_and_keeps_the_connection_usable()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 SELECT "INBOX" (CONDSTORE)
            S: A0002 NO [ALERT] Votre boîte aux lettres est pleine : supprimez des messages.
            C: A0003 NOOP
            S: * OK [ALERT] Maintenance ce soir à 22 h
            S: A0003 OK NOOP completed
            """);
        var client = await LoggedInAsync(server);
        var alerts = new List<string>();
        client.Alert += (_, e) => alerts.Add(e.Text);
        var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.SelectAsync("INBOX"));
        Assert.Equal("ALERT", ex.ResponseCode);
        Assert.Equal(ImapCompletionStatus.No, ex.Status);
        Assert.Equal(ImapState.Authenticated, client.State);
        await client.NoopAsync();
        Assert.Equal(["Votre boîte aux lettres est pleine : supprimez des messages.", "Maintenance ce soir à 22 h"], alerts);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Id_and_enable_and_namespace()
    {
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 ID ("name" "MSSante Webmail" "version" "1.0")
            S: * ID ("name" "Dovecot" "vendor" NIL)
            S: A0002 OK ID completed
            C: A0003 ENABLE QRESYNC
            S: * ENABLED QRESYNC
            S: A0003 OK Enabled
            C: A0004 NAMESPACE
            S: * NAMESPACE (("" "/")) NIL (("shared/" "/" "X-EXT" ("a")))
            S: A0004 OK Namespace completed
            """);
        var client = await LoggedInAsync(server);
        var id = await client.IdAsync(new Dictionary<string, string?> { ["name"] = "MSSante Webmail", ["version"] = "1.0" });
        Assert.Equal("Dovecot", id["name"]);
        Assert.Null(id["vendor"]);
        var enabled = await client.EnableAsync(["QRESYNC", "UTF8=ACCEPT"]); // UTF8=ACCEPT not offered: not asked
        Assert.Contains("QRESYNC", enabled);
        Assert.Contains("CONDSTORE", enabled);
        var ns = await client.GetNamespacesAsync();
        Assert.Equal("", Assert.Single(ns.Personal).Prefix);
        Assert.Empty(ns.OtherUsers);
        Assert.Equal(new ImapNamespace("shared/", '/'), Assert.Single(ns.Shared));
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }

    [Fact]
    public async Task Protocol_log_masks_credentials_and_elides_fetched_content()
    {
        var log = new MemoryProtocolLog();
        await using var server = ScriptedServer.Start(Login() + """

            C: A0002 SELECT "INBOX" (CONDSTORE)
            S: * 1 EXISTS
            S: A0002 OK [READ-WRITE] selected
            C: A0003 UID FETCH 7 (UID ENVELOPE BODY.PEEK[])
            S: * 1 FETCH (UID 7 ENVELOPE ("d" "Résultats de Mme Dupont" NIL NIL NIL NIL NIL NIL NIL NIL) BODY[] {12}
            S: Patient: X
            S: )
            S: A0003 OK done
            """);
        var client = await LoggedInAsync(server, log);
        await client.SelectAsync("INBOX");
        var messages = await client.FetchAsync(UidSet.Of(7), ImapFetchItems.Envelope, [new ImapBodySection("")]);
        Assert.Equal("Patient: X\r\n", Encoding.ASCII.GetString(messages[0].Sections[""]));
        var text = log.ToString();
        Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        Assert.DoesNotContain(B64("\0jeanne\0secret"), text, StringComparison.Ordinal);
        Assert.DoesNotContain("Dupont", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Patient", text, StringComparison.Ordinal);
        Assert.Contains("AUTHENTICATE ***", text, StringComparison.Ordinal);
        Assert.Contains("UID FETCH 7", text, StringComparison.Ordinal);
        await client.DisposeAsync();
        await server.AssertFollowedAsync();
    }
}
