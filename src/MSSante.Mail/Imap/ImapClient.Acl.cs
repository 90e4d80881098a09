namespace MSSante.Mail.Imap;

public sealed partial class ImapClient
{
    /// <summary>GETACL (RFC 4314 §3.3): who has which rights on the mailbox.</summary>
    public async Task<IReadOnlyList<ImapAclEntry>> GetAclAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var entries = new List<ImapAclEntry>();
        var command = new ImapCommand("GETACL").Mailbox(mailbox);
        command.OnUntagged = u =>
        {
            if (u.Kind != "ACL")
            {
                return false;
            }
            u.Tokens.ReadAString(); // mailbox
            while (true)
            {
                u.Tokens.SkipSpaces();
                if (u.Tokens.AtEnd)
                {
                    break;
                }
                var id = u.Tokens.ReadAString();
                var rights = u.Tokens.ReadAString();
                entries.Add(new ImapAclEntry(id, rights));
            }
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return entries;
    }

    /// <summary>MYRIGHTS (RFC 4314 §3.5): the rights of the logged-in user (e.g. a delegate on a service mailbox).</summary>
    public async Task<string> MyRightsAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var rights = string.Empty;
        var command = new ImapCommand("MYRIGHTS").Mailbox(mailbox);
        command.OnUntagged = u =>
        {
            if (u.Kind != "MYRIGHTS")
            {
                return false;
            }
            u.Tokens.ReadAString();
            rights = u.Tokens.ReadAString();
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return rights;
    }

    /// <summary>SETACL (RFC 4314 §3.1); rights may start with + or - to add or remove.</summary>
    public Task SetAclAsync(string mailbox, string identifier, string rights, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("SETACL").Mailbox(mailbox).String(identifier).String(rights), cancellationToken);

    /// <summary>DELETEACL (RFC 4314 §3.2).</summary>
    public Task DeleteAclAsync(string mailbox, string identifier, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("DELETEACL").Mailbox(mailbox).String(identifier), cancellationToken);

    /// <summary>LISTRIGHTS (RFC 4314 §3.4).</summary>
    public async Task<ImapListRights> ListRightsAsync(string mailbox, string identifier, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        ImapListRights? result = null;
        var command = new ImapCommand("LISTRIGHTS").Mailbox(mailbox).String(identifier);
        command.OnUntagged = u =>
        {
            if (u.Kind != "LISTRIGHTS")
            {
                return false;
            }
            var t = u.Tokens;
            t.ReadAString();
            var id = t.ReadAString();
            var required = t.ReadAString();
            var optional = new List<string>();
            while (true)
            {
                t.SkipSpaces();
                if (t.AtEnd)
                {
                    break;
                }
                optional.Add(t.ReadAString());
            }
            result = new ImapListRights(id, required, optional);
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result ?? new ImapListRights(identifier, string.Empty, []);
    }

    /// <summary>GETQUOTAROOT (RFC 9208 §4.3.2): the quota roots of a mailbox and their usage; empty without QUOTA.</summary>
    public async Task<IReadOnlyList<ImapQuota>> GetQuotaRootAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        if (!_engine.Has("QUOTA") && !_engine.Capabilities.Any(c => c.StartsWith("QUOTA=", StringComparison.OrdinalIgnoreCase)))
        {
            return [];
        }
        var quotas = new List<ImapQuota>();
        var command = new ImapCommand("GETQUOTAROOT").Mailbox(mailbox);
        command.OnUntagged = u =>
        {
            switch (u.Kind)
            {
                case "QUOTAROOT":
                    while (!u.Tokens.AtEnd)
                    {
                        u.Tokens.SkipSpaces();
                        if (u.Tokens.AtEnd)
                        {
                            break;
                        }
                        u.Tokens.SkipValue();
                    }
                    return true;
                case "QUOTA":
                    {
                        var t = u.Tokens;
                        var root = t.ReadAString();
                        var resources = new List<ImapQuotaResource>();
                        t.Expect((byte)'(');
                        while (!t.TryConsume((byte)')'))
                        {
                            if (t.AtEnd)
                            {
                                throw t.Error("unterminated QUOTA");
                            }
                            resources.Add(new ImapQuotaResource(t.ReadAtom().ToUpperInvariant(), t.ReadNumber64(), t.ReadNumber64()));
                        }
                        quotas.Add(new ImapQuota(root, resources));
                        return true;
                    }
                default:
                    return false;
            }
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return quotas;
    }
}
