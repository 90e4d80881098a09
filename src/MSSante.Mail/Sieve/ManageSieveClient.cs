using System.Buffers;
using System.Globalization;
using System.Text;
using MSSante.Mail.Net;
using MSSante.Mail.Sasl;

namespace MSSante.Mail.Sieve;

/// <summary>
/// A ManageSieve client (RFC 5804): capabilities, STARTTLS, SASL AUTHENTICATE, and the script
/// commands the absence page needs. Strings go out quoted when safe, as non-synchronising
/// literals (<c>{n+}</c>) otherwise; server literals (<c>{n}</c>) are read wherever a string may be.
/// One command at a time; a NO becomes <see cref="ManageSieveCommandException"/>, anything that
/// leaves the connection unusable a <see cref="ManageSieveProtocolException"/>.
/// </summary>
public sealed class ManageSieveClient : IAsyncDisposable
{
    private readonly MailTransport _transport;
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly Dictionary<string, string?> _capabilities = new(StringComparer.OrdinalIgnoreCase);
    private bool _authenticated;

    /// <summary>Creates a client; nothing happens before <see cref="ConnectAsync(CancellationToken)"/>.</summary>
    public ManageSieveClient(MailConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _transport = new MailTransport(options, (message, inner) => new ManageSieveProtocolException(message, inner));
    }

    /// <summary>The connection options.</summary>
    public MailConnectionOptions Options { get; }

    /// <summary>The last capabilities the server announced (name to value, value null when absent).</summary>
    public IReadOnlyDictionary<string, string?> Capabilities => _capabilities;

    /// <summary>The Sieve extensions the server implements (capability SIEVE).</summary>
    public IReadOnlySet<string> SieveExtensions =>
        (_capabilities.GetValueOrDefault("SIEVE") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>True when the connection is open.</summary>
    public bool IsConnected => _transport.IsConnected;

    /// <summary>True once AUTHENTICATE succeeded.</summary>
    public bool IsAuthenticated => _authenticated;

    /// <summary>Connects, reads the capabilities, and upgrades to TLS when the security says so.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => ConnectCoreAsync(null, cancellationToken);

    /// <summary>Speaks ManageSieve over an already-open stream (tests).</summary>
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
            var greeting = await ReadCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
            if (!greeting.IsOk)
            {
                throw Fail("The server refused the connection: " + greeting.Text);
            }
            if (Options.Security == MailSecurity.StartTls)
            {
                if (!_capabilities.ContainsKey("STARTTLS"))
                {
                    throw Fail("The server does not offer STARTTLS: refusing to continue in clear text.");
                }
                Send("STARTTLS\r\n", "STARTTLS");
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
                var answer = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
                if (!answer.IsOk)
                {
                    throw new ManageSieveCommandException("STARTTLS", answer.Code, answer.Text);
                }
                await _transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
                // RFC 5804 §2.2: after TLS the server announces its capabilities again; forget the old ones.
                var again = await ReadCapabilitiesAsync(cancellationToken).ConfigureAwait(false);
                if (!again.IsOk)
                {
                    throw Fail("The server refused to continue after TLS: " + again.Text);
                }
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <summary>SASL authentication (RFC 5804 §2.1) with the first mechanism of <paramref name="credentials"/> the server offers.</summary>
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
            var offered = (_capabilities.GetValueOrDefault("SASL") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var mechanism = credentials.Choose(offered.Contains)
                ?? throw new ManageSieveCommandException("AUTHENTICATE", null, "No common authentication mechanism (the server offers: " + string.Join(", ", offered) + ").");
            var context = new SaslContext(Options.EffectiveServerName, Options.Port);
            var line = new StringBuilder("AUTHENTICATE ").Append(Quote(mechanism.Name));
            if (mechanism.HasInitialResponse)
            {
                var initial = await mechanism.RespondAsync(null, context, cancellationToken).ConfigureAwait(false);
                line.Append(' ').Append(Quote(Convert.ToBase64String(initial)));
            }
            Send(line.Append("\r\n").ToString(), "AUTHENTICATE " + Quote(mechanism.Name) + " ***");
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            var rounds = 0;
            while (true)
            {
                var tokens = await ReadTokensAsync(cancellationToken).ConfigureAwait(false);
                if (tokens.Count > 0 && tokens[0].Kind == TokenKind.Atom)
                {
                    var response = ToResponse(tokens);
                    if (response.Status == "BYE")
                    {
                        _transport.MarkBroken();
                        throw Fail("The server closed the connection: " + response.Text);
                    }
                    if (!response.IsOk)
                    {
                        var text = mechanism.ServerError is { Length: > 0 } err ? response.Text + " " + err : response.Text;
                        throw new ManageSieveCommandException("AUTHENTICATE", response.Code, text);
                    }
                    _authenticated = true;
                    return;
                }
                // RFC 5804 §2.1: a challenge is a string on its own line; the answer is a string too.
                if (tokens.Count != 1 || ++rounds > 10)
                {
                    throw Fail("Unexpected answer during the SASL exchange.");
                }
                byte[] challenge;
                try
                {
                    challenge = Convert.FromBase64String(tokens[0].Text);
                }
                catch (FormatException ex)
                {
                    throw new ManageSieveProtocolException("The server sent a SASL challenge that is not BASE64.", ex);
                }
                var answer = !mechanism.HasInitialResponse && rounds == 1 && challenge.Length == 0
                    ? await mechanism.RespondAsync(null, context, cancellationToken).ConfigureAwait(false)
                    : await mechanism.RespondAsync(challenge, context, cancellationToken).ConfigureAwait(false);
                Send(Quote(Convert.ToBase64String(answer)) + "\r\n", "***");
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _queue.Release();
        }
    }

    /// <summary>LISTSCRIPTS (RFC 5804 §2.7).</summary>
    public async Task<IReadOnlyList<SieveScriptInfo>> ListScriptsAsync(CancellationToken cancellationToken = default)
    {
        var scripts = new List<SieveScriptInfo>();
        await RunAsync("LISTSCRIPTS", [], tokens =>
        {
            if (tokens.Count >= 1 && tokens[0].Kind == TokenKind.String)
            {
                var active = tokens.Count > 1 && tokens[1].Kind == TokenKind.Atom && tokens[1].Text.Equals("ACTIVE", StringComparison.OrdinalIgnoreCase);
                scripts.Add(new SieveScriptInfo(tokens[0].Text, active));
                return true;
            }
            return false;
        }, cancellationToken).ConfigureAwait(false);
        return scripts;
    }

    /// <summary>PUTSCRIPT (RFC 5804 §2.6): stores (and checks) a script; returns the server's warnings, if any.</summary>
    public async Task<string?> PutScriptAsync(string name, string script, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(script);
        var response = await RunAsync("PUTSCRIPT", [Argument.Of(name), Argument.Literal(script)], null, cancellationToken).ConfigureAwait(false);
        return Warnings(response);
    }

    /// <summary>CHECKSCRIPT (RFC 5804 §2.12): verifies a script without storing it; returns the warnings, if any.</summary>
    public async Task<string?> CheckScriptAsync(string script, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(script);
        var response = await RunAsync("CHECKSCRIPT", [Argument.Literal(script)], null, cancellationToken).ConfigureAwait(false);
        return Warnings(response);
    }

    /// <summary>HAVESPACE (RFC 5804 §2.5): true when a script of <paramref name="size"/> octets would fit.</summary>
    public async Task<bool> HaveSpaceAsync(string name, long size, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        try
        {
            await RunAsync("HAVESPACE", [Argument.Of(name), Argument.Number(size)], null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (ManageSieveCommandException e) when (e.ResponseCode?.StartsWith("QUOTA", StringComparison.OrdinalIgnoreCase) == true)
        {
            return false;
        }
    }

    /// <summary>SETACTIVE (RFC 5804 §2.8); an empty name deactivates every script.</summary>
    public Task SetActiveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return RunAsync("SETACTIVE", [Argument.Of(name)], null, cancellationToken);
    }

    /// <summary>GETSCRIPT (RFC 5804 §2.9).</summary>
    public async Task<string> GetScriptAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        string? content = null;
        await RunAsync("GETSCRIPT", [Argument.Of(name)], tokens =>
        {
            if (content is null && tokens.Count == 1 && tokens[0].Kind == TokenKind.String)
            {
                content = tokens[0].Text;
                return true;
            }
            return false;
        }, cancellationToken).ConfigureAwait(false);
        return content ?? throw Fail("GETSCRIPT answered OK without the script.");
    }

    /// <summary>DELETESCRIPT (RFC 5804 §2.10); the active script cannot be deleted.</summary>
    public Task DeleteScriptAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return RunAsync("DELETESCRIPT", [Argument.Of(name)], null, cancellationToken);
    }

    /// <summary>LOGOUT (RFC 5804 §2.3).</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        if (!_transport.IsConnected)
        {
            return;
        }
        await RunAsync("LOGOUT", [], null, cancellationToken).ConfigureAwait(false);
        _transport.MarkBroken();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _transport.DisposeAsync().ConfigureAwait(false);
        _queue.Dispose();
    }

    private static string? Warnings(ManageSieveResponse response) =>
        response.Code?.StartsWith("WARNINGS", StringComparison.OrdinalIgnoreCase) == true && response.Text.Length > 0 ? response.Text : null;

    private async Task<ManageSieveResponse> RunAsync(string command, IReadOnlyList<Argument> arguments, Func<List<Token>, bool>? untagged, CancellationToken cancellationToken)
    {
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            RequireConnected();
            var log = new StringBuilder(command);
            _transport.Write(command);
            foreach (var a in arguments)
            {
                _transport.Write(" ");
                log.Append(' ');
                a.WriteTo(_transport, log);
            }
            _transport.Write("\r\n");
            Options.ProtocolLog?.Client(log.ToString());
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            var response = await ReadResponseAsync(untagged, cancellationToken).ConfigureAwait(false);
            if (response.Status == "BYE")
            {
                _transport.MarkBroken();
                if (command == "LOGOUT")
                {
                    return response;
                }
                throw Fail("The server closed the connection: " + response.Text);
            }
            if (!response.IsOk)
            {
                throw new ManageSieveCommandException(command, response.Code, response.Text);
            }
            return response;
        }
        finally
        {
            _queue.Release();
        }
    }

    private async Task<ManageSieveResponse> ReadCapabilitiesAsync(CancellationToken cancellationToken)
    {
        _capabilities.Clear();
        return await ReadResponseAsync(tokens =>
        {
            // RFC 5804 §1.7: capability lines are a string name and an optional string value.
            if (tokens.Count is 1 or 2 && tokens[0].Kind == TokenKind.String)
            {
                _capabilities[tokens[0].Text] = tokens.Count == 2 ? tokens[1].Text : null;
                return true;
            }
            return false;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ManageSieveResponse> ReadResponseAsync(Func<List<Token>, bool>? untagged, CancellationToken cancellationToken)
    {
        while (true)
        {
            var tokens = await ReadTokensAsync(cancellationToken).ConfigureAwait(false);
            if (tokens.Count > 0 && tokens[0].Kind == TokenKind.Atom && tokens[0].Text.ToUpperInvariant() is "OK" or "NO" or "BYE")
            {
                return ToResponse(tokens);
            }
            if (untagged is null || !untagged(tokens))
            {
                throw Fail("Unexpected line from the server.");
            }
        }
    }

    private static ManageSieveResponse ToResponse(List<Token> tokens)
    {
        var status = tokens[0].Text.ToUpperInvariant();
        string? code = null;
        var i = 1;
        if (i < tokens.Count && tokens[i].Kind == TokenKind.Open)
        {
            var parts = new List<string>();
            i++;
            while (i < tokens.Count && tokens[i].Kind != TokenKind.Close)
            {
                parts.Add(tokens[i].Text);
                i++;
            }
            i++;
            code = string.Join(' ', parts);
        }
        var text = i < tokens.Count && tokens[i].Kind == TokenKind.String ? tokens[i].Text : string.Empty;
        return new ManageSieveResponse(status, code, text);
    }

    // Reads one response line, following literals ({n} at the end of a line) into the next line.
    private async Task<List<Token>> ReadTokensAsync(CancellationToken cancellationToken)
    {
        var tokens = new List<Token>();
        var logged = new StringBuilder();
        while (true)
        {
            var buffer = new ArrayBufferWriter<byte>();
            await _transport.ReadLineAsync(buffer, null, cancellationToken).ConfigureAwait(false);
            var line = buffer.WrittenSpan;
            var literal = Tokenize(line, tokens);
            logged.Append(Encoding.UTF8.GetString(line));
            if (literal is null)
            {
                Options.ProtocolLog?.Server(logged.ToString());
                return tokens;
            }
            if (literal.Value > Options.MaxLiteralSize)
            {
                _transport.MarkBroken();
                throw Fail($"The server announced a literal of {literal.Value} bytes, over the limit.");
            }
            var content = new ArrayBufferWriter<byte>();
            await _transport.ReadExactAsync(content, literal.Value, cancellationToken).ConfigureAwait(false);
            tokens.Add(new Token(TokenKind.String, Encoding.UTF8.GetString(content.WrittenSpan)));
            logged.Append(CultureInfo.InvariantCulture, $" <{literal.Value} bytes>");
        }
    }

    /// <summary>Appends the tokens of <paramref name="line"/>; returns the size of a literal that ends it, or null.</summary>
    internal static long? Tokenize(ReadOnlySpan<byte> line, List<Token> tokens)
    {
        var i = 0;
        while (i < line.Length)
        {
            var c = line[i];
            if (c == ' ')
            {
                i++;
            }
            else if (c == '(')
            {
                tokens.Add(new Token(TokenKind.Open, "("));
                i++;
            }
            else if (c == ')')
            {
                tokens.Add(new Token(TokenKind.Close, ")"));
                i++;
            }
            else if (c == '"')
            {
                var value = new List<byte>();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        throw new ManageSieveProtocolException("Unterminated quoted string from the server.");
                    }
                    if (line[i] == '\\' && i + 1 < line.Length)
                    {
                        value.Add(line[i + 1]);
                        i += 2;
                        continue;
                    }
                    if (line[i] == '"')
                    {
                        i++;
                        break;
                    }
                    value.Add(line[i]);
                    i++;
                }
                tokens.Add(new Token(TokenKind.String, Encoding.UTF8.GetString([.. value])));
            }
            else if (c == '{')
            {
                var close = line[i..].IndexOf((byte)'}');
                if (close < 0 || i + close != line.Length - 1)
                {
                    throw new ManageSieveProtocolException("Malformed literal from the server.");
                }
                var digits = Encoding.ASCII.GetString(line.Slice(i + 1, close - 1)).TrimEnd('+');
                if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
                {
                    throw new ManageSieveProtocolException("Malformed literal length from the server.");
                }
                return size;
            }
            else
            {
                var start = i;
                while (i < line.Length && line[i] is not (byte)' ' and not (byte)'(' and not (byte)')' and not (byte)'"' and not (byte)'{')
                {
                    i++;
                }
                tokens.Add(new Token(TokenKind.Atom, Encoding.UTF8.GetString(line[start..i])));
            }
        }
        return null;
    }

    /// <summary>A quoted string (RFC 5804 §4); callers check <see cref="IsQuotable"/> first.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static bool IsQuotable(string value) =>
        value.Length <= 1024 && value.All(ch => ch is >= ' ' and < (char)0x7f);

    private void Send(string line, string logged)
    {
        _transport.Write(line);
        Options.ProtocolLog?.Client(logged);
    }

    private void RequireConnected()
    {
        if (!_transport.IsConnected)
        {
            throw new ManageSieveProtocolException("Not connected.");
        }
    }

    private static ManageSieveProtocolException Fail(string message) => new(message);

    internal enum TokenKind
    {
        Atom,
        String,
        Open,
        Close,
    }

    internal readonly record struct Token(TokenKind Kind, string Text);

    private readonly record struct Argument(string? Quoted, byte[]? LiteralBytes, bool Hidden)
    {
        public static Argument Of(string value) => IsQuotable(value) ? new(Quote(value), null, false) : new(null, Encoding.UTF8.GetBytes(value), false);

        // Script bodies always travel as literals and never reach the protocol log.
        public static Argument Literal(string value) => new(null, Encoding.UTF8.GetBytes(value), true);

        public static Argument Number(long value) => new(value.ToString(CultureInfo.InvariantCulture), null, false);

        public void WriteTo(MailTransport transport, StringBuilder log)
        {
            if (Quoted is not null)
            {
                transport.Write(Quoted);
                log.Append(Quoted);
                return;
            }
            // RFC 5804 §4: the client may always use non-synchronising literals.
            var marker = "{" + LiteralBytes!.Length.ToString(CultureInfo.InvariantCulture) + "+}\r\n";
            transport.Write(marker);
            transport.Write(LiteralBytes);
            log.Append(marker.TrimEnd()).Append(Hidden ? " <script>" : " <literal>");
        }
    }
}
