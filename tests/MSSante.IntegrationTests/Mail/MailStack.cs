using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MSSante.Infrastructure.Operator;
using MSSante.IntegrationTests.Stack;
using MSSante.IntegrationTests.Support;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Smtp;

namespace MSSante.IntegrationTests.Mail;

/// <summary>
/// The real Dovecot and Postfix of the local operator stack, as the mail clients see them: TLS
/// trust anchors from the stack's CA, RS256 tokens minted by the webmail's OperatorTokenIssuer
/// with the stack's signing key (with knobs to make them expired, for another audience, or
/// tampered), and helpers to deliver mail
/// through Postfix and to run Python's imaplib as a second client.
/// </summary>
internal sealed class MailStack
{
    private static readonly Lazy<MailStack> Shared = new(() => new MailStack(StackInfo.Load()));

    private MailStack(StackInfo info)
    {
        Info = info;
        TrustAnchors = [X509CertificateLoader.LoadCertificateFromFile(info.PathOf("caCertificate"))];
        var token = info.Json.GetProperty("token");
        Issuer = token.GetProperty("issuer").GetString()!;
        Audience = token.GetProperty("audience").GetString()!;
        KeyId = token.GetProperty("keyId").GetString();
        SigningKeyPem = File.ReadAllText(info.PathOf("tokenSigningKey"));
    }

    public static MailStack Get() => Shared.Value;

    public StackInfo Info { get; }

    public X509Certificate2Collection TrustAnchors { get; }

    public string Issuer { get; }

    public string Audience { get; }

    public string? KeyId { get; }

    private string SigningKeyPem { get; }

    public string IdNatOf(string address)
    {
        foreach (var u in Info.Json.GetProperty("users").EnumerateArray())
        {
            if (u.GetProperty("address").GetString() == address)
            {
                return u.GetProperty("idNat").GetString()!;
            }
        }
        throw new InvalidOperationException(address + " is not a user of the stack");
    }

    public MailConnectionOptions Imap(bool implicitTls = false, string? serverName = null, X509Certificate2Collection? anchors = null, IMailProtocolLog? log = null, TimeSpan? timeout = null) => new()
    {
        Host = Info.Host,
        Port = Info.Port(implicitTls ? "imaps" : "imap"),
        Security = implicitTls ? MailSecurity.Tls : MailSecurity.StartTls,
        ServerName = serverName ?? "localhost",
        TrustAnchors = anchors ?? TrustAnchors,
        ProtocolLog = log,
        Timeout = timeout ?? TimeSpan.FromSeconds(20),
    };

    public MailConnectionOptions Submission(bool implicitTls = false, IMailProtocolLog? log = null) => new()
    {
        Host = Info.Host,
        Port = Info.Port(implicitTls ? "submissions" : "submission"),
        Security = implicitTls ? MailSecurity.Tls : MailSecurity.StartTls,
        ServerName = "localhost",
        TrustAnchors = TrustAnchors,
        ProtocolLog = log,
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>The inbound MX port (other operators deliver here): plain SMTP, no AUTH.</summary>
    public MailConnectionOptions Inbound() => new()
    {
        Host = Info.Host,
        Port = Info.Port("smtp"),
        Security = MailSecurity.None,
        Timeout = TimeSpan.FromSeconds(20),
    };

    /// <summary>
    /// A token minted by the webmail's own <see cref="OperatorTokenIssuer"/> with the stack's key,
    /// with knobs for the refusal cases: an issuer whose clock is <paramref name="now"/> (expired
    /// tokens), another audience, or a tampered token.
    /// </summary>
    public string Token(string address, TimeSpan? lifetime = null, string? audience = null, bool tamper = false, DateTimeOffset? now = null)
    {
        var key = RSA.Create();
        key.ImportFromPem(SigningKeyPem);
        using var issuer = new OperatorTokenIssuer(key, Issuer, audience ?? Audience, KeyId, lifetime ?? TimeSpan.FromMinutes(5),
            now is null ? null : new FixedClock(now.Value));
        var token = issuer.Issue(IdNatOf(address), address).Value;
        if (!tamper)
        {
            return token;
        }
        // The one case the issuer cannot make, since it signs what it writes: this token's
        // signature over another mailbox's claims (RFC 7515 §5.2 validation must fail).
        const string other = "paul.durand@ch-demo.mssante.fr";
        var forged = issuer.Issue(IdNatOf(other), other).Value.Split('.');
        var parts = token.Split('.');
        return parts[0] + "." + forged[1] + "." + parts[2];
    }

    public MailCredentials Credentials(string address) => MailCredentials.OAuth(address, _ => ValueTask.FromResult(Token(address)));

    public async Task<ImapClient> ImapAsync(string address, bool implicitTls = false, IMailProtocolLog? log = null)
    {
        var client = new ImapClient(Imap(implicitTls, log: log));
        await client.ConnectAsync();
        await client.AuthenticateAsync(Credentials(address));
        return client;
    }

    public async Task<SmtpClient> SubmissionAsync(string address, bool implicitTls = false, IMailProtocolLog? log = null)
    {
        var client = new SmtpClient(Submission(implicitTls, log)) { LocalDomain = "webmail.test" };
        await client.ConnectAsync();
        await client.AuthenticateAsync(Credentials(address));
        return client;
    }

    /// <summary>Delivers a message through Postfix's inbound port (as another operator would).</summary>
    public async Task DeliverAsync(string from, string to, string subject, string body = "Bonjour,\r\n\r\nCeci est un test.\r\n")
    {
        var message = Encoding.UTF8.GetBytes(
            $"From: <{from}>\r\nTo: <{to}>\r\nSubject: {subject}\r\nMessage-ID: <{Guid.NewGuid():N}@test.mssante.fr>\r\nDate: {DateTimeOffset.UtcNow:r}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{body}");
        await using var smtp = new SmtpClient(Inbound()) { LocalDomain = "mx.test.mssante.fr" };
        await smtp.ConnectAsync();
        await smtp.SendAsync(new SmtpEnvelope { From = from, Recipients = [new SmtpRecipient(to)] }, message);
        await smtp.QuitAsync();
    }

    /// <summary>Runs a Python script (imaplib) with the stack's CA and a fresh token in its environment.</summary>
    public async Task<string> RunPythonAsync(string script, string address, IDictionary<string, string>? env = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo("python3", ["-c", script])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["IMAP_HOST"] = Info.Host;
        psi.Environment["IMAP_PORT"] = Info.Port("imaps").ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["IMAP_CA"] = Info.PathOf("caCertificate");
        psi.Environment["IMAP_USER"] = address;
        psi.Environment["IMAP_TOKEN"] = Token(address, TimeSpan.FromMinutes(10));
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException("python failed: " + await stderr + output);
        }
        return output;
    }

    /// <summary>The imaplib preamble: implicit TLS with the stack's CA, OAUTHBEARER login.</summary>
    public const string PythonLogin = """
        import imaplib, os, ssl, sys, time
        ctx = ssl.create_default_context(cafile=os.environ["IMAP_CA"])
        ctx.check_hostname = False
        M = imaplib.IMAP4_SSL(os.environ["IMAP_HOST"], int(os.environ["IMAP_PORT"]), ssl_context=ctx)
        user = os.environ["IMAP_USER"]; token = os.environ["IMAP_TOKEN"]
        M.authenticate("OAUTHBEARER", lambda _: ("n,a=%s,\x01auth=Bearer %s\x01\x01" % (user, token)).encode())
        """;
}
