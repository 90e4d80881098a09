using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MSSante.Domain.Audit;
using MSSante.IntegrationTests.Mail;
using MSSante.IntegrationTests.Support;
using MSSante.Mail;
using MSSante.Webmail.Mail;
using MSSante.Webmail.Mail.TrustSpace;

namespace MSSante.IntegrationTests.TrustSpace;

/// <summary>
/// The real Dovecot and Postfix refuse the webmail's token (expired, or signed by a key they do
/// not trust, as after a key revocation): the mail connector journals a failed login with the
/// person, the mailbox, the protocol and the server's own answer, and never the token.
/// </summary>
public sealed class OperatorLoginAuditTests
{
    private const string Jeanne = "jeanne.martin@medecin.mssante.fr";

    [Fact]
    public async Task An_expired_token_refused_by_dovecot_is_journalled_as_a_failed_imap_login()
    {
        var stack = MailStack.Get();
        var tokens = new RecordingTokens(address => stack.Token(address, now: DateTimeOffset.UtcNow.AddHours(-2)));
        var trail = new RecordingAuditTrail();
        var connector = Connector(stack, tokens, trail);
        var user = new MailUser(stack.IdNatOf(Jeanne), Jeanne);

        var refused = await Assert.ThrowsAsync<ImapCommandException>(() => connector.OpenImapAsync(user));

        var entry = Assert.Single(trail.Records);
        Assert.Equal(AuditAction.EchecConnexion, entry.Action);
        Assert.False(entry.Success);
        Assert.Equal(user.IdNat, entry.AuthorIdNat);
        Assert.Equal(Jeanne, entry.Mailbox);
        Assert.Equal("methode=oauthbearer; protocole=imap", entry.Detail);
        // Dovecot's own words: NO, its response code, its text.
        Assert.NotNull(refused.ResponseCode);
        Assert.StartsWith("NO [" + refused.ResponseCode + "] ", entry.ServerResponse, StringComparison.Ordinal);
        Assert.Contains(refused.ServerText, entry.ServerResponse, StringComparison.Ordinal);
        AssertNoToken(tokens, entry);
    }

    [Fact]
    public async Task A_token_signed_with_an_untrusted_key_refused_by_postfix_is_journalled_as_a_failed_smtp_login()
    {
        var stack = MailStack.Get();
        var tokens = new RecordingTokens(address => stack.Token(address, tamper: true));
        var trail = new RecordingAuditTrail();
        var connector = Connector(stack, tokens, trail);
        var user = new MailUser(stack.IdNatOf(Jeanne), Jeanne);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => connector.OpenSmtpAsync(user));

        var entry = Assert.Single(trail.Records);
        Assert.Equal(AuditAction.EchecConnexion, entry.Action);
        Assert.False(entry.Success);
        Assert.Equal(user.IdNat, entry.AuthorIdNat);
        Assert.Equal(Jeanne, entry.Mailbox);
        Assert.Equal("methode=oauthbearer; protocole=smtp", entry.Detail);
        Assert.StartsWith(refused.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", entry.ServerResponse, StringComparison.Ordinal);
        Assert.Equal(5, refused.StatusCode / 100);
        AssertNoToken(tokens, entry);
    }

    [Fact]
    public async Task An_accepted_token_journals_nothing_here()
    {
        var stack = MailStack.Get();
        var tokens = new RecordingTokens(address => stack.Token(address));
        var trail = new RecordingAuditTrail();
        var connector = Connector(stack, tokens, trail);
        var user = new MailUser(stack.IdNatOf(Jeanne), Jeanne);

        await using (var imap = await connector.OpenImapAsync(user))
        {
            await imap.LogoutAsync();
        }
        await using (var smtp = await connector.OpenSmtpAsync(user))
        {
            await smtp.QuitAsync();
        }

        Assert.Empty(trail.Records);
        Assert.Equal(2, tokens.Minted.Count);
    }

    private static void AssertNoToken(RecordingTokens tokens, AuditRecord entry)
    {
        Assert.NotEmpty(tokens.Minted);
        var stored = string.Join('\n', entry.AuthorIdNat, entry.Mailbox, entry.ServerResponse, entry.Detail, entry.TargetMessageId);
        foreach (var token in tokens.Minted)
        {
            // Not the token, nor any of its three parts (header, claims, signature).
            foreach (var part in token.Split('.').Append(token))
            {
                Assert.DoesNotContain(part, stored, StringComparison.Ordinal);
            }
        }
    }

    private static MailConnector Connector(MailStack stack, IOperatorTokenSource tokens, IAuditTrail trail)
    {
        var options = new OperatorMailOptions
        {
            Imap = new OperatorServerOptions { Host = stack.Info.Host, Port = stack.Info.Port("imaps"), Security = "Tls", ServerName = "localhost" },
            Smtp = new OperatorServerOptions { Host = stack.Info.Host, Port = stack.Info.Port("submissions"), Security = "Tls", ServerName = "localhost" },
            TrustedCaFiles = [stack.Info.PathOf("caCertificate")],
            TimeoutSeconds = 30,
        };
        return new MailConnector(Options.Create(options), tokens, new MailAudit(trail, NullLogger<MailAudit>.Instance));
    }

    private sealed class RecordingTokens(Func<string, string> mint) : IOperatorTokenSource
    {
        public List<string> Minted { get; } = [];

        public string Mint(string idNat, string mailbox)
        {
            var token = mint(mailbox);
            lock (Minted)
            {
                Minted.Add(token);
            }
            return token;
        }
    }

}
