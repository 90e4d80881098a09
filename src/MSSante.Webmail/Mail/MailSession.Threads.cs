using MSSante.Mail.Imap;

namespace MSSante.Webmail.Mail;

/// <summary>The conversation view: the list grouped by thread with the server's THREAD (RFC 5256).</summary>
public sealed partial class MailSession
{
    private Dictionary<uint, int> _threadDepth = [];

    /// <summary>True when the user asked for conversations (applied only where the server offers THREAD).</summary>
    public bool Threaded { get; private set; }

    /// <summary>The THREAD algorithm the server offers (REFERENCES preferred), or null: then the list stays flat.</summary>
    public string? ThreadAlgorithm { get; private set; }

    /// <summary>0 for a message that starts a conversation (or in the flat list), 1 and more for answers within it.</summary>
    public int ThreadDepth(uint uid)
    {
        lock (_summaries)
        {
            return _threadDepth.GetValueOrDefault(uid);
        }
    }

    /// <summary>Turns the conversation view on or off and reorders the list.</summary>
    public async Task SetThreadedAsync(bool threaded, CancellationToken cancellationToken = default)
    {
        Threaded = threaded;
        await RunAsync(async (c, ct) => { await ReorderAsync(c, ct); return 0; }, cancellationToken);
    }

    /// <summary>
    /// Orders the list by conversation when asked and offered: UID THREAD gives the trees, the
    /// conversations come newest activity first (or oldest with the ascending order), each one
    /// in reading order, answers under what they answer. Returns false to keep the flat order.
    /// </summary>
    private async Task<bool> ThreadOrderAsync(ImapClient client, ImapSearchQuery query, CancellationToken cancellationToken)
    {
        ThreadAlgorithm = client.Supports("THREAD=REFERENCES") ? "REFERENCES"
            : client.Supports("THREAD=ORDEREDSUBJECT") ? "ORDEREDSUBJECT"
            : null;
        if (!Threaded || ThreadAlgorithm is null || _view is null)
        {
            lock (_summaries)
            {
                _threadDepth = [];
            }
            return false;
        }
        var threads = await client.ThreadAsync(ThreadAlgorithm, query, cancellationToken);
        var walked = new List<List<(uint Uid, int Depth)>>();
        foreach (var thread in threads)
        {
            var members = new List<(uint Uid, int Depth)>();
            Walk(thread, 0, members);
            walked.Add(members);
        }
        var view = _view;
        if (Search is null)
        {
            // A THREAD of ALL holds every message: the view needs no UID SEARCH of its own.
            view.AdoptUids(walked.SelectMany(c => c.Select(m => m.Uid)));
        }
        await EnsureViewUidsAsync(view, cancellationToken);
        var conversations = new List<List<(uint Uid, int Depth)>>();
        foreach (var members in walked)
        {
            members.RemoveAll(m => !view.Contains(m.Uid));
            if (members.Count > 0)
            {
                conversations.Add(members);
            }
        }
        var ordered = SortDescending
            ? conversations.OrderByDescending(c => c.Max(m => m.Uid))
            : conversations.OrderBy(c => c.Max(m => m.Uid));
        var order = new List<uint>();
        var depth = new Dictionary<uint, int>();
        foreach (var conversation in ordered)
        {
            foreach (var (uid, d) in conversation)
            {
                order.Add(uid);
                depth[uid] = d;
            }
        }
        lock (_summaries)
        {
            _order = [.. order];
            _threadDepth = depth;
        }
        return true;
    }

    // RFC 5256 §4: a node without a message (UID 0) stands for a missing parent; its children
    // keep the depth it would have had, so siblings stay aligned.
    private static void Walk(ImapThread node, int depth, List<(uint Uid, int Depth)> into)
    {
        if (node.Uid != 0)
        {
            into.Add((node.Uid, depth));
        }
        var next = node.Uid != 0 ? depth + 1 : depth;
        foreach (var child in node.Children.OrderBy(c => FirstUid(c)))
        {
            Walk(child, next, into);
        }
    }

    private static uint FirstUid(ImapThread node) => node.Uid != 0 ? node.Uid : node.Children.Count == 0 ? uint.MaxValue : node.Children.Min(FirstUid);
}
