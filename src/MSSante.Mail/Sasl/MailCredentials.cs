namespace MSSante.Mail.Sasl;

/// <summary>
/// What the caller can prove, and the SASL mechanisms that can prove it in order of preference.
/// The client picks the first one the server offers.
/// </summary>
public sealed class MailCredentials
{
    private readonly (string Name, Func<SaslMechanism> Create)[] _candidates;

    private MailCredentials(string? userName, params (string, Func<SaslMechanism>)[] candidates)
    {
        UserName = userName;
        _candidates = candidates;
    }

    /// <summary>The user name (mailbox address), when there is one.</summary>
    public string? UserName { get; }

    /// <summary>The user name and password if this credential can also use the IMAP LOGIN command (password credentials only).</summary>
    internal (string User, string Password)? PlainLogin { get; private init; }

    /// <summary>
    /// A bearer token minted by the caller (the webmail's short-lived RS256 JWT): OAUTHBEARER, else XOAUTH2.
    /// The provider is called once per attempt so that the token is always fresh.
    /// </summary>
    public static MailCredentials OAuth(string userName, Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return new MailCredentials(
            userName,
            ("OAUTHBEARER", () => new SaslOAuthBearer(userName, tokenProvider)),
            ("XOAUTH2", () => new SaslXOAuth2(userName, tokenProvider)));
    }

    /// <summary>A password: PLAIN (with an optional authorization id), LOGIN only as a last resort.</summary>
    public static MailCredentials Password(string userName, string password, string? authorizationId = null)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        return new MailCredentials(
            userName,
            ("PLAIN", () => new SaslPlain(userName, password, authorizationId)),
            ("LOGIN", () => new SaslLogin(userName, password)))
        {
            PlainLogin = authorizationId is null ? (userName, password) : null,
        };
    }

    /// <summary>The TLS client certificate (CPS card or file): SASL EXTERNAL.</summary>
    public static MailCredentials External(string? authorizationId = null)
        => new(authorizationId, ("EXTERNAL", () => new SaslExternal(authorizationId)));

    /// <summary>Exactly one mechanism, chosen by the caller.</summary>
    public static MailCredentials Mechanism(string name, Func<SaslMechanism> create)
        => new(null, (name.ToUpperInvariant(), create));

    /// <summary>The first candidate the server offers, or null.</summary>
    internal SaslMechanism? Choose(Func<string, bool> offered)
    {
        foreach (var (name, create) in _candidates)
        {
            if (offered(name))
            {
                return create();
            }
        }
        return null;
    }

    internal IEnumerable<string> CandidateNames => _candidates.Select(c => c.Name);
}
