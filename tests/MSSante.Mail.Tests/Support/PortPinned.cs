using MSSante.Mail.Sasl;

namespace MSSante.Mail.Tests.Support;

/// <summary>Runs a mechanism with the port pinned to 0 so that transcripts do not depend on the ephemeral port.</summary>
internal sealed class PortPinned(SaslMechanism inner) : SaslMechanism
{
    public override string Name => inner.Name;

    public override bool HasInitialResponse => inner.HasInitialResponse;

    public override async ValueTask<byte[]> RespondAsync(byte[]? challenge, SaslContext context, CancellationToken cancellationToken)
    {
        var response = await inner.RespondAsync(challenge, context with { Port = 0 }, cancellationToken);
        ServerError = inner.ServerError;
        return response;
    }
}
