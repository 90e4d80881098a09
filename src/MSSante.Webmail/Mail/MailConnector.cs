using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Smtp;
using MSSante.Webmail.Mail.TrustSpace;

namespace MSSante.Webmail.Mail;

/// <summary>Who acts, on which mailbox: the signed-in person's national id and the login mailbox.</summary>
public sealed record MailUser(string IdNat, string Address);

/// <summary>
/// Opens authenticated IMAP and SMTP connections to the operator for a user. A token the
/// operator refuses (expired, revoked key, another audience...) is a failed login: it goes to
/// the audit trail when one is given (the web host's registration gives it).
/// </summary>
public sealed class MailConnector(
    IOptions<OperatorMailOptions> options,
    IOperatorTokenSource tokens,
    MailAudit? audit = null)
{
    private readonly Lazy<X509Certificate2Collection> _anchors = new(() => LoadAnchors(options.Value.TrustedCaFiles));

    /// <summary>An IMAP connection logged in with OAUTHBEARER as <paramref name="user"/>.</summary>
    public async Task<ImapClient> OpenImapAsync(MailUser user, CancellationToken cancellationToken = default)
    {
        var client = new ImapClient(Connection(options.Value.Imap));
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await AuthenticateAsync(user, LoginAudit.ImapProtocol, () => client.AuthenticateAsync(Credentials(user), cancellationToken)).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A submission connection logged in with OAUTHBEARER as <paramref name="user"/>.</summary>
    public async Task<SmtpClient> OpenSmtpAsync(MailUser user, CancellationToken cancellationToken = default)
    {
        var client = new SmtpClient(Connection(options.Value.Smtp)) { LocalDomain = "webmail.mssante.local" };
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            await AuthenticateAsync(user, LoginAudit.SmtpProtocol, () => client.AuthenticateAsync(Credentials(user), cancellationToken)).ConfigureAwait(false);
            return client;
        }
        catch
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task AuthenticateAsync(MailUser user, string protocol, Func<Task> authenticate)
    {
        try
        {
            await authenticate().ConfigureAwait(false);
        }
        catch (MailCommandException refused) when (audit is not null)
        {
            // Only the server's answer is kept: the token itself never leaves this class.
            await LoginAudit.RecordOperatorRefusalAsync(audit, user, protocol, refused).ConfigureAwait(false);
            throw;
        }
    }

    private MailCredentials Credentials(MailUser user) =>
        MailCredentials.OAuth(user.Address, _ => ValueTask.FromResult(tokens.Mint(user.IdNat, user.Address)));

    private MailConnectionOptions Connection(OperatorServerOptions server) => new()
    {
        Host = server.Host,
        Port = server.Port,
        ServerName = server.ServerName,
        Security = string.Equals(server.Security, "StartTls", StringComparison.OrdinalIgnoreCase) ? MailSecurity.StartTls : MailSecurity.Tls,
        TrustAnchors = _anchors.Value,
        Timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds),
    };

    private static X509Certificate2Collection LoadAnchors(IEnumerable<string> files)
    {
        var collection = new X509Certificate2Collection();
        foreach (var file in files)
        {
            collection.ImportFromPemFile(file);
        }
        return collection;
    }
}
