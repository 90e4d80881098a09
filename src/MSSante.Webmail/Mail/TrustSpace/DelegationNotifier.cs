namespace MSSante.Webmail.Mail.TrustSpace;

/// <summary>
/// Tells the open sessions of this host that a person's delegations changed, so a revoked
/// delegate's folder pane drops the service mailbox at once instead of at the next listing.
/// In-process: with several hosts, the other hosts' sessions learn it at their next listing,
/// and the server refuses every command anyway.
/// </summary>
public sealed class DelegationNotifier
{
    /// <summary>Raised with the delegate's address (lower case) after a grant or a revocation.</summary>
    public event Action<string>? AccessChanged;

    /// <summary>Announces a change of <paramref name="delegateAddress"/>'s access.</summary>
    public void Notify(string delegateAddress)
    {
        ArgumentNullException.ThrowIfNull(delegateAddress);
        AccessChanged?.Invoke(delegateAddress.Trim().ToLowerInvariant());
    }
}
