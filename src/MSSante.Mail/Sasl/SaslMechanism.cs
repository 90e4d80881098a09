using System.Text;

namespace MSSante.Mail.Sasl;

/// <summary>What a mechanism may need to know about the connection (RFC 7628 sends host and port).</summary>
/// <param name="Host">The server host name.</param>
/// <param name="Port">The server port.</param>
public sealed record SaslContext(string Host, int Port);

/// <summary>
/// One SASL exchange (RFC 4422). A fresh instance is used for each authentication attempt.
/// </summary>
public abstract class SaslMechanism
{
    /// <summary>The IANA mechanism name, e.g. <c>OAUTHBEARER</c>.</summary>
    public abstract string Name { get; }

    /// <summary>True when the client speaks first (SASL-IR, RFC 4959), which all supported mechanisms do except LOGIN.</summary>
    public virtual bool HasInitialResponse => true;

    /// <summary>
    /// The error the server reported inside the exchange (RFC 7628 §3.2.2 JSON status), if any.
    /// </summary>
    public string? ServerError { get; protected set; }

    /// <summary>
    /// Produces the client's next message: the initial response when <paramref name="challenge"/> is null,
    /// otherwise the answer to the server's decoded challenge.
    /// </summary>
    public abstract ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken);

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
}

/// <summary>PLAIN (RFC 4616): authorization id, user name and password in one message.</summary>
public sealed class SaslPlain(string userName, string password, string? authorizationId = null) : SaslMechanism
{
    /// <inheritdoc />
    public override string Name => "PLAIN";

    /// <inheritdoc />
    public override ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Utf8((authorizationId ?? string.Empty) + "\0" + userName + "\0" + password));
}

/// <summary>LOGIN (draft-murchison-sasl-login): only used when nothing better is offered.</summary>
public sealed class SaslLogin(string userName, string password) : SaslMechanism
{
    private int _step;

    /// <inheritdoc />
    public override string Name => "LOGIN";

    /// <inheritdoc />
    public override bool HasInitialResponse => false;

    /// <inheritdoc />
    public override ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Utf8(_step++ == 0 ? userName : password));
}

/// <summary>EXTERNAL (RFC 4422 Appendix A): identity from the TLS client certificate.</summary>
public sealed class SaslExternal(string? authorizationId = null) : SaslMechanism
{
    /// <inheritdoc />
    public override string Name => "EXTERNAL";

    /// <inheritdoc />
    public override ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
        => ValueTask.FromResult(Utf8(authorizationId ?? string.Empty));
}

/// <summary>
/// OAUTHBEARER (RFC 7628). On failure the server sends an error JSON as a challenge; the client must
/// answer with the single byte 0x01 (§3.2.3) and the server then completes with a failure.
/// </summary>
public sealed class SaslOAuthBearer(string userName, Func<CancellationToken, ValueTask<string>> tokenProvider) : SaslMechanism
{
    /// <inheritdoc />
    public override string Name => "OAUTHBEARER";

    /// <inheritdoc />
    public override async ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
    {
        if (challenge is not null)
        {
            ServerError = Encoding.UTF8.GetString(challenge);
            return [0x01];
        }
        var token = await tokenProvider(cancellationToken).ConfigureAwait(false);
        // RFC 7628 §3.1: gs2-header with the authzid, then kvpairs separated by ^A.
        var gs2 = "n,a=" + userName.Replace("=", "=3D", StringComparison.Ordinal).Replace(",", "=2C", StringComparison.Ordinal) + ",";
        var port = context.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Utf8(gs2 + "\u0001host=" + context.Host + "\u0001port=" + port + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }
}

/// <summary>XOAUTH2 (Google's pre-standard bearer mechanism): on failure the client answers an empty response.</summary>
public sealed class SaslXOAuth2(string userName, Func<CancellationToken, ValueTask<string>> tokenProvider) : SaslMechanism
{
    /// <inheritdoc />
    public override string Name => "XOAUTH2";

    /// <inheritdoc />
    public override async ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
    {
        if (challenge is not null)
        {
            ServerError = Encoding.UTF8.GetString(challenge);
            return [];
        }
        var token = await tokenProvider(cancellationToken).ConfigureAwait(false);
        return Utf8("user=" + userName + "\u0001auth=Bearer " + token + "\u0001\u0001");
    }
}
