using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace MSSante.Mail.Net;

/// <summary>
/// The byte pipe under both clients: TCP connect, TLS (implicit or upgraded), buffered reads of
/// lines and exact byte counts, buffered writes, and a timeout on every wait. Every failure is
/// turned into the protocol family of the owning client through <see cref="_fail"/>.
/// </summary>
internal sealed class MailTransport : IAsyncDisposable
{
    private readonly MailConnectionOptions _options;
    private readonly Func<string, Exception?, MailProtocolException> _fail;
    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private Socket? _socket;
    private Stream? _stream;
    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _broken;

    public MailTransport(MailConnectionOptions options, Func<string, Exception?, MailProtocolException> fail)
    {
        _options = options;
        _fail = fail;
    }

    public bool IsConnected => _stream is not null && !_broken;

    public bool IsEncrypted => _stream is SslStream;

    public SslStream? Tls => _stream as SslStream;

    public TimeSpan Timeout => _options.Timeout;

    /// <summary>Opens the TCP connection (and TLS when the security is implicit TLS).</summary>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using (var cts = Linked(cancellationToken, _options.Timeout))
        {
            try
            {
                await socket.ConnectAsync(_options.Host, _options.Port, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                socket.Dispose();
                throw _fail($"Connection to {_options.Host}:{_options.Port} timed out after {_options.Timeout.TotalSeconds:0.#} s.", null);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                throw _fail($"Cannot connect to {_options.Host}:{_options.Port}: {ex.SocketErrorCode}.", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _options.ProtocolLog?.Event($"connected to {_options.Host}:{_options.Port}");
        if (_options.Security == MailSecurity.Tls)
        {
            await StartTlsAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Uses an already-open stream (tests over an in-memory duplex stream).</summary>
    public void Attach(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>
    /// Negotiates TLS 1.2+ with the configured cipher suites over the current stream, validating
    /// the server chain against the configured trust anchors only (custom root trust) and the
    /// expected host name.
    /// </summary>
    public async Task StartTlsAsync(CancellationToken cancellationToken)
    {
        var inner = _stream ?? throw _fail("Not connected.", null);
        if (_options.TrustAnchors.Count == 0)
        {
            throw _fail("No trust anchor is configured for TLS: refusing to trust anything.", null);
        }
        if (_start != _end)
        {
            // RFC 3207 §4.2 / RFC 9051 §6.2.1: bytes sent before the handshake are an injection attempt.
            throw _fail("The server sent data after its STARTTLS answer and before the TLS handshake.", null);
        }
        string? validationFailure = null;
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = _options.RevocationMode,
            RevocationFlag = X509RevocationFlag.ExcludeRoot,
            DisableCertificateDownloads = true,
        };
        policy.CustomTrustStore.AddRange(_options.TrustAnchors);
        policy.ExtraStore.AddRange(_options.ExtraIntermediates);
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = _options.EffectiveServerName,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CipherSuitesPolicy = MailCipherSuites.CreatePolicy(_options.CipherSuites),
            CertificateRevocationCheckMode = _options.RevocationMode,
            CertificateChainPolicy = policy,
            ClientCertificates = _options.ClientCertificate is null ? null : [_options.ClientCertificate],
            LocalCertificateSelectionCallback = _options.ClientCertificate is null
                ? null
                : (_, _, _, _, _) => _options.ClientCertificate,
            RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            {
                if (errors == SslPolicyErrors.None)
                {
                    return true;
                }
                validationFailure = DescribeFailure(certificate, chain, errors);
                return false;
            },
        };
        using var cts = Linked(cancellationToken, _options.Timeout);
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            _broken = true;
            throw _fail("TLS handshake timed out.", null);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            _broken = true;
            throw _fail(validationFailure is null
                ? "TLS handshake failed: " + ex.Message
                : "The server certificate is not acceptable: " + validationFailure, ex);
        }
        _stream = ssl;
        _options.ProtocolLog?.Event($"TLS {ssl.SslProtocol} {ssl.NegotiatedCipherSuite}");
    }

    internal static string DescribeFailure(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        var reasons = new List<string>();
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            reasons.Add("no certificate presented");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            reasons.Add("host name mismatch");
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors) && chain is not null)
        {
            foreach (var status in chain.ChainStatus)
            {
                var text = status.Status switch
                {
                    X509ChainStatusFlags.UntrustedRoot or X509ChainStatusFlags.PartialChain => "issuer not among the trust anchors",
                    X509ChainStatusFlags.NotTimeValid => "certificate expired or not yet valid",
                    X509ChainStatusFlags.Revoked => "certificate revoked",
                    X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation => "revocation status unknown",
                    _ => status.Status.ToString(),
                };
                if (!reasons.Contains(text))
                {
                    reasons.Add(text);
                }
            }
        }
        var subject = certificate?.Subject ?? "(none)";
        return string.Join(", ", reasons) + " (subject " + subject + ")";
    }

    /// <summary>Reads one line ending in CRLF (or bare LF) and appends it, without the line end, to <paramref name="into"/>.</summary>
    /// <returns>The number of bytes appended.</returns>
    public async ValueTask<int> ReadLineAsync(ArrayBufferWriter<byte> into, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var lf = span.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                var len = lf > 0 && span[lf - 1] == (byte)'\r' ? lf - 1 : lf;
                CheckLine(total + len);
                into.Write(span[..len]);
                _start += lf + 1;
                return total + len;
            }
            // Keep a trailing CR in the buffer in case the LF comes in the next read.
            var keep = span.Length > 0 && span[^1] == (byte)'\r' ? 1 : 0;
            var take = span.Length - keep;
            if (take > 0)
            {
                CheckLine(total + take);
                into.Write(span[..take]);
                total += take;
                _start += take;
            }
            await FillAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    private void CheckLine(int length)
    {
        if (length > _options.MaxLineLength)
        {
            _broken = true;
            throw _fail($"The server sent a line longer than {_options.MaxLineLength} bytes.", null);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes into <paramref name="into"/>.</summary>
    public async ValueTask ReadExactAsync(ArrayBufferWriter<byte> into, long count, CancellationToken cancellationToken)
    {
        var remaining = count;
        while (remaining > 0)
        {
            if (_start == _end)
            {
                await FillAsync(null, cancellationToken).ConfigureAwait(false);
            }
            var n = (int)Math.Min(remaining, _end - _start);
            into.Write(_buffer.AsSpan(_start, n));
            _start += n;
            remaining -= n;
        }
    }

    private async ValueTask FillAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var stream = _stream;
        if (stream is null || _broken)
        {
            throw _fail("The connection is closed.", null);
        }
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }
        int read;
        var wait = timeout ?? _options.Timeout;
        using var cts = Linked(cancellationToken, wait);
        try
        {
            read = await stream.ReadAsync(_buffer.AsMemory(_end), cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _broken = true;
            throw _fail($"The server did not answer within {wait.TotalSeconds:0.#} s.", null);
        }
        catch (OperationCanceledException)
        {
            // A half-read response leaves the protocol state unknown: the connection cannot be reused.
            _broken = true;
            throw;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            _broken = true;
            throw _fail("The connection was lost: " + ex.Message, ex);
        }
        if (read == 0)
        {
            _broken = true;
            throw _fail("The server closed the connection.", null);
        }
        _end += read;
    }

    /// <summary>True when a complete line or more is already buffered (no wait needed).</summary>
    public bool HasBufferedData => _start < _end;

    public void Write(ReadOnlySpan<byte> bytes) => _out.Write(bytes);

    public void Write(string ascii)
    {
        var span = _out.GetSpan(ascii.Length);
        for (var i = 0; i < ascii.Length; i++)
        {
            span[i] = (byte)ascii[i];
        }
        _out.Advance(ascii.Length);
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        var stream = _stream;
        if (stream is null || _broken)
        {
            throw _fail("The connection is closed.", null);
        }
        if (_out.WrittenCount == 0)
        {
            return;
        }
        using var cts = Linked(cancellationToken, _options.Timeout);
        try
        {
            await stream.WriteAsync(_out.WrittenMemory, cts.Token).ConfigureAwait(false);
            await stream.FlushAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _broken = true;
            throw _fail("Sending to the server timed out.", null);
        }
        catch (OperationCanceledException)
        {
            _broken = true;
            throw;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
        {
            _broken = true;
            throw _fail("The connection was lost while sending: " + ex.Message, ex);
        }
        finally
        {
            _out.Clear();
        }
    }

    /// <summary>Writes a large payload straight through (message bodies), honouring the timeout per chunk.</summary>
    public async ValueTask WriteThroughAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        const int Chunk = 64 * 1024;
        for (var offset = 0; offset < data.Length; offset += Chunk)
        {
            _out.Write(data.Span.Slice(offset, Math.Min(Chunk, data.Length - offset)));
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public void MarkBroken() => _broken = true;

    public async ValueTask DisposeAsync()
    {
        _broken = true;
        var stream = _stream;
        _stream = null;
        if (stream is not null)
        {
            try
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // closing a dead connection
            }
        }
        _socket = null;
    }

    private static CancellationTokenSource Linked(CancellationToken cancellationToken, TimeSpan timeout)
    {
        var cts = cancellationToken.CanBeCanceled
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : new CancellationTokenSource();
        if (timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            cts.CancelAfter(timeout);
        }
        return cts;
    }
}
