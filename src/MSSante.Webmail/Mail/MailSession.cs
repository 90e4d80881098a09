using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Mime;

namespace MSSante.Webmail.Mail;

/// <summary>
/// The mail connection of one Blazor circuit: one IMAP connection for the signed-in user, the
/// selected folder kept exact by <see cref="ImapMailboxView"/>, IDLE whenever nothing else runs
/// so new mail and flag changes made elsewhere reach the page, and reconnection with back-off
/// followed by resynchronisation (QRESYNC/CONDSTORE) when the connection drops.
/// </summary>
public sealed partial class MailSession : IAsyncDisposable
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30)];

    private readonly MailConnector _connector;
    private readonly ILogger<MailSession> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _idleLock = new();
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Dictionary<uint, CachedRow> _summaries = [];
    private ImapClient? _client;
    private ImapMailboxView? _view;
    private CancellationTokenSource? _idleStop;
    private int _waiting;
    private Task? _idleLoop;
    private uint[] _order = []; // replaced, never changed in place: OrderedUids hands it out as is
    private long _rowClock;
    private bool _disposed;

    /// <summary>Rows fetched with the folder itself: what a list shows at first (Virtualize asks for about 30).</summary>
    internal const int FirstRows = 50;

    /// <summary>Row summaries kept for the rows shown most recently; older ones are fetched again if scrolled back to.</summary>
    internal const int MaxCachedRows = 300;

    public MailSession(MailConnector connector, ILogger<MailSession> logger, TrustSpace.MailAudit? audit = null, TrustSpace.DelegationNotifier? delegations = null)
    {
        _connector = connector;
        _logger = logger;
        _audit = audit;
        _delegations = delegations;
    }

    /// <summary>Raised (on a background thread) when the list, the folders or the connection changed.</summary>
    public event Action<MailSessionChange>? Changed;

    public MailUser? User { get; private set; }

    /// <summary>Mailbox addresses the user may open: own first, then delegated service mailboxes.</summary>
    public IReadOnlyList<string> Mailboxes { get; private set; } = [];

    public IReadOnlyList<MailFolder> Folders { get; private set; } = [];

    public MailFolder? CurrentFolder { get; private set; }

    public MailSortKey SortKey { get; private set; } = MailSortKey.Date;

    public bool SortDescending { get; private set; } = true;

    public MailSearch? Search { get; private set; }

    /// <summary>False while the connection is being re-established.</summary>
    public bool IsOnline { get; private set; }

    /// <summary>Messages in the list as currently filtered and sorted.</summary>
    public int Count
    {
        get
        {
            lock (_summaries)
            {
                return _order.Length;
            }
        }
    }

    /// <summary>
    /// True when the selected folder's view is complete (every UID and flag read): opening a folder
    /// shows its first rows before that, the IDLE loop then reads the rest in slices.
    /// </summary>
    public bool ListComplete => _view?.IsComplete ?? true;

    /// <summary>Whether the server offers a capability (e.g. THREAD=REFERENCES).</summary>
    public bool Supports(string capability) => _client?.Supports(capability) ?? false;

    /// <summary>Connects as <paramref name="user"/> and lists the folders. Idempotent.</summary>
    public async Task StartAsync(MailUser user, IReadOnlyList<string> mailboxes, CancellationToken cancellationToken = default)
    {
        if (User is not null)
        {
            return;
        }
        User = user;
        Mailboxes = mailboxes.Count > 0 ? mailboxes : [user.Address];
        if (_delegations is not null)
        {
            _delegations.AccessChanged += OnDelegationChanged;
        }
        await RunAsync(async (c, ct) => { await LoadFoldersAsync(c, ct); return 0; }, cancellationToken);
        _idleLoop = Task.Run(IdleLoopAsync);
    }

    /// <summary>Lists the folders again (names and unread counts).</summary>
    public Task RefreshFoldersAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async (c, ct) => { await LoadFoldersAsync(c, ct); return 0; }, cancellationToken);

    /// <summary>
    /// Selects <paramref name="imapName"/>, computes the ordered list and fetches its first rows:
    /// SELECT, UID SORT (or THREAD/SEARCH), UID FETCH of those rows. The view's complete flag state
    /// is read afterwards by the IDLE loop, a slice at a time (<see cref="ImapMailboxView.CompleteAsync"/>);
    /// a folder opened before is reopened with QRESYNC, so only its changes come back.
    /// </summary>
    public async Task OpenFolderAsync(string imapName, CancellationToken cancellationToken = default)
    {
        await RunAsync(async (c, ct) =>
        {
            await SelectAsync(c, imapName, ct);
            await ReorderAsync(c, ct);
            List<uint> first;
            lock (_summaries)
            {
                first = _order.Take(FirstRows).ToList();
            }
            await FetchRowsAsync(c, first, ct);
            return 0;
        }, cancellationToken);
    }

    /// <summary>Changes the order of the list (server SORT when offered).</summary>
    public async Task SortAsync(MailSortKey key, bool descending, CancellationToken cancellationToken = default)
    {
        SortKey = key;
        SortDescending = descending;
        await RunAsync(async (c, ct) => { await ReorderAsync(c, ct); return 0; }, cancellationToken);
    }

    /// <summary>Filters the list with IMAP SEARCH; null or empty shows everything again.</summary>
    public async Task SearchAsync(MailSearch? search, CancellationToken cancellationToken = default)
    {
        Search = search is null || search.IsEmpty ? null : search;
        await RunAsync(async (c, ct) => { await ReorderAsync(c, ct); return 0; }, cancellationToken);
    }

    /// <summary>The rows <paramref name="start"/>..start+count of the list, fetching only those not cached.</summary>
    public async Task<IReadOnlyList<MessageSummary>> GetRowsAsync(int start, int count, CancellationToken cancellationToken = default)
    {
        List<uint> wanted;
        List<uint> missing;
        lock (_summaries)
        {
            wanted = _order.Skip(Math.Max(0, start)).Take(Math.Max(0, count)).ToList();
            missing = wanted.Where(u => !_summaries.ContainsKey(u)).ToList();
        }
        if (missing.Count > 0)
        {
            await RunAsync(async (c, ct) => { await FetchRowsAsync(c, missing, ct); return 0; }, cancellationToken);
        }
        lock (_summaries)
        {
            var rows = new List<MessageSummary>(wanted.Count);
            var now = ++_rowClock;
            foreach (var uid in wanted)
            {
                if (_summaries.TryGetValue(uid, out var row))
                {
                    row.Used = now;
                    rows.Add(row.Summary);
                }
            }
            return rows;
        }
    }

    /// <summary>Fetches the summaries of <paramref name="uids"/> not cached yet (ENVELOPE, BODYSTRUCTURE, PREVIEW...). Caller holds the gate.</summary>
    private async Task FetchRowsAsync(ImapClient client, IReadOnlyCollection<uint> uids, CancellationToken cancellationToken)
    {
        List<uint> missing;
        lock (_summaries)
        {
            missing = uids.Where(u => !_summaries.ContainsKey(u)).ToList();
        }
        if (missing.Count == 0)
        {
            return;
        }
        var items = ImapFetchItems.Summary;
        if (client.Supports("PREVIEW"))
        {
            items |= ImapFetchItems.Preview;
        }
        var fetched = await client.FetchAsync(UidSet.Of(missing), items, cancellationToken: cancellationToken);
        lock (_summaries)
        {
            var now = ++_rowClock;
            foreach (var m in fetched)
            {
                var summary = MessageSummary.From(m);
                if (_view?.FlagsOf(m.Uid) is { } flags)
                {
                    summary.Flags = flags;
                }
                _summaries[m.Uid] = new CachedRow(summary) { Used = now };
            }
            TrimRowsLocked();
        }
    }

    /// <summary>Keeps the most recently shown rows only, so a long scroll does not keep every summary it passed.</summary>
    private void TrimRowsLocked()
    {
        if (_summaries.Count <= MaxCachedRows)
        {
            return;
        }
        var keep = MaxCachedRows * 3 / 4;
        foreach (var (uid, _) in _summaries.OrderBy(kv => kv.Value.Used).Take(_summaries.Count - keep).ToList())
        {
            _summaries.Remove(uid);
        }
    }

    /// <summary>
    /// The summary of a listed message when its row is cached; for a listed message whose row is
    /// no longer cached, a summary holding only its UID and flags (from the view).
    /// </summary>
    public MessageSummary? Find(uint uid)
    {
        lock (_summaries)
        {
            if (_summaries.TryGetValue(uid, out var row))
            {
                return row.Summary;
            }
        }
        return _view?.FlagsOf(uid) is { } flags ? new MessageSummary { Uid = uid, Flags = flags } : null;
    }

    /// <summary>The UIDs of the list in display order (a snapshot: the session replaces, never changes, it).</summary>
    public IReadOnlyList<uint> OrderedUids
    {
        get
        {
            lock (_summaries)
            {
                return _order;
            }
        }
    }

    /// <summary>
    /// Whether the current folder still holds <paramref name="uid"/> as the server last said
    /// (expunges remove it at once); the display order may lag behind while it is recomputed.
    /// </summary>
    public bool Holds(uint uid) => _view?.Contains(uid) ?? false;

    /// <summary>
    /// Fetches and parses a whole message of the current folder (BODY.PEEK: \Seen is set explicitly,
    /// in the same hold of the connection, so always in the folder the message was fetched from).
    /// The consultation's audit entry is being written when this returns: the caller shows the
    /// message first and awaits <see cref="LoadedMessage.Recorded"/> afterwards (a missing
    /// message and a refusal are recorded before returning).
    /// </summary>
    public async Task<LoadedMessage?> LoadMessageAsync(uint uid, bool markSeen, CancellationToken cancellationToken = default)
    {
        var mailbox = CurrentFolder?.Mailbox;
        try
        {
            var loaded = await LoadMessageCoreAsync(uid, markSeen, cancellationToken);
            if (loaded is not { } found)
            {
                await AuditAsync(mailbox, Domain.Audit.AuditAction.Consultation, [uid], "NO message absent", false);
                return null;
            }
            // Started now, awaited by the caller once the message is on screen: the write (a database
            // round trip, often the longest step of an opening) no longer delays the display. On the
            // thread pool, because SQLite's provider writes synchronously inside its async API.
            var messageId = found.Message.MessageId;
            var recorded = Task.Run(() => AuditAsync(mailbox, Domain.Audit.AuditAction.Consultation, [uid], "OK", true, messageId: messageId), CancellationToken.None);
            return new LoadedMessage(found.Message, found.Raw, recorded);
        }
        catch (MailCommandException e)
        {
            await AuditAsync(mailbox, Domain.Audit.AuditAction.Consultation, [uid], TrustSpace.MailAudit.Answer(e), false);
            throw;
        }
    }

    private Task<(MimeMessage Message, byte[] Raw)?> LoadMessageCoreAsync(uint uid, bool markSeen, CancellationToken cancellationToken) =>
        RunAsync<(MimeMessage, byte[])?>(async (c, ct) =>
        {
            var fetched = await c.FetchAsync(UidSet.Of(uid), ImapFetchItems.Flags, [new ImapBodySection("")], cancellationToken: ct);
            var m = fetched.FirstOrDefault(x => x.Uid == uid);
            if (m is null || !m.Sections.TryGetValue("", out var raw))
            {
                return null;
            }
            if (markSeen && !m.IsSeen)
            {
                await c.StoreAsync(UidSet.Of(uid), ImapStoreAction.Add, [ImapFlags.Seen], cancellationToken: ct);
                UpdateFlags([uid], ImapFlags.Seen, true);
            }
            return (MimeMessage.Load(raw), raw);
        }, cancellationToken);

    /// <summary>Adds or removes a flag on messages of the current folder.</summary>
    public async Task SetFlagAsync(IReadOnlyCollection<uint> uids, string flag, bool add, CancellationToken cancellationToken = default)
    {
        if (uids.Count == 0)
        {
            return;
        }
        await RunAsync(async (c, ct) =>
        {
            await c.StoreAsync(UidSet.Of(uids), add ? ImapStoreAction.Add : ImapStoreAction.Remove, [flag], cancellationToken: ct);
            return 0;
        }, cancellationToken);
        UpdateFlags(uids, flag, add);
        await RefreshFoldersAsync(cancellationToken);
        Raise(new MailSessionChange(true, true, 0, false));
    }

    /// <summary>Moves messages to another folder (MOVE, RFC 6851).</summary>
    public Task MoveAsync(IReadOnlyCollection<uint> uids, string destination, CancellationToken cancellationToken = default) =>
        MoveCoreAsync(uids, destination, Domain.Audit.AuditAction.Deplacement, cancellationToken);

    private async Task MoveCoreAsync(IReadOnlyCollection<uint> uids, string destination, Domain.Audit.AuditAction action, CancellationToken cancellationToken)
    {
        if (uids.Count == 0 || destination == CurrentFolder?.ImapName)
        {
            return;
        }
        var mailbox = CurrentFolder?.Mailbox;
        var detail = "vers=" + (Folders.FirstOrDefault(f => f.ImapName == destination)?.Role ?? "dossier");
        IReadOnlyDictionary<uint, string?> ids = new Dictionary<uint, string?>();
        try
        {
            await RunAsync(async (c, ct) =>
            {
                ids = await MessageIdsAsync(c, uids, ct);
                await c.MoveAsync(UidSet.Of(uids), destination, ct);
                Forget(uids);
                await LoadFoldersAsync(c, ct);
                return 0;
            }, cancellationToken);
        }
        catch (MailCommandException e)
        {
            await AuditAsync(mailbox, action, uids, TrustSpace.MailAudit.Answer(e), false, detail, ids);
            throw;
        }
        await AuditAsync(mailbox, action, uids, "OK", true, detail, ids);
        Raise(new MailSessionChange(true, true, 0, false));
    }

    /// <summary>Deletes messages: to the mailbox's Trash, or for good when already in the Trash.</summary>
    public async Task DeleteAsync(IReadOnlyCollection<uint> uids, CancellationToken cancellationToken = default)
    {
        var current = CurrentFolder;
        if (current is null || uids.Count == 0)
        {
            return;
        }
        var trash = FolderFor(current.Mailbox, "trash");
        if (trash is null || trash.ImapName == current.ImapName)
        {
            IReadOnlyDictionary<uint, string?> ids = new Dictionary<uint, string?>();
            try
            {
                await RunAsync(async (c, ct) =>
                {
                    ids = await MessageIdsAsync(c, uids, ct);
                    await c.StoreAsync(UidSet.Of(uids), ImapStoreAction.Add, [ImapFlags.Deleted], cancellationToken: ct);
                    await c.ExpungeAsync(UidSet.Of(uids), ct);
                    Forget(uids);
                    await LoadFoldersAsync(c, ct);
                    return 0;
                }, cancellationToken);
            }
            catch (MailCommandException e)
            {
                await AuditAsync(current.Mailbox, Domain.Audit.AuditAction.Suppression, uids, TrustSpace.MailAudit.Answer(e), false, "definitive", ids);
                throw;
            }
            await AuditAsync(current.Mailbox, Domain.Audit.AuditAction.Suppression, uids, "OK", true, "definitive", ids);
            Raise(new MailSessionChange(true, true, 0, false));
            return;
        }
        await MoveCoreAsync(uids, trash.ImapName, Domain.Audit.AuditAction.Suppression, cancellationToken);
    }

    /// <summary>The folder of a given role (drafts, sent, trash, archive, junk, inbox) in a mailbox.</summary>
    public MailFolder? FolderFor(string mailbox, string role) =>
        Folders.FirstOrDefault(f => f.Mailbox == mailbox && f.Role == role);

    /// <summary>Creates a folder under the mailbox's root.</summary>
    public Task CreateFolderAsync(string mailbox, string name, CancellationToken cancellationToken = default) =>
        RunAsync(async (c, ct) =>
        {
            await c.CreateMailboxAsync(FolderPrefix(mailbox) + name.Trim(), cancellationToken: ct);
            await c.SubscribeAsync(FolderPrefix(mailbox) + name.Trim(), ct);
            await LoadFoldersAsync(c, ct);
            return 0;
        }, cancellationToken);

    /// <summary>Renames a folder (beside where it is); returns its new IMAP name. The renamed folder, if open, is closed.</summary>
    public Task<string> RenameFolderAsync(MailFolder folder, string newName, CancellationToken cancellationToken = default) =>
        RunAsync(async (c, ct) =>
        {
            var slash = folder.ImapName.LastIndexOf('/');
            var target = (slash < 0 ? "" : folder.ImapName[..(slash + 1)]) + newName.Trim();
            if (CurrentFolder?.ImapName == folder.ImapName)
            {
                await c.UnselectAsync(cancellationToken: ct);
                DropView();
            }
            ForgetViews(folder.ImapName);
            await c.RenameMailboxAsync(folder.ImapName, target, ct);
            await LoadFoldersAsync(c, ct);
            return target;
        }, cancellationToken);

    public Task DeleteFolderAsync(MailFolder folder, CancellationToken cancellationToken = default) =>
        RunAsync(async (c, ct) =>
        {
            if (CurrentFolder?.ImapName == folder.ImapName)
            {
                await c.UnselectAsync(cancellationToken: ct);
                DropView();
            }
            ForgetViews(folder.ImapName);
            await c.DeleteMailboxAsync(folder.ImapName, ct);
            await LoadFoldersAsync(c, ct);
            return 0;
        }, cancellationToken);

    /// <summary>The IMAP prefix of a mailbox's folders: empty for the own mailbox, <c>shared/addr/</c> for a service mailbox.</summary>
    public string FolderPrefix(string mailbox) => User is not null && mailbox == User.Address ? "" : SharedPrefix + mailbox + "/";

    private const string SharedPrefix = "shared/";

    private void UpdateFlags(IEnumerable<uint> uids, string flag, bool add)
    {
        lock (_summaries)
        {
            foreach (var uid in uids)
            {
                if (_summaries.TryGetValue(uid, out var row))
                {
                    var set = row.Summary.Flags.Where(f => !f.Equals(flag, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (add)
                    {
                        set.Add(flag);
                    }
                    row.Summary.Flags = set;
                }
            }
        }
    }

    private void Forget(IEnumerable<uint> uids)
    {
        var gone = uids.ToHashSet();
        lock (_summaries)
        {
            _order = _order.Where(u => !gone.Contains(u)).ToArray();
            foreach (var u in gone)
            {
                _summaries.Remove(u);
            }
        }
    }

    /// <summary>One cached row and when it was last shown.</summary>
    private sealed class CachedRow(MessageSummary summary)
    {
        public MessageSummary Summary { get; } = summary;
        public long Used { get; set; }
    }

    private void Raise(MailSessionChange change)
    {
        try
        {
            Changed?.Invoke(change);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogListenerFailed(_logger, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        await _lifetime.CancelAsync();
        if (_delegations is not null)
        {
            _delegations.AccessChanged -= OnDelegationChanged;
        }
        lock (_idleLock)
        {
            _idleStop?.Cancel();
        }
        if (_idleLoop is not null)
        {
            try
            {
                await _idleLoop.WaitAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or MailProtocolException)
            {
                // the connection is closed below anyway
            }
        }
        if (_client is not null)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _client.LogoutAsync(timeout.Token);
            }
            catch (Exception e) when (e is MailProtocolException or OperationCanceledException or IOException)
            {
                // already gone
            }
            await _client.DisposeAsync();
        }
        _lifetime.Dispose();
    }

    [LoggerMessage(EventId = 6001, Level = LogLevel.Warning, Message = "IMAP connection lost, reconnecting (attempt {Attempt})")]
    private static partial void LogReconnecting(ILogger logger, int attempt, Exception exception);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "IMAP session resynchronised ({Method})")]
    private static partial void LogResynchronised(ILogger logger, string? method);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Error, Message = "A mail session listener failed")]
    private static partial void LogListenerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Warning, Message = "IDLE loop error")]
    private static partial void LogIdleError(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Warning, Message = "The open folder could not be reopened after a reconnection; no folder is open now")]
    private static partial void LogFolderLost(ILogger logger, Exception exception);
}
