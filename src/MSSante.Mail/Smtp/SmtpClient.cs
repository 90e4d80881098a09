using System.Buffers;
using System.Globalization;
using System.Text;
using MSSante.Mail.Net;
using MSSante.Mail.Sasl;

namespace MSSante.Mail.Smtp;

/// <summary>
/// A submission client (RFC 6409 over RFC 5321): STARTTLS or implicit TLS, EHLO extensions,
/// AUTH, PIPELINING, SIZE, 8BITMIME, SMTPUTF8, DSN, CHUNKING, per-recipient results. Failures
/// come in two families: <see cref="SmtpProtocolException"/> (reconnect) and
/// <see cref="SmtpCommandException"/> (the server refused; the connection is still usable).
/// </summary>
public sealed class SmtpClient : IAsyncDisposable
{
    private readonly MailTransport _transport;
    private readonly IMailProtocolLog? _log;
    private readonly ArrayBufferWriter<byte> _line = new(512);
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly Dictionary<string, string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private bool _authenticated;

    /// <summary>Creates a client; nothing is sent yet.</summary>
    public SmtpClient(MailConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _log = options.ProtocolLog;
        _transport = new MailTransport(options, static (m, e) => new SmtpProtocolException(m, e));
    }

    /// <summary>The connection settings.</summary>
    public MailConnectionOptions Options { get; }

    /// <summary>The name sent in EHLO.</summary>
    public string LocalDomain { get; set; } = "localhost";

    /// <summary>The EHLO keywords and their parameters (e.g. <c>SIZE</c> → <c>10240000</c>).</summary>
    public IReadOnlyDictionary<string, string> Extensions => _extensions;

    /// <summary>The SIZE limit announced by the server, or null.</summary>
    public long? MaxMessageSize
        => _extensions.TryGetValue("SIZE", out var v) && long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>True while the connection is usable.</summary>
    public bool IsConnected => _transport.IsConnected;

    /// <summary>True when TLS protects the connection.</summary>
    public bool IsEncrypted => _transport.IsEncrypted;

    /// <summary>The negotiated TLS version, or null without TLS.</summary>
    public System.Security.Authentication.SslProtocols? TlsProtocol => _transport.Tls?.SslProtocol;

    /// <summary>The negotiated TLS cipher suite, or null without TLS.</summary>
    public System.Net.Security.TlsCipherSuite? TlsCipherSuite => _transport.Tls?.NegotiatedCipherSuite;

    /// <summary>True when the server offers the extension.</summary>
    public bool Supports(string extension) => _extensions.ContainsKey(extension);

    /// <summary>Connects, reads the greeting, EHLO, and STARTTLS + EHLO again when configured.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => ConnectCoreAsync(null, cancellationToken);

    /// <summary>Speaks SMTP over an already-open stream (tests, tunnels).</summary>
    public Task ConnectAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ConnectCoreAsync(stream, cancellationToken);
    }

    private async Task ConnectCoreAsync(Stream? stream, CancellationToken cancellationToken)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (stream is null)
            {
                await _transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                _transport.Attach(stream);
            }
            var greeting = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                await _transport.DisposeAsync().ConfigureAwait(false);
                throw new SmtpProtocolException($"The server refused the connection: {greeting.Code} {greeting.Text}");
            }
            await EhloAsync(cancellationToken).ConfigureAwait(false);
            if (Options.Security == MailSecurity.StartTls)
            {
                if (!Supports("STARTTLS"))
                {
                    await _transport.DisposeAsync().ConfigureAwait(false);
                    throw new SmtpProtocolException("The server does not offer STARTTLS: refusing to continue in clear text.");
                }
                var reply = await CommandAsync("STARTTLS", "STARTTLS", cancellationToken).ConfigureAwait(false);
                if (reply.Code != 220)
                {
                    throw Refused("STARTTLS", reply);
                }
                await _transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
                // RFC 3207 §4.2: forget what was learnt before TLS and greet again.
                await EhloAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    private async Task EhloAsync(CancellationToken cancellationToken)
    {
        _extensions.Clear();
        var reply = await CommandAsync("EHLO " + LocalDomain, "EHLO", cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            // RFC 5321 §4.1.4: fall back to HELO (no extensions) for very old servers.
            var helo = await CommandAsync("HELO " + LocalDomain, "HELO", cancellationToken).ConfigureAwait(false);
            if (!helo.IsSuccess)
            {
                throw Refused("HELO", helo);
            }
            return;
        }
        foreach (var line in reply.Text.Split('\n').Skip(1))
        {
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                continue;
            }
            var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
            var key = space < 0 ? trimmed : trimmed[..space];
            var value = space < 0 ? string.Empty : trimmed[(space + 1)..];
            if (key.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
            {
                // the pre-standard "AUTH=PLAIN LOGIN" form some servers still send
                key = "AUTH";
                value = trimmed[5..].Replace('=', ' ');
                if (_extensions.TryGetValue("AUTH", out var existing))
                {
                    value = existing + " " + value;
                }
            }
            _extensions[key] = value;
        }
    }

    /// <summary>
    /// AUTH (RFC 4954) with the first mechanism of <paramref name="credentials"/> the server offers,
    /// initial response included. A refused token raises <see cref="SmtpCommandException"/> (535 5.7.8).
    /// </summary>
    public async Task AuthenticateAsync(MailCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequireConnected();
            if (_authenticated)
            {
                throw new InvalidOperationException("Already authenticated.");
            }
            var offered = new HashSet<string>(
                (_extensions.GetValueOrDefault("AUTH") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries),
                StringComparer.OrdinalIgnoreCase);
            var mechanism = credentials.Choose(offered.Contains)
                ?? throw new SmtpCommandException("AUTH", 504, "5.5.4", "Aucun mécanisme d'authentification commun (le serveur propose : " + string.Join(", ", offered) + ").");
            var context = new SaslContext(Options.EffectiveServerName, Options.Port);
            var line = "AUTH " + mechanism.Name;
            if (mechanism.HasInitialResponse)
            {
                var initial = await mechanism.RespondAsync(null, context, cancellationToken).ConfigureAwait(false);
                line += " " + (initial.Length == 0 ? "=" : Convert.ToBase64String(initial));
            }
            var reply = await CommandAsync(line, "AUTH " + mechanism.Name + " ***", cancellationToken).ConfigureAwait(false);
            var rounds = 0;
            while (reply.Code == 334)
            {
                if (++rounds > 10)
                {
                    throw new SmtpProtocolException("The SASL exchange does not end.");
                }
                byte[] challenge;
                try
                {
                    challenge = Convert.FromBase64String(reply.Text.Trim());
                }
                catch (FormatException ex)
                {
                    throw new SmtpProtocolException("The server sent a SASL challenge that is not BASE64.", ex);
                }
                var response = !mechanism.HasInitialResponse && rounds == 1 && challenge.Length == 0
                    ? await mechanism.RespondAsync(null, context, cancellationToken).ConfigureAwait(false)
                    : await mechanism.RespondAsync(challenge, context, cancellationToken).ConfigureAwait(false);
                reply = await CommandAsync(Convert.ToBase64String(response), "***", cancellationToken).ConfigureAwait(false);
            }
            if (reply.Code != 235)
            {
                var text = mechanism.ServerError is { Length: > 0 } err ? reply.Text + " " + err : reply.Text;
                throw new SmtpCommandException("AUTH", reply.Code, reply.EnhancedCode, text);
            }
            _authenticated = true;
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <summary>Sends a message read from a stream (buffered: SIZE and BDAT need its length).</summary>
    public async Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, Stream message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        await message.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return await SendAsync(envelope, buffer.GetBuffer().AsMemory(0, (int)buffer.Length), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends one message: MAIL FROM (SIZE, BODY, SMTPUTF8, RET, ENVID), RCPT TO for each recipient
    /// (NOTIFY, ORCPT), then DATA (dot-stuffed) or BDAT. Pipelined when the server allows it.
    /// Returns per-recipient results when at least one recipient was accepted and the data was
    /// accepted; throws <see cref="SmtpRecipientsRefusedException"/> when none was, and
    /// <see cref="SmtpMessageTooLargeException"/> before sending anything when SIZE forbids it.
    /// </summary>
    public async Task<SmtpSendResult> SendAsync(SmtpEnvelope envelope, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        if (envelope.Recipients.Count == 0)
        {
            throw new ArgumentException("At least one recipient is needed.", nameof(envelope));
        }
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequireConnected();
            if (MaxMessageSize is { } limit && message.Length > limit)
            {
                throw new SmtpMessageTooLargeException(message.Length, limit);
            }
            var eightBit = message.Span.IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0;
            var utf8Addresses = !IsAscii(envelope.From) || envelope.Recipients.Any(r => !IsAscii(r.Address));
            if (utf8Addresses && !Supports("SMTPUTF8"))
            {
                throw new SmtpCommandException("MAIL", 553, "5.6.7", "Le serveur n'accepte pas les adresses internationalisées (SMTPUTF8 absent).");
            }
            var mail = new StringBuilder("MAIL FROM:<").Append(envelope.From).Append('>');
            if (Supports("SIZE"))
            {
                mail.Append(" SIZE=").Append(message.Length.ToString(CultureInfo.InvariantCulture));
            }
            if (eightBit && Supports("8BITMIME"))
            {
                mail.Append(" BODY=8BITMIME");
            }
            // RFC 6531 §3.4: SMTPUTF8 for internationalised addresses. Not for raw UTF-8 headers alone:
            // relays that lack it downstream (Dovecot 2.3 LMTP) would bounce what 8BITMIME carries fine.
            if (utf8Addresses)
            {
                mail.Append(" SMTPUTF8");
            }
            var dsn = Supports("DSN");
            if (dsn && envelope.Return != SmtpDsnReturn.Default)
            {
                mail.Append(" RET=").Append(envelope.Return == SmtpDsnReturn.Full ? "FULL" : "HDRS");
            }
            if (dsn && envelope.EnvelopeId is { } envid)
            {
                mail.Append(" ENVID=").Append(XText(envid));
            }
            var rcptLines = envelope.Recipients.Select(r => RcptLine(r, dsn)).ToList();
            var chunking = Supports("CHUNKING");
            var pipelining = Supports("PIPELINING");

            SmtpReply mailReply;
            var rcptReplies = new List<SmtpReply>(rcptLines.Count);
            SmtpReply? dataReply = null;
            if (pipelining)
            {
                // RFC 2920 §3.1: MAIL, every RCPT and DATA go in one write; replies come back in order.
                WriteLine(mail.ToString(), "MAIL FROM:<***>" + mail.ToString()[(mail.ToString().IndexOf('>', StringComparison.Ordinal) + 1)..]);
                foreach (var l in rcptLines)
                {
                    WriteLine(l, "RCPT TO:<***>");
                }
                if (!chunking)
                {
                    WriteLine("DATA", "DATA");
                }
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
                mailReply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                foreach (var _ in rcptLines)
                {
                    rcptReplies.Add(await ReadReplyAsync(cancellationToken).ConfigureAwait(false));
                }
                if (!chunking)
                {
                    dataReply = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                mailReply = await CommandAsync(mail.ToString(), "MAIL FROM:<***>", cancellationToken).ConfigureAwait(false);
                if (mailReply.IsSuccess)
                {
                    foreach (var l in rcptLines)
                    {
                        rcptReplies.Add(await CommandAsync(l, "RCPT TO:<***>", cancellationToken).ConfigureAwait(false));
                    }
                }
            }
            if (!mailReply.IsSuccess)
            {
                await AbortAsync(dataReply, cancellationToken).ConfigureAwait(false);
                if (mailReply.Code == 552 && MaxMessageSize is { } max)
                {
                    throw new SmtpMessageTooLargeException(message.Length, max);
                }
                throw Refused("MAIL", mailReply);
            }
            var results = envelope.Recipients.Select((r, i) => new SmtpRecipientResult(r.Address, rcptReplies[i].IsSuccess, rcptReplies[i])).ToList();
            if (!results.Exists(r => r.Accepted))
            {
                await AbortAsync(dataReply, cancellationToken).ConfigureAwait(false);
                throw new SmtpRecipientsRefusedException(results);
            }
            SmtpReply final;
            if (chunking)
            {
                // RFC 3030: BDAT carries the exact bytes, no dot-stuffing.
                WriteLine("BDAT " + message.Length.ToString(CultureInfo.InvariantCulture) + " LAST", "BDAT " + message.Length.ToString(CultureInfo.InvariantCulture) + " LAST");
                _log?.Client($"<{message.Length} bytes of message elided>");
                await _transport.WriteThroughAsync(message, cancellationToken).ConfigureAwait(false);
                final = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                dataReply ??= await CommandAsync("DATA", "DATA", cancellationToken).ConfigureAwait(false);
                if (dataReply.Code != 354)
                {
                    await ResetCoreAsync(cancellationToken).ConfigureAwait(false);
                    throw Refused("DATA", dataReply);
                }
                _log?.Client($"<{message.Length} bytes of message elided, dot-stuffed>");
                await _transport.WriteThroughAsync(DotStuff(message.Span), cancellationToken).ConfigureAwait(false);
                WriteLine(".", ".");
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
                final = await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
            }
            if (!final.IsSuccess)
            {
                await ResetCoreAsync(cancellationToken).ConfigureAwait(false);
                throw Refused(chunking ? "BDAT" : "DATA", final);
            }
            return new SmtpSendResult { Recipients = results, DataReply = final };
        }
        catch (OperationCanceledException)
        {
            _transport.MarkBroken();
            throw;
        }
        finally
        {
            _queue.Release();
        }
    }

    private async Task AbortAsync(SmtpReply? pipelinedDataReply, CancellationToken cancellationToken)
    {
        if (pipelinedDataReply is { Code: 354 })
        {
            // RFC 2920 §3.1 servers refuse a pipelined DATA when no recipient was accepted; a server
            // that accepted it anyway gets an empty message end before RSET.
            WriteLine(".", ".");
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
        }
        await ResetCoreAsync(cancellationToken).ConfigureAwait(false);
    }

    private string RcptLine(SmtpRecipient r, bool dsn)
    {
        var sb = new StringBuilder("RCPT TO:<").Append(r.Address).Append('>');
        if (dsn && r.Notify != SmtpNotify.Default)
        {
            var parts = new List<string>();
            if (r.Notify.HasFlag(SmtpNotify.Never))
            {
                parts.Add("NEVER");
            }
            else
            {
                if (r.Notify.HasFlag(SmtpNotify.Success))
                {
                    parts.Add("SUCCESS");
                }
                if (r.Notify.HasFlag(SmtpNotify.Failure))
                {
                    parts.Add("FAILURE");
                }
                if (r.Notify.HasFlag(SmtpNotify.Delay))
                {
                    parts.Add("DELAY");
                }
            }
            sb.Append(" NOTIFY=").Append(string.Join(',', parts));
        }
        if (dsn && r.OriginalRecipient is { } orcpt)
        {
            sb.Append(IsAscii(orcpt) ? " ORCPT=rfc822;" + XText(orcpt) : " ORCPT=utf-8;" + XText(orcpt));
        }
        return sb.ToString();
    }

    /// <summary>xtext (RFC 3461 §4): '+', '=' and characters outside 33..126 as +XX.</summary>
    internal static string XText(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is < 33 or > 126 or (byte)'+' or (byte)'=')
            {
                sb.Append('+').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append((char)b);
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// RFC 5321 §4.5.2: a line starting with '.' gets one more; bare LF becomes CRLF; the data ends with CRLF.
    /// </summary>
    internal static byte[] DotStuff(ReadOnlySpan<byte> message)
    {
        var output = new ArrayBufferWriter<byte>(message.Length + 64);
        var lineStart = true;
        for (var i = 0; i < message.Length; i++)
        {
            var b = message[i];
            if (lineStart && b == (byte)'.')
            {
                output.Write("."u8);
            }
            if (b == (byte)'\n' && (i == 0 || message[i - 1] != (byte)'\r'))
            {
                output.Write("\r"u8);
            }
            output.GetSpan(1)[0] = b;
            output.Advance(1);
            lineStart = b == (byte)'\n';
        }
        if (!lineStart)
        {
            output.Write("\r\n"u8);
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>RSET: abandons the current transaction.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequireConnected();
            await ResetCoreAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _queue.Release();
        }
    }

    private async Task ResetCoreAsync(CancellationToken cancellationToken)
    {
        var reply = await CommandAsync("RSET", "RSET", cancellationToken).ConfigureAwait(false);
        if (!reply.IsSuccess)
        {
            throw Refused("RSET", reply);
        }
    }

    /// <summary>NOOP.</summary>
    public async Task NoopAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequireConnected();
            var reply = await CommandAsync("NOOP", "NOOP", cancellationToken).ConfigureAwait(false);
            if (!reply.IsSuccess)
            {
                throw Refused("NOOP", reply);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <summary>QUIT and close. Never throws for a connection already gone.</summary>
    public async Task QuitAsync(CancellationToken cancellationToken = default)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_transport.IsConnected)
            {
                await CommandAsync("QUIT", "QUIT", cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SmtpProtocolException)
        {
            // closing anyway
        }
        finally
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
            _queue.Release();
        }
    }

    /// <summary>Closes the connection without QUIT.</summary>
    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    private void RequireConnected()
    {
        if (!_transport.IsConnected)
        {
            throw new SmtpProtocolException("The connection is closed.");
        }
    }

    private static bool IsAscii(string s) => s.All(c => c < 0x80);

    private static SmtpCommandException Refused(string command, SmtpReply reply)
        => new(command, reply.Code, reply.EnhancedCode, reply.Text);

    private void WriteLine(string line, string logText)
    {
        _transport.Write(Encoding.UTF8.GetBytes(line));
        _transport.Write("\r\n");
        _log?.Client(logText);
    }

    private async Task<SmtpReply> CommandAsync(string line, string logText, CancellationToken cancellationToken)
    {
        WriteLine(line, logText);
        await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
        return await ReadReplyAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one possibly multi-line reply (RFC 5321 §4.2.1).</summary>
    private async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        var code = -1;
        string? enhanced = null;
        for (var lines = 0; ; lines++)
        {
            if (lines > 1000)
            {
                _transport.MarkBroken();
                throw new SmtpProtocolException("The server's reply does not end.");
            }
            _line.Clear();
            await _transport.ReadLineAsync(_line, null, cancellationToken).ConfigureAwait(false);
            var span = _line.WrittenSpan;
            _log?.Server(ProtocolText.Printable(span));
            if (span.Length < 3 || !IsDigit(span[0]) || !IsDigit(span[1]) || !IsDigit(span[2]) || span[0] < (byte)'2' || span[0] > (byte)'5'
                || (span.Length > 3 && span[3] != (byte)' ' && span[3] != (byte)'-'))
            {
                _transport.MarkBroken();
                throw new SmtpProtocolException("Malformed server reply: " + ProtocolText.Printable(span, 80));
            }
            var lineCode = ((span[0] - '0') * 100) + ((span[1] - '0') * 10) + (span[2] - '0');
            if (code >= 0 && lineCode != code)
            {
                _transport.MarkBroken();
                throw new SmtpProtocolException("Inconsistent codes in a multi-line reply.");
            }
            code = lineCode;
            var lineText = span.Length > 4 ? Encoding.UTF8.GetString(span[4..]) : string.Empty;
            // RFC 3463 / RFC 2034: class.subject.detail, the class matching the reply's first digit.
            var ec = EnhancedCodeAt(lineText, span[0]);
            if (ec is not null)
            {
                enhanced ??= ec;
                lineText = lineText[ec.Length..].TrimStart();
            }
            if (text.Length > 0)
            {
                text.Append('\n');
            }
            text.Append(lineText);
            if (span.Length == 3 || span[3] == (byte)' ')
            {
                break;
            }
        }
        return new SmtpReply(code, enhanced, text.ToString());
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static string? EnhancedCodeAt(string text, byte cls)
    {
        if (text.Length < 5 || text[0] != (char)cls || text[1] != '.')
        {
            return null;
        }
        var i = 2;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        if (i == start || i - start > 3 || i >= text.Length || text[i] != '.')
        {
            return null;
        }
        i++;
        start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }
        if (i == start || i - start > 3 || (i < text.Length && text[i] != ' '))
        {
            return null;
        }
        return text[..i];
    }
}
