using MSSante.Mail;
using MSSante.Mail.Imap;

namespace MSSante.Webmail.Mail;

public sealed partial class MailSession
{
    /// <summary>
    /// Runs <paramref name="work"/> on the connection once IDLE has been ended. A lost connection
    /// (protocol error) is re-established with back-off, the view resynchronised, and the work
    /// retried once; a refusal by the server (command error) goes to the caller unchanged.
    /// <paramref name="cancellationToken"/> cancels the wait for the connection only: once a
    /// command is sent it runs to its end (only the session's end stops it), because a command
    /// abandoned midway leaves the exchange unknown and costs the connection. The caller's
    /// cancellation is reported after the work, whose results (cached rows) are kept.
    /// </summary>
    private async Task<T> RunAsync<T>(Func<ImapClient, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_idleLock)
        {
            _waiting++;
            _idleStop?.Cancel();
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            await _gate.WaitAsync(linked.Token);
        }
        finally
        {
            lock (_idleLock)
            {
                _waiting--;
            }
        }
        var token = _lifetime.Token;
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var client = await EnsureConnectedAsync(token);
                try
                {
                    var result = await work(client, token);
                    cancellationToken.ThrowIfCancellationRequested();
                    return result;
                }
                catch (MailProtocolException e) when (attempt == 0 && !token.IsCancellationRequested)
                {
                    LogReconnecting(_logger, 1, e);
                    await DropConnectionAsync();
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The connected client, with the current folder selected; reconnects (with back-off) and
    /// reopens the selected folder when needed. A connection is adopted only once its folder is
    /// selected again: one left half-opened (authenticated, nothing selected) would answer every
    /// folder command with "no mailbox selected". Caller holds the gate.
    /// </summary>
    private async Task<ImapClient> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } current && (_view is null || current.SelectedMailbox?.Name == _view.Mailbox))
        {
            return current;
        }
        await DropConnectionAsync();
        var user = User ?? throw new InvalidOperationException("The mail session has not been started.");
        for (var attempt = 0; ; attempt++)
        {
            ImapClient? client = null;
            try
            {
                client = await _connector.OpenImapAsync(user, cancellationToken);
                var resynchronised = false;
                if (_view is not null)
                {
                    try
                    {
                        // RFC 7162 §3.2.5: QRESYNC brings back what changed and what vanished meanwhile;
                        // without it the list comes from the SORT below and the flags are read again by the IDLE loop.
                        await _view.OpenDeferredAsync(client, cancellationToken: cancellationToken);
                        LogResynchronised(_logger, _view.LastSyncMethod);
                        await ReorderAsync(client, cancellationToken);
                    }
                    catch (MailCommandException e)
                    {
                        // The folder cannot be opened again (deleted or renamed elsewhere, access
                        // withdrawn): no folder is open any more; the page offers the others.
                        LogFolderLost(_logger, e);
                        DropView();
                        lock (_summaries)
                        {
                            _summaries.Clear();
                            _order = [];
                        }
                    }
                    await LoadFoldersAsync(client, cancellationToken);
                    resynchronised = true;
                }
                var adopted = client;
                _client = adopted;
                client = null;
                var wasOffline = !IsOnline;
                IsOnline = true;
                if (wasOffline && attempt > 0)
                {
                    Raise(new MailSessionChange(true, true, 0, true));
                }
                else if (resynchronised)
                {
                    // Mail that arrived while the connection was down came with the SELECT, before the
                    // order above included it: the page reads the list again now.
                    Raise(new MailSessionChange(true, true, 0, false));
                }
                return adopted;
            }
            catch (Exception e) when ((e is MailProtocolException or System.Net.Sockets.SocketException) && attempt < 50 && !cancellationToken.IsCancellationRequested)
            {
                IsOnline = false;
                Raise(new MailSessionChange(false, false, 0, true));
                LogReconnecting(_logger, attempt + 1, e);
                await Task.Delay(Backoff[Math.Min(attempt, Backoff.Length - 1)], cancellationToken);
            }
            finally
            {
                if (client is not null)
                {
                    // Not adopted (the folder could not be reopened on it): never left half-opened.
                    await client.DisposeAsync();
                }
            }
        }
    }

    private async Task DropConnectionAsync()
    {
        var client = _client;
        _client = null;
        if (client is not null)
        {
            await client.DisposeAsync();
        }
    }

    /// <summary>
    /// While nothing else needs the connection, IDLE (RFC 2177) on the selected folder. Changes
    /// arrive through the view's events; new messages end the IDLE so they can be fetched.
    /// </summary>
    private async Task IdleLoopAsync()
    {
        var token = _lifetime.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _gate.WaitAsync(token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            CancellationTokenSource? stop = null;
            var refused = false;
            try
            {
                lock (_idleLock)
                {
                    if (_waiting == 0 && _view is not null)
                    {
                        stop = new CancellationTokenSource();
                        _idleStop = stop;
                    }
                }
                // With nobody waiting for the connection and a folder open; otherwise let go and
                // look again after the short delay below (looping at once would spin on the gate).
                if (stop is not null)
                {
                    var client = await EnsureConnectedAsync(token);
                    // Reconnecting may have found the folder gone: nothing to follow until another is opened.
                    if (_view is { } view)
                    {
                        await FollowAsync(client, view, stop, token);
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (MailProtocolException e)
            {
                LogIdleError(_logger, e);
                await DropConnectionAsync();
            }
            catch (MailCommandException e)
            {
                LogIdleError(_logger, e);
                refused = true;
            }
            catch (Exception e)
            {
                // Never let the loop die silently (no more live mail): start again on a new connection.
                LogIdleError(_logger, e);
                await DropConnectionAsync();
                refused = true;
            }
            finally
            {
                lock (_idleLock)
                {
                    _idleStop = null;
                }
                stop?.Dispose();
                _gate.Release();
            }
            if (stop is null)
            {
                try
                {
                    await Task.Delay(50, token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
            else if (!IsOnline || refused)
            {
                // Offline, or the server refused IDLE or a flag slice: do not spin on it.
                await Task.Delay(refused ? 1000 : 500, CancellationToken.None);
            }
        }
    }

    private volatile bool _pendingNew;

    /// <summary>One turn of the IDLE loop on the open folder: new mail first, then a slice of flags or IDLE until interrupted.</summary>
    private async Task FollowAsync(ImapClient client, ImapMailboxView view, CancellationTokenSource stop, CancellationToken token)
    {
        if (_pendingNew)
        {
            _pendingNew = false;
            await RefreshNewAsync(client, view, token);
        }
        if (!view.IsComplete)
        {
            // The rows were shown from SELECT + SORT + FETCH alone; the view's flags are read
            // now, one slice per turn, so a click waits for one slice at most.
            if (!stop.IsCancellationRequested)
            {
                await CompleteViewAsync(client, view, token);
            }
        }
        else if (!stop.IsCancellationRequested)
        {
            await client.IdleAsync(stop.Token, token);
        }
        if (_pendingNew)
        {
            _pendingNew = false;
            await RefreshNewAsync(client, view, token);
        }
    }

    /// <summary>Messages per <c>UID FETCH (FLAGS)</c> slice while the view is completed in the background.</summary>
    internal const int FillSlice = 2500;

    private async Task CompleteViewAsync(ImapClient client, ImapMailboxView view, CancellationToken token)
    {
        var change = await view.CompleteAsync(FillSlice, token);
        if (change.Added.Count > 0 && ReferenceEquals(view, _view))
        {
            // New mail answered by a 1:* slice, or found by reading the list again: into the order.
            await ReorderAsync(client, token);
            await LoadFoldersAsync(client, token);
            Raise(new MailSessionChange(true, true, change.Added.Count, false));
        }
    }

    private async Task RefreshNewAsync(ImapClient client, ImapMailboxView view, CancellationToken token)
    {
        var change = await view.RefreshAsync(token);
        if (change.Added.Count > 0)
        {
            await ReorderAsync(client, token);
            await LoadFoldersAsync(client, token);
            Raise(new MailSessionChange(true, true, change.Added.Count, false));
        }
    }

    private void OnViewChanged(object? sender, ImapMailboxViewChange change)
    {
        if (!ReferenceEquals(sender, _view))
        {
            return;
        }
        if (change.NewMessagesPending)
        {
            _pendingNew = true;
            lock (_idleLock)
            {
                _idleStop?.Cancel();
            }
        }
        var listChanged = false;
        if (change.Removed.Count > 0)
        {
            Forget(change.Removed);
            listChanged = true;
        }
        if (change.FlagsChanged.Count > 0)
        {
            lock (_summaries)
            {
                foreach (var uid in change.FlagsChanged)
                {
                    if (_summaries.TryGetValue(uid, out var row) && _view?.FlagsOf(uid) is { } flags)
                    {
                        row.Summary.Flags = flags;
                    }
                }
            }
            listChanged = true;
        }
        if (change.Added.Count > 0 && !change.NewMessagesPending)
        {
            // Added outside RefreshAsync (QRESYNC during SELECT): the order is recomputed there.
            listChanged = true;
        }
        if (listChanged)
        {
            Raise(new MailSessionChange(true, false, 0, false));
        }
    }

    private async Task SelectAsync(ImapClient client, string imapName, CancellationToken cancellationToken)
    {
        var folder = Folders.FirstOrDefault(f => f.ImapName == imapName)
            ?? throw new InvalidOperationException("Unknown folder.");
        DropView();
        var view = TakeView(imapName);
        view.Changed += OnViewChanged;
        _view = view;
        CurrentFolder = folder;
        Search = null;
        lock (_summaries)
        {
            _summaries.Clear();
            _order = [];
        }
        // SELECT only (with QRESYNC when the folder was open before): the list comes from the SORT.
        await view.OpenDeferredAsync(client, cancellationToken: cancellationToken);
    }

    private void DropView()
    {
        if (_view is not null)
        {
            _view.Changed -= OnViewChanged;
            _view.Close();
            _view = null;
        }
        CurrentFolder = null;
    }

    /// <summary>Views of the folders opened last, newest first: reopening one costs a QRESYNC SELECT, not a new read.</summary>
    private readonly List<ImapMailboxView> _views = [];

    /// <summary>How many folders keep their view (UIDs and flags, a few bytes per message) once left.</summary>
    internal const int MaxCachedViews = 4;

    private ImapMailboxView TakeView(string imapName)
    {
        var view = _views.Find(v => v.Mailbox == imapName) ?? new ImapMailboxView(imapName);
        _views.Remove(view);
        _views.Insert(0, view);
        if (_views.Count > MaxCachedViews)
        {
            _views.RemoveRange(MaxCachedViews, _views.Count - MaxCachedViews);
        }
        return view;
    }

    /// <summary>Forgets the kept views of <paramref name="imapName"/> and the folders below it (renamed or deleted).</summary>
    private void ForgetViews(string imapName) =>
        _views.RemoveAll(v => v != _view && (v.Mailbox == imapName || v.Mailbox.StartsWith(imapName + "/", StringComparison.Ordinal)));

    /// <summary>Recomputes the display order: UID SORT (RFC 5256) when offered, else the view's UIDs by arrival.</summary>
    private async Task ReorderAsync(ImapClient client, CancellationToken cancellationToken)
    {
        if (_view is null)
        {
            return;
        }
        var query = Search?.ToQuery() ?? ImapSearchQuery.All;
        if (await ThreadOrderAsync(client, query, cancellationToken))
        {
            return;
        }
        IReadOnlyList<uint> uids;
        if (client.Supports("SORT"))
        {
            var key = SortKey switch
            {
                MailSortKey.From => "FROM",
                MailSortKey.Subject => "SUBJECT",
                MailSortKey.Size => "SIZE",
                _ => "DATE",
            };
            uids = await client.SortAsync((SortDescending ? "REVERSE " : "") + key, query, cancellationToken);
            if (Search is null)
            {
                // A SORT of ALL lists every message: the view needs no UID SEARCH of its own.
                _view.AdoptUids(uids);
            }
        }
        else
        {
            await EnsureViewUidsAsync(_view, cancellationToken);
            var found = Search is null ? _view.Uids : await client.SearchAsync(query, cancellationToken);
            uids = SortDescending ? found.Reverse().ToList() : found;
        }
        await EnsureViewUidsAsync(_view, cancellationToken);
        var order = _view.Filter(uids);
        lock (_summaries)
        {
            _order = order;
        }
    }

    /// <summary>Reads the view's UID list when no full SORT/THREAD gave it (a search is active, or the list went stale).</summary>
    private static async Task EnsureViewUidsAsync(ImapMailboxView view, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 3 && !view.UidsKnown; i++)
        {
            await view.CompleteAsync(int.MaxValue, cancellationToken);
        }
    }

    /// <summary>LIST-EXTENDED with SPECIAL-USE (RFC 6154) and STATUS (RFC 5819) for unread counts.</summary>
    private async Task LoadFoldersAsync(ImapClient client, CancellationToken cancellationToken)
    {
        var listed = await client.ListAsync("", "*", new ImapListOptions { ReturnSpecialUse = true, Status = ImapStatusItems.Messages | ImapStatusItems.Unseen }, cancellationToken);
        var user = User!;
        var folders = new List<MailFolder>();
        foreach (var info in listed.Where(i => i.CanSelect))
        {
            string mailbox;
            string relative;
            if (info.Name.StartsWith(SharedPrefix, StringComparison.Ordinal))
            {
                var rest = info.Name[SharedPrefix.Length..];
                var slash = rest.IndexOf('/');
                if (slash < 0)
                {
                    continue;
                }
                mailbox = rest[..slash];
                relative = rest[(slash + 1)..];
                // No filter on the sign-in list: the operator's ACLs (RFC 4314) decide which service
                // mailboxes are listed, so a delegation granted or revoked since sign-in counts at once.
            }
            else
            {
                mailbox = user.Address;
                relative = info.Name;
            }
            var role = RoleOf(info.SpecialUse, relative);
            var depth = relative.Count(ch => ch == '/');
            var leaf = relative[(relative.LastIndexOf('/') + 1)..];
            folders.Add(new MailFolder(mailbox, info.Name, LabelOf(role, leaf), role, IconOf(role), depth,
                info.Status?.Unseen ?? 0, info.Status?.Messages ?? 0));
        }
        var known = Mailboxes.ToList();
        Mailboxes = [user.Address, .. folders.Select(f => f.Mailbox).Where(m => m != user.Address).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderBy(m => known.IndexOf(m) is var i && i >= 0 ? i : int.MaxValue).ThenBy(m => m, StringComparer.OrdinalIgnoreCase)];
        Folders = folders
            .OrderBy(f => f.Mailbox == user.Address ? 0 : 1 + Mailboxes.ToList().IndexOf(f.Mailbox))
            .ThenBy(f => f.Depth == 0 ? f.Rank : 10)
            .ThenBy(f => f.ImapName, StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (CurrentFolder is not null)
        {
            CurrentFolder = Folders.FirstOrDefault(f => f.ImapName == CurrentFolder.ImapName) ?? CurrentFolder;
        }
    }

    private static string? RoleOf(string? specialUse, string relative)
    {
        if (relative.Equals("INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return "inbox";
        }
        if (specialUse is not null && relative.IndexOf('/') < 0)
        {
            return specialUse.TrimStart('\\').ToLowerInvariant();
        }
        // Shared mailboxes do not report SPECIAL-USE: recognise the operator's standard names.
        return relative switch
        {
            "Drafts" or "Brouillons" => "drafts",
            "Sent" or "Envoyés" or "Sent Messages" => "sent",
            "Trash" or "Corbeille" => "trash",
            "Junk" or "Spam" or "Indésirables" => "junk",
            "Archive" or "Archives" => "archive",
            _ => null,
        };
    }

    private static string LabelOf(string? role, string leaf) => role switch
    {
        "inbox" => "Boîte de réception",
        "drafts" => "Brouillons",
        "sent" => "Envoyés",
        "trash" => "Corbeille",
        "junk" => "Indésirables",
        "archive" => "Archives",
        _ => leaf,
    };

    private static string IconOf(string? role) => role switch
    {
        "inbox" => "inbox",
        "drafts" => "draft",
        "sent" => "send",
        "trash" => "delete",
        "junk" => "report",
        "archive" => "archive",
        _ => "folder",
    };
}
