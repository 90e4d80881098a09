using System.Text;
using MSSante.Mail.Sasl;

namespace MSSante.Mail.Imap;

/// <summary>
/// An IMAP4rev1/IMAP4rev2 client (RFC 3501, RFC 9051) for one connection. Calls are queued: one
/// command sequence runs at a time; a call made while <see cref="IdleAsync"/> runs ends the IDLE
/// first. Failures come in two families: <see cref="ImapProtocolException"/> (reconnect) and
/// <see cref="ImapCommandException"/> (the server said NO/BAD; the connection is still usable).
/// </summary>
public sealed partial class ImapClient : IAsyncDisposable
{
    private readonly ImapEngine _engine;

    /// <summary>Creates a client for the server described by <paramref name="options"/>; nothing is sent yet.</summary>
    public ImapClient(MailConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _engine = new ImapEngine(options);
        _engine.MailboxEvent += (_, e) => MailboxChanged?.Invoke(this, e);
        _engine.Alert += (_, e) => Alert?.Invoke(this, e);
    }

    /// <summary>The connection settings.</summary>
    public MailConnectionOptions Options { get; }

    /// <summary>How long an IDLE lasts before it is renewed (RFC 2177 asks for less than 29 minutes).</summary>
    public TimeSpan IdleRenewal { get; set; } = TimeSpan.FromMinutes(25);

    /// <summary>How often NOOP polls when the server has no IDLE.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Raised for each change the server reports in the selected mailbox (on the reading thread).</summary>
    public event EventHandler<ImapMailboxEvent>? MailboxChanged;

    /// <summary>Raised for each [ALERT] the server sends; its text must be shown to the user.</summary>
    public event EventHandler<ImapAlertEventArgs>? Alert;

    /// <summary>The current capabilities (refreshed after STARTTLS and after login).</summary>
    public IReadOnlySet<string> Capabilities => _engine.Capabilities;

    /// <summary>Extensions enabled with ENABLE (e.g. QRESYNC).</summary>
    public IReadOnlySet<string> EnabledExtensions => _engine.Enabled;

    /// <summary>The connection state.</summary>
    public ImapState State => _engine.Transport.IsConnected ? _engine.State : ImapState.Disconnected;

    /// <summary>True while the connection is usable.</summary>
    public bool IsConnected => State != ImapState.Disconnected;

    /// <summary>True when TLS protects the connection.</summary>
    public bool IsEncrypted => _engine.Transport.IsEncrypted;

    /// <summary>The negotiated TLS version, or null without TLS.</summary>
    public System.Security.Authentication.SslProtocols? TlsProtocol => _engine.Transport.Tls?.SslProtocol;

    /// <summary>The negotiated TLS cipher suite, or null without TLS.</summary>
    public System.Net.Security.TlsCipherSuite? TlsCipherSuite => _engine.Transport.Tls?.NegotiatedCipherSuite;

    /// <summary>The selected mailbox and its status, or null.</summary>
    public ImapSelectedMailbox? SelectedMailbox => _engine.State == ImapState.Selected ? _engine.Selected : null;

    /// <summary>True when the server offers the capability.</summary>
    public bool Supports(string capability) => _engine.Has(capability);

    /// <summary>
    /// Connects, negotiates TLS (implicit or STARTTLS as configured, validating the server
    /// certificate against the trust anchors and host name) and reads the capabilities.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) => ConnectCoreAsync(null, cancellationToken);

    /// <summary>
    /// Speaks IMAP over an already-open stream (a tunnel, or a test's fake server). With
    /// <see cref="MailSecurity.StartTls"/> the client still upgrades it.
    /// </summary>
    public Task ConnectAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return ConnectCoreAsync(stream, cancellationToken);
    }

    private async Task ConnectCoreAsync(Stream? stream, CancellationToken cancellationToken)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (_engine.State != ImapState.Disconnected)
        {
            throw new InvalidOperationException("Already connected.");
        }
        await _engine.ConnectAsync(stream, cancellationToken).ConfigureAwait(false);
        if (_engine.Capabilities.Count == 0)
        {
            await _engine.RunAsync(new ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
        }
        if (Options.Security == MailSecurity.StartTls)
        {
            if (_engine.State != ImapState.NotAuthenticated || !_engine.Has("STARTTLS"))
            {
                await _engine.DisposeAsync().ConfigureAwait(false);
                throw new ImapProtocolException("The server does not offer STARTTLS: refusing to continue in clear text.");
            }
            // RFC 9051 §6.2.1: no pipelining across STARTTLS; capabilities learnt before are void.
            await _engine.RunAsync(new ImapCommand("STARTTLS"), cancellationToken).ConfigureAwait(false);
            await _engine.Transport.StartTlsAsync(cancellationToken).ConfigureAwait(false);
            _engine.Capabilities.Clear();
            await _engine.RunAsync(new ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Authenticates with the first mechanism of <paramref name="credentials"/> the server offers
    /// (SASL-IR when available), then refreshes the capabilities. A bad token or password raises
    /// <see cref="ImapCommandException"/> with the server's text (and the OAUTHBEARER error status).
    /// </summary>
    public async Task AuthenticateAsync(MailCredentials credentials, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        if (_engine.State != ImapState.NotAuthenticated)
        {
            throw new InvalidOperationException("Authentication is only possible once, right after connecting.");
        }
        var mechanism = credentials.Choose(_engine.HasAuth);
        ImapCommand command;
        if (mechanism is null)
        {
            if (credentials.PlainLogin is { } login && !_engine.Has("LOGINDISABLED"))
            {
                // RFC 9051 §6.2.3: LOGIN, only when no offered SASL mechanism fits a password.
                command = new ImapCommand("LOGIN") { Sensitive = true }.String(login.User).String(login.Password);
            }
            else
            {
                throw new ImapCommandException("AUTHENTICATE", ImapCompletionStatus.No, "NOMECHANISM",
                    "Aucun mécanisme d'authentification commun (le serveur propose : "
                    + string.Join(", ", _engine.Capabilities.Where(c => c.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase)).Select(c => c[5..]))
                    + ").");
            }
        }
        else
        {
            command = await BuildAuthenticateAsync(mechanism, cancellationToken).ConfigureAwait(false);
        }
        await _engine.RunAsync(command, cancellationToken, throwOnFailure: false).ConfigureAwait(false);
        if (command.Status != ImapCompletionStatus.Ok)
        {
            var detail = mechanism?.ServerError is { Length: > 0 } err ? command.Text + " " + err : command.Text;
            throw new ImapCommandException(command.Name, command.Status, command.Code, detail);
        }
        _engine.State = ImapState.Authenticated;
        if (command.Code != "CAPABILITY")
        {
            // RFC 9051 §6.2.2: capabilities may change after authentication.
            await _engine.RunAsync(new ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ImapCommand> BuildAuthenticateAsync(SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        var context = new SaslContext(Options.EffectiveServerName, Options.Port);
        var command = new ImapCommand("AUTHENTICATE") { Sensitive = true }.Raw(" " + mechanism.Name);
        var initialSent = false;
        if (mechanism.HasInitialResponse && _engine.Has("SASL-IR"))
        {
            // RFC 4959: the initial response on the command line, "=" when empty.
            var initial = await mechanism.RespondAsync(null, context, cancellationToken).ConfigureAwait(false);
            command.Raw(" " + (initial.Length == 0 ? "=" : Convert.ToBase64String(initial)));
            initialSent = true;
        }
        command.OnContinuation = async (text, ct) =>
        {
            byte[] response;
            if (!initialSent && mechanism.HasInitialResponse)
            {
                initialSent = true;
                response = await mechanism.RespondAsync(null, context, ct).ConfigureAwait(false);
            }
            else
            {
                byte[] challenge;
                try
                {
                    challenge = Convert.FromBase64String(Encoding.ASCII.GetString(text).Trim());
                }
                catch (FormatException ex)
                {
                    throw new ImapProtocolException("The server sent a SASL challenge that is not BASE64.", ex);
                }
                response = await mechanism.RespondAsync(challenge, context, ct).ConfigureAwait(false);
            }
            return Encoding.ASCII.GetBytes(Convert.ToBase64String(response));
        };
        return command;
    }

    /// <summary>CAPABILITY: asks the server again.</summary>
    public async Task<IReadOnlySet<string>> RefreshCapabilitiesAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await _engine.RunAsync(new ImapCommand("CAPABILITY"), cancellationToken).ConfigureAwait(false);
        return _engine.Capabilities;
    }

    /// <summary>ID (RFC 2971): tells the server who we are and returns what it says about itself.</summary>
    public async Task<IReadOnlyDictionary<string, string?>> IdAsync(IReadOnlyDictionary<string, string?>? clientInfo, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var command = new ImapCommand("ID");
        if (clientInfo is null || clientInfo.Count == 0)
        {
            command.Raw(" NIL");
        }
        else
        {
            command.Raw(" (");
            command.NoSpaceNext();
            foreach (var (key, value) in clientInfo)
            {
                command.String(key);
                if (value is null)
                {
                    command.Raw(" NIL");
                }
                else
                {
                    command.String(value);
                }
            }
            command.Raw(")");
        }
        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        command.OnUntagged = u =>
        {
            if (u.Kind != "ID")
            {
                return false;
            }
            var t = u.Tokens;
            if (t.IsNil())
            {
                return true;
            }
            t.Expect((byte)'(');
            while (!t.TryConsume((byte)')'))
            {
                if (t.AtEnd)
                {
                    throw t.Error("unterminated ID list");
                }
                var key = t.ReadNString() ?? string.Empty;
                result[key] = t.ReadNString();
            }
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>ENABLE (RFC 5161) for e.g. CONDSTORE, QRESYNC, UTF8=ACCEPT; returns what the server enabled. Extensions the server does not list are skipped.</summary>
    public async Task<IReadOnlySet<string>> EnableAsync(IEnumerable<string> extensions, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        var wanted = extensions.Where(e => _engine.Has(e) || (e.Equals("UTF8=ACCEPT", StringComparison.OrdinalIgnoreCase) && _engine.Has("UTF8=ONLY"))).ToList();
        if (!_engine.Has("ENABLE") || wanted.Count == 0)
        {
            return _engine.Enabled;
        }
        var command = new ImapCommand("ENABLE");
        foreach (var w in wanted)
        {
            command.Raw(" " + w);
        }
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        if (_engine.Enabled.Contains("QRESYNC"))
        {
            _engine.Enabled.Add("CONDSTORE"); // RFC 7162 §3.2.3: QRESYNC implies CONDSTORE
        }
        return _engine.Enabled;
    }

    /// <summary>NOOP: lets the server report pending changes; also a keep-alive.</summary>
    public async Task NoopAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        await _engine.RunAsync(new ImapCommand("NOOP"), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// IDLE until <paramref name="done"/> fires (or another call needs the connection), raising
    /// <see cref="MailboxChanged"/> as the server reports changes. Renewed every <see cref="IdleRenewal"/>;
    /// without IDLE support, NOOP polls every <see cref="PollInterval"/>.
    /// </summary>
    public async Task IdleAsync(CancellationToken done, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelectedOrAuthenticated();
        await _engine.IdleAsync(IdleRenewal, PollInterval, done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>LOGOUT and close the connection. Never throws for a connection already gone.</summary>
    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_engine.Transport.IsConnected)
            {
                await _engine.RunAsync(new ImapCommand("LOGOUT"), cancellationToken, throwOnFailure: false).ConfigureAwait(false);
            }
        }
        catch (ImapProtocolException)
        {
            // the server may close before the tagged OK; the connection is ending anyway
        }
        finally
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Closes the connection without LOGOUT.</summary>
    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private void RequireAuthenticated()
    {
        if (!_engine.Transport.IsConnected)
        {
            throw new ImapProtocolException("The connection is closed.");
        }
        if (_engine.State is ImapState.Disconnected or ImapState.NotAuthenticated)
        {
            throw new InvalidOperationException("Not authenticated.");
        }
    }

    private void RequireSelectedOrAuthenticated() => RequireAuthenticated();

    private void RequireSelected()
    {
        RequireAuthenticated();
        if (_engine.State != ImapState.Selected || _engine.Selected is null)
        {
            throw new InvalidOperationException("No mailbox is selected.");
        }
    }
}
