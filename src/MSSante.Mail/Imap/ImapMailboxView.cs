namespace MSSante.Mail.Imap;

/// <summary>What changed in a <see cref="ImapMailboxView"/>.</summary>
public sealed class ImapMailboxViewChange : EventArgs
{
    /// <summary>UIDs that appeared.</summary>
    public IReadOnlyList<uint> Added { get; init; } = [];

    /// <summary>UIDs that are gone (expunged here or elsewhere). They never come back.</summary>
    public IReadOnlyList<uint> Removed { get; init; } = [];

    /// <summary>UIDs whose flags changed.</summary>
    public IReadOnlyList<uint> FlagsChanged { get; init; } = [];

    /// <summary>True when the server announced new messages not fetched yet (call <see cref="ImapMailboxView.RefreshAsync"/>).</summary>
    public bool NewMessagesPending { get; init; }

    /// <summary>True when UIDVALIDITY changed and every cached UID was dropped.</summary>
    public bool Reset { get; init; }

    /// <summary>True when nothing changed.</summary>
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && FlagsChanged.Count == 0 && !NewMessagesPending && !Reset;
}

/// <summary>
/// The list of messages (UIDs and flags) of one mailbox, kept exact across commands, pushes from
/// the server and reconnects: on <see cref="OpenAsync"/> with a new connection it resynchronises
/// with QRESYNC (RFC 7162 §3.2.5, VANISHED and changed flags), or with CONDSTORE (flags changed
/// since the known mod-sequence plus the full UID list), or with a full UID and flags refresh.
/// A UIDVALIDITY change drops the cache (RFC 9051 §2.3.1.1). A removed UID is never reported again.
/// </summary>
public sealed class ImapMailboxView
{
    private readonly Lock _gate = new();
    private readonly List<uint> _uids = []; // ascending = sequence order (RFC 9051 §2.3.1.2)
    private readonly Dictionary<uint, IReadOnlyList<string>> _flags = [];
    private readonly HashSet<uint> _removed = [];
    private ImapClient? _client;
    private uint _unknownTail;

    /// <summary>Creates an empty view of <paramref name="mailbox"/>.</summary>
    public ImapMailboxView(string mailbox) => Mailbox = mailbox;

    /// <summary>The mailbox name.</summary>
    public string Mailbox { get; }

    /// <summary>The UIDVALIDITY the cache belongs to (0 before the first open).</summary>
    public uint UidValidity { get; private set; }

    /// <summary>The mod-sequence the cache is known complete up to (0 without CONDSTORE).</summary>
    public ulong HighestModSeq { get; private set; }

    /// <summary>How the last open synchronised: "qresync", "condstore" or "full".</summary>
    public string? LastSyncMethod { get; private set; }

    /// <summary>Raised after each change (from the connection's reading path).</summary>
    public event EventHandler<ImapMailboxViewChange>? Changed;

    /// <summary>The UIDs, ascending.</summary>
    public IReadOnlyList<uint> Uids
    {
        get
        {
            lock (_gate)
            {
                return [.. _uids];
            }
        }
    }

    /// <summary>The flags of a message, or null if it is not in the view.</summary>
    public IReadOnlyList<string>? FlagsOf(uint uid)
    {
        lock (_gate)
        {
            return _flags.GetValueOrDefault(uid);
        }
    }

    /// <summary>True when the UID is in the view.</summary>
    public bool Contains(uint uid)
    {
        lock (_gate)
        {
            return _flags.ContainsKey(uid);
        }
    }

    /// <summary>
    /// Selects the mailbox on <paramref name="client"/> (authenticated, nothing selected, or another
    /// mailbox selected) and brings the view up to date. Call again with a new client after a reconnect.
    /// </summary>
    public async Task<ImapMailboxViewChange> OpenAsync(ImapClient client, bool readOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        Detach();
        if (client.Supports("QRESYNC") && !client.EnabledExtensions.Contains("QRESYNC") && client.SelectedMailbox is null)
        {
            await client.EnableAsync(["QRESYNC"], cancellationToken).ConfigureAwait(false);
        }
        var before = Snapshot();
        var qresync = client.EnabledExtensions.Contains("QRESYNC");
        ImapQResyncParameters? parameters = null;
        lock (_gate)
        {
            if (qresync && UidValidity != 0 && HighestModSeq != 0)
            {
                parameters = new ImapQResyncParameters(UidValidity, HighestModSeq, _uids.Count > 0 ? UidSet.Of(_uids) : null);
            }
        }
        _client = client;
        client.MailboxChanged += OnMailboxChanged;
        var selected = await client.SelectAsync(Mailbox, readOnly, parameters, cancellationToken).ConfigureAwait(false);
        var reset = false;
        lock (_gate)
        {
            if (UidValidity != selected.UidValidity)
            {
                reset = UidValidity != 0;
                _uids.Clear();
                _flags.Clear();
                _removed.Clear();
                UidValidity = selected.UidValidity;
                HighestModSeq = 0;
                parameters = null;
            }
        }
        if (parameters is not null && selected.HighestModSeq is not null)
        {
            // QRESYNC already sent VANISHED (EARLIER) and the changed/new messages' FETCH during SELECT.
            LastSyncMethod = "qresync";
            bool consistent;
            lock (_gate)
            {
                consistent = _uids.Count == selected.Count;
                _unknownTail = 0;
            }
            if (!consistent)
            {
                await ReloadUidsAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await ReloadUidsAsync(client, cancellationToken).ConfigureAwait(false);
            var since = selected.HighestModSeq is not null && HighestModSeq != 0 ? HighestModSeq : (ulong?)null;
            LastSyncMethod = since is null ? "full" : "condstore";
            var messages = await client.FetchAsync(UidSet.All, ImapFetchItems.Flags, changedSince: since, cancellationToken: cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                foreach (var m in messages)
                {
                    if (m.Flags is not null && _flags.ContainsKey(m.Uid))
                    {
                        _flags[m.Uid] = m.Flags;
                    }
                }
            }
        }
        lock (_gate)
        {
            HighestModSeq = selected.HighestModSeq ?? 0;
        }
        var change = Diff(before, reset);
        if (!change.IsEmpty)
        {
            Changed?.Invoke(this, change);
        }
        return change;
    }

    private async Task ReloadUidsAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var uids = await client.SearchAsync(ImapSearchQuery.All, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var keep = new HashSet<uint>(uids);
            foreach (var gone in _uids.Where(u => !keep.Contains(u)).ToList())
            {
                _flags.Remove(gone);
                _removed.Add(gone);
            }
            _uids.Clear();
            foreach (var u in uids)
            {
                _uids.Add(u);
                _flags.TryAdd(u, []);
            }
            _unknownTail = 0;
        }
    }

    /// <summary>Fetches UIDs and flags of messages announced by EXISTS but not yet known.</summary>
    public async Task<ImapMailboxViewChange> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("The view is not open.");
        var before = Snapshot();
        uint max;
        lock (_gate)
        {
            max = _uids.Count > 0 ? _uids[^1] : 0;
        }
        var messages = await client.FetchAsync(UidSet.From(max + 1), ImapFetchItems.Flags, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            foreach (var m in messages.Where(m => m.Uid > max).OrderBy(m => m.Uid))
            {
                AddLocked(m.Uid, m.Flags ?? []);
            }
            _unknownTail = 0;
        }
        return Diff(before, false);
    }

    /// <summary>
    /// IDLEs until the server reports a change or <paramref name="maxWait"/> passes, then fetches
    /// new messages; returns what changed (possibly nothing).
    /// </summary>
    public async Task<ImapMailboxViewChange> WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("The view is not open.");
        var before = Snapshot();
        using var done = new CancellationTokenSource(maxWait);
        void Stop(object? sender, ImapMailboxViewChange e) => done.Cancel();
        Changed += Stop;
        try
        {
            await client.IdleAsync(done.Token, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Changed -= Stop;
        }
        bool pending;
        lock (_gate)
        {
            pending = _unknownTail > 0;
        }
        if (pending)
        {
            await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        return Diff(before, false);
    }

    private void Detach()
    {
        if (_client is not null)
        {
            _client.MailboxChanged -= OnMailboxChanged;
            _client = null;
        }
    }

    private void OnMailboxChanged(object? sender, ImapMailboxEvent e)
    {
        if (!ReferenceEquals(sender, _client) || _client?.SelectedMailbox?.Name != Mailbox)
        {
            return;
        }
        ImapMailboxViewChange? change = null;
        lock (_gate)
        {
            switch (e.Kind)
            {
                case ImapMailboxEventKind.Exists:
                    var known = (uint)_uids.Count + _unknownTail;
                    if (e.Number > known)
                    {
                        _unknownTail += e.Number - known;
                        change = new ImapMailboxViewChange { NewMessagesPending = true };
                    }
                    break;
                case ImapMailboxEventKind.Expunged:
                    if (e.Number >= 1 && e.Number <= _uids.Count)
                    {
                        var uid = _uids[(int)e.Number - 1];
                        RemoveLocked(uid);
                        change = new ImapMailboxViewChange { Removed = [uid] };
                    }
                    else if (_unknownTail > 0)
                    {
                        _unknownTail--;
                    }
                    break;
                case ImapMailboxEventKind.Vanished when e.Uids is not null && !e.Uids.IsOpenEnded:
                    var removed = new List<uint>();
                    foreach (var uid in e.Uids.Enumerate())
                    {
                        if (_flags.ContainsKey(uid))
                        {
                            RemoveLocked(uid);
                            removed.Add(uid);
                        }
                        else
                        {
                            _removed.Add(uid);
                        }
                    }
                    if (removed.Count > 0)
                    {
                        change = new ImapMailboxViewChange { Removed = removed };
                    }
                    break;
                case ImapMailboxEventKind.FlagsChanged when e.Message is { Flags: not null } m:
                    var target = m.Uid != 0 ? m.Uid : (m.SequenceNumber >= 1 && m.SequenceNumber <= _uids.Count ? _uids[(int)m.SequenceNumber - 1] : 0);
                    if (target == 0)
                    {
                        break;
                    }
                    if (_flags.ContainsKey(target))
                    {
                        if (!_flags[target].SequenceEqual(m.Flags))
                        {
                            _flags[target] = m.Flags;
                            change = new ImapMailboxViewChange { FlagsChanged = [target] };
                        }
                    }
                    else if (m.Uid != 0 && !_removed.Contains(target))
                    {
                        // a message not known yet: new ones reported by a QRESYNC SELECT, or fetched
                        AddLocked(target, m.Flags);
                        if (_unknownTail > 0)
                        {
                            _unknownTail--;
                        }
                        change = new ImapMailboxViewChange { Added = [target] };
                    }
                    break;
            }
        }
        if (change is not null)
        {
            Changed?.Invoke(this, change);
        }
    }

    private void AddLocked(uint uid, IReadOnlyList<string> flags)
    {
        if (_removed.Contains(uid) || _flags.ContainsKey(uid))
        {
            if (_flags.ContainsKey(uid))
            {
                _flags[uid] = flags;
            }
            return;
        }
        var index = _uids.BinarySearch(uid);
        _uids.Insert(index < 0 ? ~index : index, uid);
        _flags[uid] = flags;
    }

    private void RemoveLocked(uint uid)
    {
        var index = _uids.BinarySearch(uid);
        if (index >= 0)
        {
            _uids.RemoveAt(index);
        }
        _flags.Remove(uid);
        _removed.Add(uid);
    }

    private Dictionary<uint, IReadOnlyList<string>> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<uint, IReadOnlyList<string>>(_flags);
        }
    }

    private ImapMailboxViewChange Diff(Dictionary<uint, IReadOnlyList<string>> before, bool reset)
    {
        lock (_gate)
        {
            return new ImapMailboxViewChange
            {
                Added = _flags.Keys.Where(u => !before.ContainsKey(u)).Order().ToList(),
                Removed = before.Keys.Where(u => !_flags.ContainsKey(u)).Order().ToList(),
                FlagsChanged = _flags.Where(kv => before.TryGetValue(kv.Key, out var old) && !old.SequenceEqual(kv.Value)).Select(kv => kv.Key).Order().ToList(),
                NewMessagesPending = _unknownTail > 0,
                Reset = reset,
            };
        }
    }
}
