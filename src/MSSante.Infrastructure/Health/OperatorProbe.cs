using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MSSante.Infrastructure.Health;

/// <summary>The protocol spoken by a probed server.</summary>
public enum ProbeProtocol
{
    Imap,
    Smtp,
}

/// <summary>Why a probe failed, in words safe to publish (no host secrets, no certificate dump).</summary>
public sealed class ProbeFailedException(string reason, Exception? inner = null) : Exception(reason, inner);

/// <summary>
/// Checks that an operator server answers: TCP connect, TLS handshake validated against the
/// configured trust anchors (implicit or after STARTTLS), and the protocol greeting. It never
/// authenticates.
/// </summary>
public static class OperatorProbe
{
    public static async Task ProbeAsync(
        ProbeProtocol protocol,
        OperatorEndpointOptions endpoint,
        X509Certificate2Collection trustAnchors,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        using var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync(endpoint.Host, endpoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw new ProbeFailedException($"connection refused or unreachable ({e.SocketErrorCode})", e);
        }
        Stream stream = tcp.GetStream();
        try
        {
            if (endpoint.Security == OperatorSecurity.StartTls)
            {
                var plain = new LineReader(stream);
                await ExpectGreetingAsync(protocol, plain, cancellationToken).ConfigureAwait(false);
                await StartTlsAsync(protocol, stream, plain, cancellationToken).ConfigureAwait(false);
                stream = await HandshakeAsync(stream, endpoint, trustAnchors, cancellationToken).ConfigureAwait(false);
                await SayGoodbyeAsync(protocol, stream, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                stream = await HandshakeAsync(stream, endpoint, trustAnchors, cancellationToken).ConfigureAwait(false);
                await ExpectGreetingAsync(protocol, new LineReader(stream), cancellationToken).ConfigureAwait(false);
                await SayGoodbyeAsync(protocol, stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (IOException e)
        {
            throw new ProbeFailedException("connection closed by the server", e);
        }
        finally
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<Stream> HandshakeAsync(
        Stream inner, OperatorEndpointOptions endpoint, X509Certificate2Collection trustAnchors, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var serverName = string.IsNullOrEmpty(endpoint.ServerName) ? endpoint.Host : endpoint.ServerName;
        string? chainProblem = null;
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = serverName,
            // Référentiel #2: TLS 1.2 at least.
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                chainProblem = ValidateServerCertificate(certificate, errors, trustAnchors);
                return chainProblem is null;
            },
        };
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (AuthenticationException e)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw new ProbeFailedException("TLS handshake failed: " + (chainProblem ?? "protocol or cipher refused"), e);
        }
        return ssl;
    }

    private static string? ValidateServerCertificate(
        X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trustAnchors)
    {
        if (certificate is null)
        {
            return "no server certificate";
        }
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return "server certificate does not name the configured host";
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trustAnchors);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf) ? null : "server certificate not issued by a trusted authority";
    }

    private static async Task ExpectGreetingAsync(ProbeProtocol protocol, LineReader reader, CancellationToken cancellationToken)
    {
        if (protocol == ProbeProtocol.Imap)
        {
            // RFC 9051 §7.1: the greeting is an untagged OK, PREAUTH or BYE.
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (!line.StartsWith("* OK", StringComparison.OrdinalIgnoreCase) && !line.StartsWith("* PREAUTH", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProbeFailedException("unexpected IMAP greeting");
            }
        }
        else
        {
            // RFC 5321 §4.2: 220, possibly multi-line ("220-").
            await ExpectSmtpReplyAsync(reader, "220", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task StartTlsAsync(ProbeProtocol protocol, Stream stream, LineReader reader, CancellationToken cancellationToken)
    {
        if (protocol == ProbeProtocol.Imap)
        {
            await WriteAsync(stream, "h1 STARTTLS\r\n", cancellationToken).ConfigureAwait(false);
            string line;
            do
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            while (line.StartsWith('*'));
            if (!line.StartsWith("h1 OK", StringComparison.OrdinalIgnoreCase))
            {
                throw new ProbeFailedException("IMAP STARTTLS refused");
            }
        }
        else
        {
            await WriteAsync(stream, "EHLO health-probe.localhost\r\n", cancellationToken).ConfigureAwait(false);
            await ExpectSmtpReplyAsync(reader, "250", cancellationToken).ConfigureAwait(false);
            await WriteAsync(stream, "STARTTLS\r\n", cancellationToken).ConfigureAwait(false);
            await ExpectSmtpReplyAsync(reader, "220", cancellationToken).ConfigureAwait(false);
        }
        // RFC 3207 §4.2 / RFC 9051 §11.1: nothing may be buffered past the STARTTLS answer.
        if (reader.HasBufferedData)
        {
            throw new ProbeFailedException("data injected before the TLS handshake");
        }
    }

    private static async Task SayGoodbyeAsync(ProbeProtocol protocol, Stream stream, CancellationToken cancellationToken)
    {
        var goodbye = protocol == ProbeProtocol.Imap ? "h2 LOGOUT\r\n" : "QUIT\r\n";
        try
        {
            await WriteAsync(stream, goodbye, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The server already answered the greeting; a goodbye lost on close changes nothing.
        }
    }

    private static async Task ExpectSmtpReplyAsync(LineReader reader, string code, CancellationToken cancellationToken)
    {
        string line;
        do
        {
            line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !line.StartsWith(code, StringComparison.Ordinal))
            {
                throw new ProbeFailedException($"unexpected SMTP reply (expected {code})");
            }
        }
        while (line.Length > 3 && line[3] == '-');
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads CRLF-terminated lines without reading past what it returns more than one buffer.</summary>
    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[4096];
        private int _start;
        private int _end;

        public bool HasBufferedData => _end > _start;

        public async Task<string> ReadLineAsync(CancellationToken cancellationToken)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end)
                {
                    _start = 0;
                    _end = await stream.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false);
                    if (_end == 0)
                    {
                        throw new ProbeFailedException("connection closed by the server before its greeting");
                    }
                }
                var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
                var stop = newline < 0 ? _end : newline;
                line.Append(Encoding.Latin1.GetString(_buffer, _start, stop - _start));
                if (line.Length > 8192)
                {
                    throw new ProbeFailedException("greeting line too long");
                }
                if (newline >= 0)
                {
                    _start = newline + 1;
                    return line.ToString().TrimEnd('\r');
                }
                _start = _end;
            }
        }
    }
}
