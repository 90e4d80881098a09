using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MSSante.IntegrationTests.Stack;

/// <summary>
/// A deliberately plain line client (TcpClient + SslStream) for checking the operator with
/// nothing of our own IMAP/SMTP library in the way. It trusts only the stack's test CA.
/// </summary>
internal sealed class RawConnection : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TcpClient _tcp;
    private readonly X509Certificate2Collection _anchors;
    private Stream _stream;
    private readonly byte[] _one = new byte[1];

    private RawConnection(TcpClient tcp, X509Certificate2Collection anchors)
    {
        _tcp = tcp;
        _anchors = anchors;
        _stream = tcp.GetStream();
    }

    public bool IsTls => _stream is SslStream;

    public SslProtocols? TlsProtocol => (_stream as SslStream)?.SslProtocol;

    public static async Task<RawConnection> OpenAsync(StackFacts stack, int port, bool implicitTls)
    {
        var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(Timeout);
        await tcp.ConnectAsync(stack.Host, port, cts.Token);
        var connection = new RawConnection(tcp, stack.TrustAnchors());
        if (implicitTls)
        {
            await connection.StartTlsAsync(stack.Host);
        }
        return connection;
    }

    public async Task StartTlsAsync(string host)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, ValidateWithTestCa);
        using var cts = new CancellationTokenSource(Timeout);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, cts.Token);
        _stream = ssl;
    }

    // The server must chain to the stack's CA (never the machine store) and carry the host name.
    private bool ValidateWithTestCa(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }
        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_anchors);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements.Skip(1))
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }
        return custom.Build(new X509Certificate2(certificate));
    }

    public async Task WriteLineAsync(string line)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\r\n");
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    public async Task WriteRawAsync(byte[] bytes)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, cts.Token);
        await _stream.FlushAsync(cts.Token);
    }

    /// <summary>One line without its CRLF; null when the server closed the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var buffer = new List<byte>(128);
        while (true)
        {
            var n = await _stream.ReadAsync(_one, cts.Token);
            if (n == 0)
            {
                return buffer.Count == 0 ? null : Encoding.UTF8.GetString([.. buffer]);
            }
            if (_one[0] == (byte)'\n')
            {
                if (buffer.Count > 0 && buffer[^1] == (byte)'\r')
                {
                    buffer.RemoveAt(buffer.Count - 1);
                }
                return Encoding.UTF8.GetString([.. buffer]);
            }
            buffer.Add(_one[0]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
