using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Operator;

namespace MSSante.Webmail.Mail;

/// <summary>Mints the bearer token that lets the webmail act on one mailbox for one signed-in person.</summary>
public interface IOperatorTokenSource
{
    /// <summary>A fresh token for <paramref name="mailbox"/> on behalf of <paramref name="idNat"/>.</summary>
    string Mint(string idNat, string mailbox);
}

/// <summary>
/// The mail connector's token source: the Infrastructure <see cref="IOperatorTokenIssuer"/>
/// (RS256 JWT for SASL OAUTHBEARER), asked for a fresh token each time a connection
/// authenticates. No JWT code of its own.
/// </summary>
public sealed class OperatorTokenSource : IOperatorTokenSource, IDisposable
{
    private readonly IOperatorTokenIssuer _issuer;
    private readonly OperatorTokenIssuer? _owned;

    /// <summary>Uses the host's issuer (the web host's registration).</summary>
    public OperatorTokenSource(IOperatorTokenIssuer issuer)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        _issuer = issuer;
    }

    /// <summary>Builds its own issuer from the <c>OperatorToken</c> settings (tests and tools without a host).</summary>
    public OperatorTokenSource(IOptions<OperatorTokenOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _owned = new OperatorTokenIssuer(options);
        _issuer = _owned;
    }

    /// <inheritdoc />
    public string Mint(string idNat, string mailbox) => _issuer.Issue(idNat, mailbox).Value;

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();
}
