using System.Globalization;

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
/// <para>
/// <see cref="OpenDeferredAsync"/> selects without reading the whole mailbox: the caller takes the
/// UID list from its own first <c>UID SORT</c>/<c>SEARCH</c> of ALL (<see cref="AdoptUids"/>) and
/// fills the flags later, slice by slice, with <see cref="CompleteAsync"/>; live changes are
/// followed exactly meanwhile.
/// </para>
/// Flags are kept compactly: one byte of system flags per message, keywords (rare) in a side table.
/// </summary>
public sealed partial class ImapMailboxView
{
    private readonly Lock _gate = new();
    private readonly List<uint> _uids = []; // ascending = sequence order (RFC 9051 §2.3.1.2)
    private readonly List<byte> _bits = []; // parallel to _uids
    private readonly Dictionary<uint, string[]> _keywords = [];
    private readonly Dictionary<string, string> _keywordNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<uint> _removed = [];
    private ImapClient? _client;
    private uint _unknownTail;
    private bool _uidsKnown;
    private bool _uidsStale;
    private uint _fillBelow; // the flags of UIDs below this still have to be read; 0 when done
    private ChangeRecorder? _recorder;

    /// <summary>Creates an empty view of <paramref name="mailbox"/>.</summary>
    public ImapMailboxView(string mailbox) => Mailbox = mailbox;

    /// <summary>The mailbox name.</summary>
    public string Mailbox { get; }

    /// <summary>The UIDVALIDITY the cache belongs to (0 before the first open).</summary>
    public uint UidValidity { get; private set; }

    /// <summary>The mod-sequence the cache is known complete up to (0 without CONDSTORE).</summary>
    public ulong HighestModSeq { get; private set; }

    /// <summary>How the last open synchronised: "qresync", "condstore", "full" or "deferred".</summary>
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

    /// <summary>The number of messages in the view.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _uids.Count;
            }
        }
    }

    /// <summary>True when the UID list is known (always after <see cref="OpenAsync"/>; after <see cref="OpenDeferredAsync"/> once adopted or read).</summary>
    public bool UidsKnown
    {
        get
        {
            lock (_gate)
            {
                return _uidsKnown && !_uidsStale;
            }
        }
    }

    /// <summary>True when the UID list and every message's flags are known (nothing left for <see cref="CompleteAsync"/>).</summary>
    public bool IsComplete
    {
        get
        {
            lock (_gate)
            {
                return _uidsKnown && !_uidsStale && _fillBelow == 0;
            }
        }
    }

    /// <summary>The flags of a message, or null if it is not in the view or its flags are not known yet.</summary>
    public IReadOnlyList<string>? FlagsOf(uint uid)
    {
        lock (_gate)
        {
            var index = _uids.BinarySearch(uid);
            return index < 0 || (_bits[index] & KnownBit) == 0 ? null : ListOf(uid, _bits[index]);
        }
    }

    /// <summary>The UIDs of <paramref name="uids"/> that are in the view, in the given order (one look-up under one lock).</summary>
    public uint[] Filter(IReadOnlyList<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        lock (_gate)
        {
            var kept = new uint[uids.Count];
            var n = 0;
            foreach (var uid in uids)
            {
                if (_uids.BinarySearch(uid) >= 0)
                {
                    kept[n++] = uid;
                }
            }
            return n == kept.Length ? kept : kept[..n];
        }
    }

    /// <summary>True when the UID is in the view.</summary>
    public bool Contains(uint uid)
    {
        lock (_gate)
        {
            return _uids.BinarySearch(uid) >= 0;
        }
    }

    /// <summary>
    /// Selects the mailbox on <paramref name="client"/> (authenticated, nothing selected, or another
    /// mailbox selected) and brings the view up to date. Call again with a new client after a reconnect.
    /// </summary>
    public async Task<ImapMailboxViewChange> OpenAsync(ImapClient client, bool readOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var recorder = Record();
        try
        {
            var reset = await SelectCoreAsync(client, readOnly, deferred: false, cancellationToken).ConfigureAwait(false);
            for (var step = 0; !IsComplete && step < 4; step++)
            {
                await CompleteStepAsync(client, int.MaxValue, cancellationToken).ConfigureAwait(false);
            }
            return Publish(recorder, reset);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    /// <summary>
    /// Selects the mailbox and resynchronises only what is cheap: with QRESYNC and a view opened
    /// before, the changes the server sends with SELECT; otherwise nothing is read and the view
    /// waits for its UID list (<see cref="AdoptUids"/> with the caller's first full UID SORT or
    /// SEARCH, or <see cref="CompleteAsync"/>) and its flags (<see cref="CompleteAsync"/>).
    /// Live changes (EXISTS, EXPUNGE, VANISHED, FETCH) are followed exactly in the meantime.
    /// </summary>
    public async Task<ImapMailboxViewChange> OpenDeferredAsync(ImapClient client, bool readOnly = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var recorder = Record();
        try
        {
            var reset = await SelectCoreAsync(client, readOnly, deferred: true, cancellationToken).ConfigureAwait(false);
            return Publish(recorder, reset);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    /// <summary>
    /// Takes the complete UID list of the selected mailbox from a <c>UID SORT</c>, <c>UID SEARCH</c>
    /// or <c>UID THREAD</c> of ALL sent on the view's connection after the open, so the view needs
    /// no UID SEARCH of its own. Does nothing when the list is already known. Messages announced
    /// (EXISTS) but missing from <paramref name="uids"/> are reported as pending.
    /// </summary>
    public void AdoptUids(IEnumerable<uint> uids)
    {
        ArgumentNullException.ThrowIfNull(uids);
        var recorder = Record();
        try
        {
            lock (_gate)
            {
                if (_client is null || (_uidsKnown && !_uidsStale))
                {
                    return;
                }
                var sorted = uids.ToArray();
                Array.Sort(sorted);
                ReplaceUidsLocked(sorted);
                // RFC 9051 §7.4.1: the client's count follows EXISTS; what the search missed arrived meanwhile.
                var exists = _client.SelectedMailbox?.Count ?? (uint)_uids.Count;
                if (exists > _uids.Count)
                {
                    _unknownTail = exists - (uint)_uids.Count;
                }
                else if (exists < _uids.Count)
                {
                    _uidsStale = true; // an expunge not mapped yet: the next CompleteAsync reads the list
                }
            }
            Publish(recorder, false);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    /// <summary>
    /// One step towards a complete view: reads the UID list (UID SEARCH ALL) when it is not known,
    /// else the flags of the next <paramref name="maxMessages"/> messages whose flags were not read
    /// yet, newest first (<c>UID FETCH first:last (FLAGS)</c>). Call until <see cref="IsComplete"/>.
    /// Flags learnt for the first time are not reported as changes; flags that differ from a
    /// known value are.
    /// </summary>
    public async Task<ImapMailboxViewChange> CompleteAsync(int maxMessages = int.MaxValue, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("The view is not open.");
        var recorder = Record();
        try
        {
            await CompleteStepAsync(client, Math.Max(1, maxMessages), cancellationToken).ConfigureAwait(false);
            return Publish(recorder, false);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    /// <summary>Stops following the connection (another mailbox is about to be selected); the cache is kept for a later open.</summary>
    public void Close() => Detach();

    private async Task<bool> SelectCoreAsync(ImapClient client, bool readOnly, bool deferred, CancellationToken cancellationToken)
    {
        Detach();
        if (client.Supports("QRESYNC") && !client.EnabledExtensions.Contains("QRESYNC") && client.SelectedMailbox is null)
        {
            await client.EnableAsync(["QRESYNC"], cancellationToken).ConfigureAwait(false);
        }
        var qresync = client.EnabledExtensions.Contains("QRESYNC");
        ImapQResyncParameters? parameters = null;
        lock (_gate)
        {
            if (qresync && UidValidity != 0 && HighestModSeq != 0)
            {
                parameters = new ImapQResyncParameters(UidValidity, HighestModSeq, _uidsKnown && !_uidsStale && _uids.Count > 0 ? KnownUidsLocked() : null);
            }
            _unknownTail = 0;
        }
        _client = client;
        client.MailboxChanged += OnMailboxChanged;
        var selected = await client.SelectAsync(Mailbox, readOnly, parameters, cancellationToken).ConfigureAwait(false);
        var reset = false;
        bool known;
        lock (_gate)
        {
            if (UidValidity != selected.UidValidity)
            {
                reset = UidValidity != 0;
                _uids.Clear();
                _bits.Clear();
                _keywords.Clear();
                _removed.Clear();
                _unknownTail = 0;
                _uidsKnown = false;
                _uidsStale = false;
                _fillBelow = uint.MaxValue;
                _recorder?.Clear();
                UidValidity = selected.UidValidity;
                HighestModSeq = 0;
                parameters = null;
            }
            known = _uidsKnown && !_uidsStale;
        }
        if (parameters is not null && selected.HighestModSeq is not null)
        {
            // QRESYNC already sent VANISHED (EARLIER) and the changed/new messages' FETCH during SELECT.
            LastSyncMethod = "qresync";
            lock (_gate)
            {
                _unknownTail = 0;
                if (!_uidsKnown || _uids.Count != selected.Count)
                {
                    _uidsStale = true;
                }
            }
        }
        else if (known && selected.HighestModSeq is not null && HighestModSeq != 0)
        {
            // RFC 7162 §3.1: without QRESYNC, the UID list tells what vanished, CHANGEDSINCE what changed.
            LastSyncMethod = "condstore";
            await ReloadUidsAsync(client, cancellationToken).ConfigureAwait(false);
            var messages = await client.FetchAsync(UidSet.All, ImapFetchItems.Flags, changedSince: HighestModSeq, cancellationToken: cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                foreach (var m in messages)
                {
                    if (m.Flags is not null)
                    {
                        SetFlagsLocked(m.Uid, m.Flags);
                    }
                }
            }
        }
        else
        {
            LastSyncMethod = deferred && !known ? "deferred" : "full";
            lock (_gate)
            {
                // Nothing tells what changed: the list is read again and every flag re-read (a difference is a change).
                _uidsStale = _uidsKnown;
                _fillBelow = uint.MaxValue;
            }
        }
        lock (_gate)
        {
            HighestModSeq = selected.HighestModSeq ?? 0;
        }
        return reset;
    }

    /// <summary>The known UIDs as a sequence set, built in one pass over the sorted list (RFC 7162 §3.2.5 known-uids).</summary>
    private UidSet KnownUidsLocked()
    {
        var text = new System.Text.StringBuilder();
        var i = 0;
        while (i < _uids.Count)
        {
            var j = i;
            while (j + 1 < _uids.Count && _uids[j + 1] == _uids[j] + 1)
            {
                j++;
            }
            if (text.Length > 0)
            {
                text.Append(',');
            }
            text.Append(_uids[i].ToString(CultureInfo.InvariantCulture));
            if (j > i)
            {
                text.Append(':').Append(_uids[j].ToString(CultureInfo.InvariantCulture));
            }
            i = j + 1;
        }
        return UidSet.Parse(text.ToString());
    }

    private async Task CompleteStepAsync(ImapClient client, int maxMessages, CancellationToken cancellationToken)
    {
        bool needUids;
        lock (_gate)
        {
            needUids = !_uidsKnown || _uidsStale;
        }
        if (needUids)
        {
            await ReloadUidsAsync(client, cancellationToken).ConfigureAwait(false);
            return;
        }
        uint first, last;
        bool whole;
        lock (_gate)
        {
            if (_fillBelow == 0)
            {
                return;
            }
            var above = _uids.BinarySearch(_fillBelow);
            var hi = (above < 0 ? ~above : above) - 1;
            if (hi < 0)
            {
                _fillBelow = 0;
                return;
            }
            var lo = Math.Max(0, hi - (maxMessages - 1));
            (first, last) = (_uids[lo], _uids[hi]);
            whole = lo == 0 && hi == _uids.Count - 1;
        }
        // The answers reach the view through its MailboxChanged handler (flags read for the first
        // time are not changes); the list returned only tells whether a listed message is missing.
        var range = whole ? UidSet.All : UidSet.Parse(first.ToString(CultureInfo.InvariantCulture) + ":" + last.ToString(CultureInfo.InvariantCulture));
        var messages = await client.FetchAsync(range, ImapFetchItems.Flags, cancellationToken: cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var answered = new HashSet<uint>(messages.Select(m => m.Uid));
            var start = _uids.BinarySearch(first);
            for (var i = start < 0 ? ~start : start; i < _uids.Count && _uids[i] <= last; i++)
            {
                if (!answered.Contains(_uids[i]))
                {
                    // Listed but not answered: expunged without our being told; read the list again.
                    _uidsStale = true;
                    break;
                }
            }
            var firstIndex = _uids.BinarySearch(first);
            _fillBelow = whole || firstIndex == 0 ? 0 : first;
        }
    }

    private async Task ReloadUidsAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var uids = await client.SearchAsync(ImapSearchQuery.All, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            var sorted = uids.ToArray();
            Array.Sort(sorted);
            ReplaceUidsLocked(sorted);
        }
    }

    /// <summary>The list becomes <paramref name="sorted"/>: known flags are kept, the rest are unknown; removed UIDs never return.</summary>
    private void ReplaceUidsLocked(uint[] sorted)
    {
        var report = _uidsKnown;
        var uids = new List<uint>(sorted.Length);
        var bits = new List<byte>(sorted.Length);
        var j = 0;
        foreach (var uid in sorted)
        {
            if (_removed.Contains(uid) || (uids.Count > 0 && uids[^1] == uid))
            {
                continue;
            }
            while (j < _uids.Count && _uids[j] < uid)
            {
                Gone(_uids[j]);
                j++;
            }
            if (j < _uids.Count && _uids[j] == uid)
            {
                bits.Add(_bits[j]);
                j++;
            }
            else
            {
                bits.Add(0);
                if (report)
                {
                    _recorder?.Add(uid);
                }
            }
            uids.Add(uid);
        }
        for (; j < _uids.Count; j++)
        {
            Gone(_uids[j]);
        }
        _uids.Clear();
        _uids.AddRange(uids);
        _bits.Clear();
        _bits.AddRange(bits);
        _uidsKnown = true;
        _uidsStale = false;
        _unknownTail = 0;

        void Gone(uint uid)
        {
            _keywords.Remove(uid);
            _removed.Add(uid);
            _recorder?.Remove(uid);
        }
    }

    /// <summary>Fetches UIDs and flags of messages announced by EXISTS but not yet known.</summary>
    public async Task<ImapMailboxViewChange> RefreshAsync(CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("The view is not open.");
        var recorder = Record();
        try
        {
            if (!UidsKnown)
            {
                await ReloadUidsAsync(client, cancellationToken).ConfigureAwait(false);
                return Publish(recorder, false, raise: false);
            }
            await RefreshCoreAsync(client, cancellationToken).ConfigureAwait(false);
            return Publish(recorder, false, raise: false);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    /// <summary>
    /// IDLEs until the server reports a change or <paramref name="maxWait"/> passes, then fetches
    /// new messages; returns what changed (possibly nothing).
    /// </summary>
    public async Task<ImapMailboxViewChange> WaitForChangesAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        var client = _client ?? throw new InvalidOperationException("The view is not open.");
        var recorder = Record();
        try
        {
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
                await RefreshCoreAsync(client, cancellationToken).ConfigureAwait(false);
            }
            return Publish(recorder, false, raise: false);
        }
        finally
        {
            StopRecording(recorder);
        }
    }

    private async Task RefreshCoreAsync(ImapClient client, CancellationToken cancellationToken)
    {
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
                case ImapMailboxEventKind.Exists when _uidsKnown:
                    var known = (uint)_uids.Count + _unknownTail;
                    if (e.Number > known)
                    {
                        _unknownTail += e.Number - known;
                        change = new ImapMailboxViewChange { NewMessagesPending = true };
                    }
                    break;
                case ImapMailboxEventKind.Expunged:
                    if (!_uidsKnown || _uidsStale)
                    {
                        _uidsStale = _uidsKnown; // a sequence number that cannot be mapped yet
                    }
                    else if (e.Number >= 1 && e.Number <= _uids.Count)
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
                        if (_uids.BinarySearch(uid) >= 0)
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
                    var target = m.Uid;
                    if (target == 0 && _uidsKnown && !_uidsStale && m.SequenceNumber >= 1 && m.SequenceNumber <= _uids.Count)
                    {
                        target = _uids[(int)m.SequenceNumber - 1];
                    }
                    if (target == 0)
                    {
                        break;
                    }
                    if (_uids.BinarySearch(target) >= 0)
                    {
                        if (SetFlagsLocked(target, m.Flags))
                        {
                            change = new ImapMailboxViewChange { FlagsChanged = [target] };
                        }
                    }
                    else if (m.Uid != 0 && _uidsKnown && !_removed.Contains(target))
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

    /// <summary>Stores the flags of a listed message; true when they differ from known ones (a change to report).</summary>
    private bool SetFlagsLocked(uint uid, IReadOnlyList<string> flags)
    {
        var index = _uids.BinarySearch(uid);
        if (index < 0)
        {
            return false;
        }
        var bits = Encode(flags, out var keywords);
        var old = _bits[index];
        _keywords.TryGetValue(uid, out var oldKeywords);
        // \Recent alone is no change to report: it belongs to one session and goes at the next
        // SELECT (RFC 3501 §2.3.2; IMAP4rev2 dropped it).
        var changed = (old & KnownBit) != 0 && (((old ^ bits) & ~RecentBit) != 0 || !SameKeywords(oldKeywords, keywords));
        _bits[index] = bits;
        if (keywords is null)
        {
            _keywords.Remove(uid);
        }
        else
        {
            _keywords[uid] = keywords;
        }
        if (changed)
        {
            _recorder?.Flag(uid);
        }
        return changed;
    }

    private void AddLocked(uint uid, IReadOnlyList<string> flags)
    {
        if (_removed.Contains(uid))
        {
            return;
        }
        var index = _uids.BinarySearch(uid);
        if (index >= 0)
        {
            SetFlagsLocked(uid, flags);
            return;
        }
        _uids.Insert(~index, uid);
        _bits.Insert(~index, 0);
        SetFlagsLocked(uid, flags);
        _recorder?.Add(uid);
    }

    private void RemoveLocked(uint uid)
    {
        var index = _uids.BinarySearch(uid);
        if (index >= 0)
        {
            _uids.RemoveAt(index);
            _bits.RemoveAt(index);
        }
        _keywords.Remove(uid);
        _removed.Add(uid);
        _recorder?.Remove(uid);
    }
}
