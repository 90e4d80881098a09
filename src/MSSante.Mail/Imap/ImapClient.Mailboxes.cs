using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>Options of LIST (RFC 5258 LIST-EXTENDED, RFC 6154 SPECIAL-USE, RFC 5819 LIST-STATUS).</summary>
public sealed class ImapListOptions
{
    /// <summary>Only subscribed mailboxes (LIST (SUBSCRIBED), or LSUB without LIST-EXTENDED).</summary>
    public bool SubscribedOnly { get; init; }

    /// <summary>Only mailboxes with a special use (LIST (SPECIAL-USE)).</summary>
    public bool SpecialUseOnly { get; init; }

    /// <summary>Ask for special-use attributes (RETURN (SPECIAL-USE)).</summary>
    public bool ReturnSpecialUse { get; init; } = true;

    /// <summary>Ask for \Subscribed (RETURN (SUBSCRIBED)).</summary>
    public bool ReturnSubscribed { get; init; }

    /// <summary>STATUS items to return with each mailbox (LIST-STATUS), or null.</summary>
    public ImapStatusItems? Status { get; init; }
}

public sealed partial class ImapClient
{
    /// <summary>NAMESPACE (RFC 2342): personal, other users' and shared prefixes (e.g. <c>shared/</c> for service mailboxes).</summary>
    public async Task<ImapNamespaces> GetNamespacesAsync(CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        if (!_engine.Has("NAMESPACE"))
        {
            return new ImapNamespaces([new ImapNamespace(string.Empty, '/')], [], []);
        }
        ImapNamespaces? result = null;
        var command = new ImapCommand("NAMESPACE")
        {
            OnUntagged = u =>
            {
                if (u.Kind != "NAMESPACE")
                {
                    return false;
                }
                result = new ImapNamespaces(ReadNamespaceList(u.Tokens), ReadNamespaceList(u.Tokens), ReadNamespaceList(u.Tokens));
                return true;
            },
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result ?? new ImapNamespaces([], [], []);
    }

    private List<ImapNamespace> ReadNamespaceList(ImapTokenizer t)
    {
        var list = new List<ImapNamespace>();
        if (t.IsNil())
        {
            return list;
        }
        t.Expect((byte)'(');
        while (t.TryConsume((byte)'('))
        {
            var prefix = DecodeName(t.ReadAString());
            var delim = t.ReadNString();
            while (!t.TryConsume((byte)')'))
            {
                if (t.AtEnd)
                {
                    throw t.Error("unterminated namespace");
                }
                t.SkipValue(); // namespace-response-extensions
            }
            list.Add(new ImapNamespace(prefix, string.IsNullOrEmpty(delim) ? null : delim[0]));
        }
        t.Expect((byte)')');
        return list;
    }

    private string DecodeName(string wire) => _engine.Utf8Accept ? wire : ModifiedUtf7.Decode(wire);

    /// <summary>LIST with the extensions the server offers; names are decoded (modified UTF-7).</summary>
    public async Task<IReadOnlyList<ImapMailboxInfo>> ListAsync(string reference = "", string pattern = "*", ImapListOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ImapListOptions();
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var extended = _engine.Has("LIST-EXTENDED");
        var useLsub = options.SubscribedOnly && !extended;
        var command = new ImapCommand(useLsub ? "LSUB" : "LIST");
        if (extended)
        {
            var selection = new List<string>();
            if (options.SubscribedOnly)
            {
                selection.Add("SUBSCRIBED");
            }
            if (options.SpecialUseOnly && _engine.Has("SPECIAL-USE"))
            {
                selection.Add("SPECIAL-USE");
            }
            if (selection.Count > 0)
            {
                command.Raw(" (" + string.Join(' ', selection) + ")");
            }
        }
        command.Mailbox(reference).Mailbox(pattern);
        if (extended)
        {
            var ret = new List<string>();
            if (options.ReturnSpecialUse && _engine.Has("SPECIAL-USE"))
            {
                ret.Add("SPECIAL-USE");
            }
            if (options.ReturnSubscribed)
            {
                ret.Add("SUBSCRIBED");
            }
            if (options.Status is { } st && _engine.Has("LIST-STATUS"))
            {
                ret.Add("STATUS (" + StatusItemNames(st) + ")");
            }
            if (ret.Count > 0)
            {
                command.Raw(" RETURN (" + string.Join(' ', ret) + ")");
            }
        }
        var list = new List<ImapMailboxInfo>();
        var byWire = new Dictionary<string, ImapMailboxInfo>(StringComparer.Ordinal);
        command.OnUntagged = u =>
        {
            if (u.Kind is "LIST" or "LSUB")
            {
                var info = ParseList(u.Tokens);
                list.Add(info);
                byWire[info.EncodedName] = info;
                return true;
            }
            if (u.Kind == "STATUS")
            {
                var (name, status) = ParseStatus(u.Tokens);
                if (byWire.TryGetValue(name, out var target))
                {
                    target.Status = status;
                }
                return true;
            }
            return false;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return list;
    }

    private ImapMailboxInfo ParseList(ImapTokenizer t)
    {
        var attributes = t.ReadAtomList();
        var delim = t.ReadNString();
        var wire = t.ReadAString();
        // mbox-list-extended items (CHILDINFO, OLDNAME) are skipped.
        while (!t.AtEnd)
        {
            t.SkipSpaces();
            if (t.AtEnd)
            {
                break;
            }
            t.SkipValue();
        }
        return new ImapMailboxInfo
        {
            Name = DecodeName(wire),
            EncodedName = wire,
            Delimiter = string.IsNullOrEmpty(delim) ? null : delim[0],
            Attributes = attributes,
        };
    }

    private static string StatusItemNames(ImapStatusItems items)
    {
        var names = new List<string>();
        if (items.HasFlag(ImapStatusItems.Messages))
        {
            names.Add("MESSAGES");
        }
        if (items.HasFlag(ImapStatusItems.Unseen))
        {
            names.Add("UNSEEN");
        }
        if (items.HasFlag(ImapStatusItems.UidNext))
        {
            names.Add("UIDNEXT");
        }
        if (items.HasFlag(ImapStatusItems.UidValidity))
        {
            names.Add("UIDVALIDITY");
        }
        if (items.HasFlag(ImapStatusItems.HighestModSeq))
        {
            names.Add("HIGHESTMODSEQ");
        }
        if (items.HasFlag(ImapStatusItems.Recent))
        {
            names.Add("RECENT");
        }
        return string.Join(' ', names);
    }

    private static (string Name, ImapMailboxStatus Status) ParseStatus(ImapTokenizer t)
    {
        var name = t.ReadAString();
        var status = new ImapMailboxStatus();
        t.Expect((byte)'(');
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated STATUS");
            }
            var item = t.ReadAtom().ToUpperInvariant();
            var value = t.ReadNumber64();
            switch (item)
            {
                case "MESSAGES": status.Messages = (uint)value; break;
                case "UNSEEN": status.Unseen = (uint)value; break;
                case "RECENT": status.Recent = (uint)value; break;
                case "UIDNEXT": status.UidNext = (uint)value; break;
                case "UIDVALIDITY": status.UidValidity = (uint)value; break;
                case "HIGHESTMODSEQ": status.HighestModSeq = value; break;
                case "SIZE": status.Size = value; break;
            }
        }
        return (name, status);
    }

    /// <summary>STATUS of a mailbox that is not selected.</summary>
    public async Task<ImapMailboxStatus> StatusAsync(string mailbox, ImapStatusItems items, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        if (!_engine.Has("CONDSTORE"))
        {
            items &= ~ImapStatusItems.HighestModSeq;
        }
        var result = new ImapMailboxStatus();
        var command = new ImapCommand("STATUS").Mailbox(mailbox).Raw(" (" + StatusItemNames(items) + ")");
        command.OnUntagged = u =>
        {
            if (u.Kind != "STATUS")
            {
                return false;
            }
            result = ParseStatus(u.Tokens).Status;
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>CREATE, optionally with a special use (RFC 6154 CREATE-SPECIAL-USE).</summary>
    public async Task CreateMailboxAsync(string mailbox, string? specialUse = null, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var command = new ImapCommand("CREATE").Mailbox(mailbox);
        if (specialUse is not null && _engine.Has("CREATE-SPECIAL-USE"))
        {
            command.Raw(" (USE (" + specialUse + "))");
        }
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>RENAME.</summary>
    public Task RenameMailboxAsync(string mailbox, string newName, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("RENAME").Mailbox(mailbox).Mailbox(newName), cancellationToken);

    /// <summary>DELETE.</summary>
    public Task DeleteMailboxAsync(string mailbox, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("DELETE").Mailbox(mailbox), cancellationToken);

    /// <summary>SUBSCRIBE.</summary>
    public Task SubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("SUBSCRIBE").Mailbox(mailbox), cancellationToken);

    /// <summary>UNSUBSCRIBE.</summary>
    public Task UnsubscribeAsync(string mailbox, CancellationToken cancellationToken = default)
        => SimpleAsync(new ImapCommand("UNSUBSCRIBE").Mailbox(mailbox), cancellationToken);

    private async Task SimpleAsync(ImapCommand command, CancellationToken cancellationToken)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// SELECT (or EXAMINE when <paramref name="readOnly"/>), with CONDSTORE when offered and the
    /// QRESYNC parameters when given and enabled (RFC 7162 §3.2.5): then VANISHED (EARLIER) and
    /// FETCH answers arrive as <see cref="MailboxChanged"/> events before this returns.
    /// </summary>
    public async Task<ImapSelectedMailbox> SelectAsync(string mailbox, bool readOnly = false, ImapQResyncParameters? qresync = null, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var selected = new ImapSelectedMailbox { Name = mailbox, ReadOnly = readOnly };
        var command = new ImapCommand(readOnly ? "EXAMINE" : "SELECT").Mailbox(mailbox);
        if (qresync is not null && _engine.QResync)
        {
            var sb = new StringBuilder(" (QRESYNC (").Append(qresync.UidValidity).Append(' ').Append(qresync.ModSeq);
            if (qresync.KnownUids is { IsEmpty: false } known)
            {
                sb.Append(' ').Append(known);
            }
            command.Raw(sb.Append("))").ToString());
        }
        else if (_engine.Has("CONDSTORE") && !_engine.Enabled.Contains("CONDSTORE"))
        {
            command.Raw(" (CONDSTORE)");
        }
        _engine.Selected = selected;
        _engine.State = ImapState.Selected;
        await _engine.RunAsync(command, cancellationToken, throwOnFailure: false).ConfigureAwait(false);
        if (command.Status != ImapCompletionStatus.Ok)
        {
            // RFC 9051 §6.3.2: a failed SELECT leaves no mailbox selected.
            _engine.Selected = null;
            _engine.State = ImapState.Authenticated;
            command.ThrowIfFailed();
        }
        if (command.Code == "READ-ONLY")
        {
            selected.ReadOnly = true;
        }
        return selected;
    }

    /// <summary>
    /// Leaves the selected mailbox. With <paramref name="expunge"/>, CLOSE (which expunges \Deleted
    /// messages); otherwise UNSELECT (RFC 3691), or without it a SELECT of a mailbox that cannot
    /// exist, which deselects without expunging.
    /// </summary>
    public async Task UnselectAsync(bool expunge = false, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (expunge || !_engine.Has("UNSELECT"))
        {
            if (!expunge && _engine.Selected is { ReadOnly: false })
            {
                // Without UNSELECT, EXAMINE a mailbox that cannot exist ends the selection without expunging (RFC 3691 §1).
                await _engine.RunAsync(new ImapCommand("EXAMINE").Mailbox("MSSANTE-NONEXISTENT-" + Guid.NewGuid().ToString("N")), cancellationToken, throwOnFailure: false).ConfigureAwait(false);
            }
            else
            {
                await _engine.RunAsync(new ImapCommand("CLOSE"), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await _engine.RunAsync(new ImapCommand("UNSELECT"), cancellationToken).ConfigureAwait(false);
        }
        _engine.Selected = null;
        _engine.State = ImapState.Authenticated;
    }
}
