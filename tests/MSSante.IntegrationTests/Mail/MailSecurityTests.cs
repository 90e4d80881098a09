using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mail.Sasl;
using MSSante.Mail.Smtp;

namespace MSSante.IntegrationTests.Mail;

/// <summary>OAUTHBEARER tokens and TLS certificate checks against the real servers (and a tiny TLS listener for what they cannot show).</summary>
public sealed class MailSecurityTests
{
    private const string User = "jeanne.martin@medecin.mssante.fr";

    [Fact]
    public async Task Oauthbearer_accepts_a_valid_token_and_refuses_expired_wrong_audience_and_tampered_ones()
    {
        var stack = MailStack.Get();
        var client = new ImapClient(stack.Imap(implicitTls: true));
        await client.ConnectAsync();
        string[] bad =
        [
            stack.Token(User, now: DateTimeOffset.UtcNow.AddHours(-2)),
            stack.Token(User, audience: "another-client"),
            stack.Token(User, tamper: true),
        ];
        foreach (var token in bad)
        {
            var ex = await Assert.ThrowsAsync<ImapCommandException>(() => client.AuthenticateAsync(MailCredentials.OAuth(User, _ => ValueTask.FromResult(token))));
            Assert.Equal("AUTHENTICATIONFAILED", ex.ResponseCode);
            Assert.Equal(ImapState.NotAuthenticated, client.State);
        }
        // the same connection is still usable: a valid token now succeeds
        await client.AuthenticateAsync(stack.Credentials(User));
        Assert.Equal(ImapState.Authenticated, client.State);
        await client.LogoutAsync();

        var smtp = new SmtpClient(stack.Submission());
        await smtp.ConnectAsync();
        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.AuthenticateAsync(MailCredentials.OAuth(User, _ => ValueTask.FromResult(bad[0]))));
        Assert.Equal(535, refused.StatusCode);
        await smtp.AuthenticateAsync(stack.Credentials(User));
        await smtp.QuitAsync();
    }

    [Fact]
    public async Task A_token_minted_on_a_clock_slightly_ahead_of_the_operators_is_accepted()
    {
        // The webmail's clock 2 s ahead of Dovecot's (another machine, or the same machine's
        // coarse clock still on the previous second): Dovecot refuses a token whose iat is after
        // its time(), so the issuer states iat a few seconds early. Before that, this token was
        // refused as "Token is issued in future".
        var stack = MailStack.Get();
        var client = new ImapClient(stack.Imap(implicitTls: true));
        await client.ConnectAsync();
        var ahead = stack.Token(User, now: DateTimeOffset.UtcNow.AddSeconds(2));
        await client.AuthenticateAsync(MailCredentials.OAuth(User, _ => ValueTask.FromResult(ahead)));
        Assert.Equal(ImapState.Authenticated, client.State);
        await client.LogoutAsync();
    }

    [Fact]
    public async Task Server_certificate_from_an_unknown_ca_or_for_another_name_is_refused()
    {
        var stack = MailStack.Get();
        using var otherCa = CreateCa("CN=Autre AC");
        var unknown = new ImapClient(stack.Imap(anchors: [otherCa]));
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => unknown.ConnectAsync());
        Assert.Contains("trust anchors", ex.Message, StringComparison.Ordinal);

        var wrongName = new ImapClient(stack.Imap(implicitTls: true, serverName: "imap.ch-demo.mssante.fr"));
        ex = await Assert.ThrowsAsync<ImapProtocolException>(() => wrongName.ConnectAsync());
        Assert.Contains("host name mismatch", ex.Message, StringComparison.Ordinal);

        var smtp = new SmtpClient(new MailConnectionOptions { Host = stack.Info.Host, Port = stack.Info.Port("submissions"), Security = MailSecurity.Tls, ServerName = "localhost", TrustAnchors = [otherCa] });
        var sx = await Assert.ThrowsAsync<SmtpProtocolException>(() => smtp.ConnectAsync());
        Assert.Contains("trust anchors", sx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_server_certificate_is_refused()
    {
        using var ca = CreateCa("CN=AC de test");
        using var expired = Issue(ca, "CN=localhost", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1), server: true);
        await using var listener = new TlsListener(expired, requireClientCertificate: false);
        var client = new ImapClient(new MailConnectionOptions { Host = "127.0.0.1", Port = listener.Port, Security = MailSecurity.Tls, ServerName = "localhost", TrustAnchors = [ca], Timeout = TimeSpan.FromSeconds(10) });
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.ConnectAsync());
        Assert.Contains("expired", ex.Message, StringComparison.Ordinal);

        // the same listener with a valid certificate is accepted: the refusal above is about the dates
        using var valid = Issue(ca, "CN=localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), server: true);
        await using var good = new TlsListener(valid, requireClientCertificate: false);
        var ok = new ImapClient(new MailConnectionOptions { Host = "127.0.0.1", Port = good.Port, Security = MailSecurity.Tls, ServerName = "localhost", TrustAnchors = [ca], Timeout = TimeSpan.FromSeconds(10) });
        await ok.ConnectAsync();
        Assert.True(ok.IsEncrypted);
        await ok.DisposeAsync();
    }

    [Fact]
    public async Task Client_certificate_from_a_file_is_presented_and_sasl_external_used()
    {
        using var ca = CreateCa("CN=AC de test");
        using var serverCert = Issue(ca, "CN=localhost", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), server: true);
        using var clientCert = Issue(ca, "CN=899700100015+SN=MARTIN+G=Jeanne, C=FR", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30), server: false);
        var file = Path.Combine(Path.GetTempPath(), "client-" + Guid.NewGuid().ToString("N") + ".p12");
        await File.WriteAllBytesAsync(file, clientCert.Export(X509ContentType.Pkcs12, "test"));
        try
        {
            using var fromFile = X509CertificateLoader.LoadPkcs12FromFile(file, "test");
            await using var listener = new TlsListener(serverCert, requireClientCertificate: true);
            var client = new ImapClient(new MailConnectionOptions { Host = "127.0.0.1", Port = listener.Port, Security = MailSecurity.Tls, ServerName = "localhost", TrustAnchors = [ca], ClientCertificate = fromFile, Timeout = TimeSpan.FromSeconds(10) });
            await client.ConnectAsync();
            await client.AuthenticateAsync(MailCredentials.External());
            Assert.Equal(ImapState.Authenticated, client.State);
            await client.DisposeAsync();
            Assert.Equal(clientCert.Thumbprint, listener.ClientCertificate?.Thumbprint);
            Assert.Equal("A0001 AUTHENTICATE EXTERNAL =", listener.FirstCommand);
        }
        finally
        {
            File.Delete(file);
        }
    }

    internal static X509Certificate2 CreateCa(string name)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(name, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-60), DateTimeOffset.UtcNow.AddYears(1));
    }

    internal static X509Certificate2 Issue(X509Certificate2 ca, string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, bool server)
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (server)
        {
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddIpAddress(IPAddress.Loopback);
            req.CertificateExtensions.Add(san.Build());
        }
        using var cert = req.Create(ca, notBefore, notAfter, RandomNumberGenerator.GetBytes(12));
        using var withKey = cert.CopyWithPrivateKey(key);
        // round-trip through PKCS#12 so that SslStream can use the key on every platform
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A one-connection IMAP-over-TLS listener: greeting, then OK to the first command.</summary>
    private sealed class TlsListener : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly Task _run;
        private readonly CancellationTokenSource _stop = new();

        public TlsListener(X509Certificate2 certificate, bool requireClientCertificate)
        {
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _run = Task.Run(async () =>
            {
                try
                {
                    using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                    await using var ssl = new SslStream(new NetworkStream(socket, true), false, (_, cert, _, _) =>
                    {
                        ClientCertificate = cert is null ? null : X509CertificateLoader.LoadCertificate(cert.GetRawCertData());
                        return true;
                    });
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificate = certificate,
                        ClientCertificateRequired = requireClientCertificate,
                        EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                    }, _stop.Token);
                    await ssl.WriteAsync(Encoding.ASCII.GetBytes("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=EXTERNAL] test server\r\n"), _stop.Token);
                    var buffer = new byte[4096];
                    var n = await ssl.ReadAsync(buffer, _stop.Token);
                    FirstCommand = Encoding.ASCII.GetString(buffer, 0, n).TrimEnd();
                    var tag = FirstCommand.Split(' ')[0];
                    await ssl.WriteAsync(Encoding.ASCII.GetBytes(tag + " OK [CAPABILITY IMAP4rev1] Logged in\r\n"), _stop.Token);
                    if (await ssl.ReadAsync(buffer, _stop.Token) < 0) { return; }
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or System.Security.Authentication.AuthenticationException or SocketException)
                {
                }
            });
        }

        public int Port { get; }

        public X509Certificate2? ClientCertificate { get; private set; }

        public string? FirstCommand { get; private set; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _run;
        }
    }
}
