using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MSSante.Mail.Imap;
using MSSante.Mail.Smtp;

namespace MSSante.Mail.Tests;

/// <summary>
/// The clients offer only ECDHE + AEAD suites over TLS 1.2: a server that speaks TLS 1.2 with
/// nothing but an old suite (RSA key exchange, AES-CBC, SHA-1 MAC) is refused, as a protocol
/// error, while the same server is reachable when the platform's own list is asked for.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // .NET restricts suites on Linux and macOS only
public sealed class TlsCipherPolicyTests
{
    private static readonly Lazy<(X509Certificate2 Ca, X509Certificate2 Server)> Pki = new(CreatePki);

    [Theory]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)] // RSA key exchange, CBC, SHA-1
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)] // AEAD but no forward secrecy
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256)] // forward secret but CBC
    public async Task Imap_refuses_a_tls12_server_offering_only_a_weak_suite(TlsCipherSuite weak)
    {
        await using var server = WeakTlsServer.Start(Pki.Value.Server, weak, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
        await using var client = new ImapClient(Options(server.Port, MailCipherSuites.Recommended));
        var ex = await Assert.ThrowsAsync<ImapProtocolException>(() => client.ConnectAsync());
        Assert.StartsWith("TLS handshake failed", ex.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
        Assert.IsType<AuthenticationException>(await server.HandshakeFailure);
    }

    [Theory]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA)]
    [InlineData(TlsCipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256)]
    public async Task The_same_weak_server_is_reached_when_the_client_list_includes_its_suite(TlsCipherSuite weak)
    {
        // Shows the refusal above comes from the offered list, not from the test server being unusable.
        await using var server = WeakTlsServer.Start(Pki.Value.Server, weak, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
        var client = new ImapClient(Options(server.Port, [.. MailCipherSuites.Recommended, weak]));
        await client.ConnectAsync();
        Assert.True(client.IsEncrypted);
        Assert.Equal(SslProtocols.Tls12, client.TlsProtocol);
        Assert.Equal(weak, client.TlsCipherSuite);
        await client.DisposeAsync();
        Assert.Null(await server.HandshakeFailure);
    }

    [Fact]
    public async Task Smtp_refuses_a_tls12_server_offering_only_rsa_aes_cbc_sha()
    {
        await using var server = WeakTlsServer.Start(Pki.Value.Server, TlsCipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, "220 mx.example ESMTP");
        await using var client = new SmtpClient(Options(server.Port, MailCipherSuites.Recommended));
        var ex = await Assert.ThrowsAsync<SmtpProtocolException>(() => client.ConnectAsync());
        Assert.StartsWith("TLS handshake failed", ex.Message, StringComparison.Ordinal);
        Assert.IsType<AuthenticationException>(await server.HandshakeFailure);
    }

    [Fact]
    public async Task A_tls12_server_with_ecdhe_aes_gcm_is_accepted()
    {
        await using var server = WeakTlsServer.Start(Pki.Value.Server, TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready");
        await using var client = new ImapClient(Options(server.Port, MailCipherSuites.Recommended));
        await client.ConnectAsync();
        Assert.Equal(SslProtocols.Tls12, client.TlsProtocol);
        Assert.Equal(TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, client.TlsCipherSuite);
    }

    [Fact]
    public void The_recommended_list_has_only_tls13_or_ecdhe_aead_suites()
    {
        foreach (var suite in MailCipherSuites.Recommended)
        {
            var name = suite.ToString();
            Assert.True(
                (name.StartsWith("TLS_AES_", StringComparison.Ordinal) || name.StartsWith("TLS_CHACHA20_", StringComparison.Ordinal))
                || (name.StartsWith("TLS_ECDHE_", StringComparison.Ordinal) && (name.Contains("_GCM_", StringComparison.Ordinal) || name.Contains("CHACHA20_POLY1305", StringComparison.Ordinal))),
                name);
        }
        Assert.Throws<ArgumentException>(() => MailCipherSuites.CreatePolicy([]));
    }

    private static MailConnectionOptions Options(int port, IReadOnlyList<TlsCipherSuite>? cipherSuites) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Security = MailSecurity.Tls,
        ServerName = "localhost",
        TrustAnchors = [Pki.Value.Ca],
        CipherSuites = cipherSuites,
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static (X509Certificate2, X509Certificate2) CreatePki()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Test CA cipher suites", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        using var issued = request.Create(ca, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(8));
        var server = issued.CopyWithPrivateKey(key);
        // A server certificate with an ephemeral key works on Linux; a PKCS#12 round trip keeps it portable.
        return (X509CertificateLoader.LoadCertificate(ca.Export(X509ContentType.Cert)),
            X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>A TLS 1.2-only server offering one cipher suite, then one greeting line.</summary>
    private sealed class WeakTlsServer : IAsyncDisposable
    {
        private readonly TcpListener _listener;
        private readonly Task<Exception?> _run;

        private WeakTlsServer(X509Certificate2 certificate, TlsCipherSuite suite, string greeting)
        {
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _run = Task.Run(() => RunAsync(certificate, suite, greeting));
        }

        public int Port { get; }

        /// <summary>The server side's handshake error, or null when the handshake succeeded.</summary>
        public Task<Exception?> HandshakeFailure => _run;

        public static WeakTlsServer Start(X509Certificate2 certificate, TlsCipherSuite suite, string greeting) => new(certificate, suite, greeting);

        private async Task<Exception?> RunAsync(X509Certificate2 certificate, TlsCipherSuite suite, string greeting)
        {
            // Bounded, so that a client misbehaving cannot hang the test run.
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            using var socket = await _listener.AcceptSocketAsync(limit.Token);
            await using var ssl = new SslStream(new NetworkStream(socket, ownsSocket: false));
            try
            {
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = SslProtocols.Tls12,
                    CipherSuitesPolicy = new CipherSuitesPolicy([suite]),
                }, limit.Token);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException)
            {
                return ex;
            }
            await ssl.WriteAsync(Encoding.ASCII.GetBytes(greeting + "\r\n"), limit.Token);
            // Whatever the client says next (LOGOUT, EHLO, QUIT), the server hangs up.
            await ssl.ReadAtLeastAsync(new byte[256], 1, throwOnEndOfStream: false, limit.Token);
            return null;
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            try
            {
                await _run;
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
