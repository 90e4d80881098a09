using System.Text;
using MSSante.Mail.Sasl;
using MSSante.Mail.Sieve;
using MSSante.Mail.Tests.Support;

namespace MSSante.Mail.Tests.Sieve;

/// <summary>ManageSieve (RFC 5804) exchanges replayed byte for byte.</summary>
public sealed class ManageSieveTranscriptTests
{
    private const string Greeting = """
        S: "IMPLEMENTATION" "Dovecot (Debian) Pigeonhole"
        S: "SIEVE" "fileinto vacation date relational"
        S: "SASL" "OAUTHBEARER XOAUTH2"
        S: "VERSION" "1.0"
        S: OK "Dovecot ready."
        """;

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static MailCredentials Credentials => MailCredentials.OAuth("paul.durand@ch-demo.mssante.fr", _ => ValueTask.FromResult("jeton"));

    [Fact]
    public async Task Authenticates_lists_reads_stores_and_activates_with_literals()
    {
        const string script = "require [\"vacation\"];\r\nvacation :days 1 \"Absent\";\r\n";
        await using var server = ScriptedServer.Start(Greeting.Replace("OAUTHBEARER XOAUTH2", "XOAUTH2", StringComparison.Ordinal) + "\n" + $$"""
            C: AUTHENTICATE "XOAUTH2" "{{B64("user=paul.durand@ch-demo.mssante.fr\u0001auth=Bearer jeton\u0001\u0001")}}"
            S: OK "Logged in."
            C: LISTSCRIPTS
            S: "ancien" ACTIVE
            S: {7}
            S~ autre"x
            S: 
            S: OK "Listscripts completed."
            C: GETSCRIPT "ancien"
            S: {12}
            S~ keep;\r\nstop;
            S: 
            S: OK "Getscript completed."
            C: PUTSCRIPT "absence" {{{Encoding.UTF8.GetByteCount(script)}}+}
            C: require ["vacation"];
            C: vacation :days 1 "Absent";
            C:
            S: OK (WARNINGS) "line 2: harmless"
            C: SETACTIVE "absence"
            S: OK "Setactive completed."
            C: LOGOUT
            S: OK "Logout completed."
            """);

        await using var client = new ManageSieveClient(server.Options());
        await client.ConnectAsync();
        Assert.Contains("vacation", client.SieveExtensions);
        Assert.Equal("Dovecot (Debian) Pigeonhole", client.Capabilities["IMPLEMENTATION"]);
        await client.AuthenticateAsync(Credentials);
        Assert.True(client.IsAuthenticated);

        var scripts = await client.ListScriptsAsync();
        Assert.Equal([new SieveScriptInfo("ancien", true), new SieveScriptInfo("autre\"x", false)], scripts);
        Assert.Equal("keep;\r\nstop;", await client.GetScriptAsync("ancien"));
        Assert.Equal("line 2: harmless", await client.PutScriptAsync("absence", script));
        await client.SetActiveAsync("absence");
        await client.LogoutAsync();

        Assert.Null(server.Failure);
    }

    [Fact]
    public async Task A_refusal_keeps_the_connection_usable_and_carries_its_code_and_literal_text()
    {
        await using var server = ScriptedServer.Start(Greeting + """

            C: PUTSCRIPT "absence" {10+}
            C: vacatio;
            C:
            S: NO (QUOTA/MAXSIZE) {22}
            S~ Script trop volumineux
            S: 
            C: HAVESPACE "absence" 9
            S: NO (QUOTA/MAXSCRIPTS) "Too many scripts."
            C: CHECKSCRIPT {7+}
            C: keep;
            C:
            S: OK
            C: DELETESCRIPT "ancien"
            S: NO (ACTIVE) "You may not delete an active script"
            """);
        await using var client = new ManageSieveClient(server.Options());
        await client.ConnectAsync();

        var e = await Assert.ThrowsAsync<ManageSieveCommandException>(() => client.PutScriptAsync("absence", "vacatio;\r\n"));
        Assert.Equal("QUOTA/MAXSIZE", e.ResponseCode);
        Assert.Equal("Script trop volumineux", e.ServerText);
        Assert.False(await client.HaveSpaceAsync("absence", 9));
        Assert.Null(await client.CheckScriptAsync("keep;\r\n"));
        var active = await Assert.ThrowsAsync<ManageSieveCommandException>(() => client.DeleteScriptAsync("ancien"));
        Assert.Equal("ACTIVE", active.ResponseCode);
        Assert.True(client.IsConnected);
        Assert.Null(server.Failure);
    }

    [Fact]
    public async Task A_refused_bearer_token_answers_the_error_challenge_then_reports_the_refusal()
    {
        var error = B64("{\"status\":\"invalid_token\"}");
        await using var server = ScriptedServer.Start(Greeting + "\n" + $"""
            C: AUTHENTICATE "XOAUTH2" "{B64("user=paul.durand@ch-demo.mssante.fr\u0001auth=Bearer jeton\u0001\u0001")}"
            S: "{error}"
            C: ""
            S: NO "Authentication failed."
            """);
        await using var client = new ManageSieveClient(server.Options());
        await client.ConnectAsync();
        var credentials = MailCredentials.Mechanism("XOAUTH2", () => new SaslXOAuth2("paul.durand@ch-demo.mssante.fr", _ => ValueTask.FromResult("jeton")));

        var e = await Assert.ThrowsAsync<ManageSieveCommandException>(() => client.AuthenticateAsync(credentials));

        Assert.Contains("Authentication failed.", e.ServerText, StringComparison.Ordinal);
        Assert.Contains("invalid_token", e.ServerText, StringComparison.Ordinal);
        Assert.False(client.IsAuthenticated);
        Assert.Null(server.Failure);
    }

    [Fact]
    public async Task Starttls_is_required_when_configured_and_never_skipped()
    {
        await using var server = ScriptedServer.Start(Greeting);
        var options = server.Options();
        await using var client = new ManageSieveClient(new MailConnectionOptions { Host = options.Host, Port = options.Port, Security = MailSecurity.StartTls, Timeout = options.Timeout });

        var e = await Assert.ThrowsAsync<ManageSieveProtocolException>(() => client.ConnectAsync());

        Assert.Contains("STARTTLS", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bye_is_a_lost_connection()
    {
        await using var server = ScriptedServer.Start(Greeting + """

            C: LISTSCRIPTS
            S: BYE (TRYLATER) "Server shutting down."
            """);
        await using var client = new ManageSieveClient(server.Options());
        await client.ConnectAsync();

        await Assert.ThrowsAsync<ManageSieveProtocolException>(() => client.ListScriptsAsync());
        Assert.False(client.IsConnected);
    }
}
