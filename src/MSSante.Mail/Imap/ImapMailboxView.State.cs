namespace MSSante.Mail.Imap;

/// <summary>The compact flag store of the view and the recording of what one operation changed.</summary>
public sealed partial class ImapMailboxView
{
    // One byte per message: the system flags (RFC 9051 §2.3.2), whether keywords are in the side
    // table, and whether the flags are known at all (a deferred open learns them later).
    private const byte SeenBit = 1, AnsweredBit = 2, FlaggedBit = 4, DeletedBit = 8, DraftBit = 16, RecentBit = 32, KeywordsBit = 64, KnownBit = 128;
    private const byte SystemBits = SeenBit | AnsweredBit | FlaggedBit | DeletedBit | DraftBit | RecentBit;

    // The flag lists handed out for messages without keywords: one shared array per combination.
    private static readonly string[][] SystemLists = BuildSystemLists();

    private byte Encode(IReadOnlyList<string> flags, out string[]? keywords)
    {
        var bits = KnownBit;
        List<string>? others = null;
        foreach (var flag in flags)
        {
            var bit = SystemBit(flag);
            if (bit != 0)
            {
                bits |= bit;
            }
            else
            {
                // Keywords repeat across messages ($Forwarded, $MDNSent): one string per name.
                if (!_keywordNames.TryGetValue(flag, out var name))
                {
                    name = flag;
                    _keywordNames[flag] = name;
                }
                others ??= [];
                if (!others.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    others.Add(name);
                }
            }
        }
        keywords = others?.ToArray();
        return keywords is null ? bits : (byte)(bits | KeywordsBit);
    }

    // Flag names are case-insensitive (RFC 9051 §2.3.2).
    private static byte SystemBit(string flag) =>
        flag.Equals(ImapFlags.Seen, StringComparison.OrdinalIgnoreCase) ? SeenBit
        : flag.Equals(ImapFlags.Answered, StringComparison.OrdinalIgnoreCase) ? AnsweredBit
        : flag.Equals(ImapFlags.Flagged, StringComparison.OrdinalIgnoreCase) ? FlaggedBit
        : flag.Equals(ImapFlags.Deleted, StringComparison.OrdinalIgnoreCase) ? DeletedBit
        : flag.Equals(ImapFlags.Draft, StringComparison.OrdinalIgnoreCase) ? DraftBit
        : flag.Equals(RecentFlag, StringComparison.OrdinalIgnoreCase) ? RecentBit
        : (byte)0;

    private const string RecentFlag = "\\Recent";

    private static bool SameKeywords(string[]? a, string[]? b) =>
        (a?.Length ?? 0) == (b?.Length ?? 0) && (a is null || a.All(k => b!.Contains(k, StringComparer.OrdinalIgnoreCase)));

    private IReadOnlyList<string> ListOf(uint uid, byte bits)
    {
        var system = SystemLists[bits & SystemBits];
        if ((bits & KeywordsBit) == 0 || !_keywords.TryGetValue(uid, out var keywords))
        {
            return system;
        }
        return [.. system, .. keywords];
    }

    private static string[][] BuildSystemLists()
    {
        var lists = new string[SystemBits + 1][];
        for (var bits = 0; bits <= SystemBits; bits++)
        {
            var list = new List<string>();
            if ((bits & SeenBit) != 0)
            {
                list.Add(ImapFlags.Seen);
            }
            if ((bits & AnsweredBit) != 0)
            {
                list.Add(ImapFlags.Answered);
            }
            if ((bits & FlaggedBit) != 0)
            {
                list.Add(ImapFlags.Flagged);
            }
            if ((bits & DeletedBit) != 0)
            {
                list.Add(ImapFlags.Deleted);
            }
            if ((bits & DraftBit) != 0)
            {
                list.Add(ImapFlags.Draft);
            }
            if ((bits & RecentBit) != 0)
            {
                list.Add(RecentFlag);
            }
            lists[bits] = [.. list];
        }
        return lists;
    }

    private ChangeRecorder Record()
    {
        lock (_gate)
        {
            // Operations on one connection run one at a time; a nested one shares the outer recording.
            if (_recorder is not null)
            {
                _recorder.Depth++;
                return _recorder;
            }
            return _recorder = new ChangeRecorder();
        }
    }

    private void StopRecording(ChangeRecorder recorder)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_recorder, recorder))
            {
                return;
            }
            if (recorder.Depth == 0)
            {
                _recorder = null;
            }
            else
            {
                recorder.Depth--;
            }
        }
    }

    private ImapMailboxViewChange Publish(ChangeRecorder recorder, bool reset, bool raise = true)
    {
        ImapMailboxViewChange change;
        lock (_gate)
        {
            change = new ImapMailboxViewChange
            {
                Added = [.. recorder.Added.Order()],
                Removed = [.. recorder.Removed.Order()],
                FlagsChanged = [.. recorder.Flagged.Where(u => !recorder.Added.Contains(u)).Order()],
                NewMessagesPending = _unknownTail > 0,
                Reset = reset,
            };
        }
        if (raise && !change.IsEmpty)
        {
            Changed?.Invoke(this, change);
        }
        return change;
    }

    /// <summary>What one operation changed, in place of comparing before/after copies of the whole view.</summary>
    private sealed class ChangeRecorder
    {
        public HashSet<uint> Added { get; } = [];
        public HashSet<uint> Removed { get; } = [];
        public HashSet<uint> Flagged { get; } = [];
        public int Depth { get; set; }

        public void Add(uint uid) => Added.Add(uid);

        public void Remove(uint uid)
        {
            Flagged.Remove(uid);
            if (!Added.Remove(uid))
            {
                Removed.Add(uid);
            }
        }

        public void Flag(uint uid) => Flagged.Add(uid);

        public void Clear()
        {
            Added.Clear();
            Removed.Clear();
            Flagged.Clear();
        }
    }
}
