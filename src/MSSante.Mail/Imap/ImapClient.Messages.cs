using System.Globalization;
using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>The outcome of UID STORE.</summary>
/// <param name="Messages">The FETCH answers (new flags, modseq) for the stored messages.</param>
/// <param name="NotModified">UIDs refused by UNCHANGEDSINCE because they changed meanwhile (RFC 7162 MODIFIED).</param>
public sealed record ImapStoreResult(IReadOnlyList<ImapMessage> Messages, UidSet? NotModified);

public sealed partial class ImapClient
{
    /// <summary>
    /// UID FETCH (RFC 9051 §6.4.5, §6.4.9) of the items and body sections (always BODY.PEEK, so
    /// \Seen is never set by reading). With <paramref name="changedSince"/> only messages whose
    /// mod-sequence is higher are returned (RFC 7162 CHANGEDSINCE). Results are in server order.
    /// </summary>
    public async Task<IReadOnlyList<ImapMessage>> FetchAsync(UidSet uids, ImapFetchItems items, IEnumerable<ImapBodySection>? sections = null, ulong? changedSince = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uids);
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (uids.IsEmpty)
        {
            return [];
        }
        var command = new ImapCommand("UID FETCH").Raw(" " + uids + " (" + FetchItemList(items, sections) + ")");
        if (changedSince is { } cs && _engine.Has("CONDSTORE"))
        {
            command.Raw(" (CHANGEDSINCE " + cs.ToString(CultureInfo.InvariantCulture) + ")");
        }
        var results = new List<ImapMessage>();
        var byUid = new Dictionary<uint, ImapMessage>();
        command.OnUntagged = u =>
        {
            if (u.Kind != "FETCH" || u.Fetch is not { Uid: > 0 } m)
            {
                return false; // unsolicited FETCH without UID: only an event
            }
            if (byUid.TryGetValue(m.Uid, out var existing))
            {
                Merge(existing, m); // some servers split one message's data over several FETCH responses
            }
            else
            {
                byUid[m.Uid] = m;
                results.Add(m);
            }
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return results;
    }

    private static void Merge(ImapMessage into, ImapMessage from)
    {
        into.Flags = from.Flags ?? into.Flags;
        into.InternalDate = from.InternalDate ?? into.InternalDate;
        into.Size = from.Size ?? into.Size;
        into.Envelope = from.Envelope ?? into.Envelope;
        into.BodyStructure = from.BodyStructure ?? into.BodyStructure;
        into.ModSeq = from.ModSeq ?? into.ModSeq;
        into.Preview = from.Preview ?? into.Preview;
        foreach (var (k, v) in from.Sections)
        {
            into.AddSection(k, v);
        }
    }

    private string FetchItemList(ImapFetchItems items, IEnumerable<ImapBodySection>? sections)
    {
        var sb = new StringBuilder("UID");
        if (items.HasFlag(ImapFetchItems.Flags))
        {
            sb.Append(" FLAGS");
        }
        if (items.HasFlag(ImapFetchItems.InternalDate))
        {
            sb.Append(" INTERNALDATE");
        }
        if (items.HasFlag(ImapFetchItems.Size))
        {
            sb.Append(" RFC822.SIZE");
        }
        if (items.HasFlag(ImapFetchItems.Envelope))
        {
            sb.Append(" ENVELOPE");
        }
        if (items.HasFlag(ImapFetchItems.BodyStructure))
        {
            sb.Append(" BODYSTRUCTURE");
        }
        if (items.HasFlag(ImapFetchItems.ModSeq) && _engine.Has("CONDSTORE"))
        {
            sb.Append(" MODSEQ");
        }
        if (items.HasFlag(ImapFetchItems.Preview) && _engine.Has("PREVIEW"))
        {
            sb.Append(" PREVIEW");
        }
        foreach (var s in sections ?? [])
        {
            sb.Append(" BODY.PEEK[").Append(s.Section).Append(']');
            if (s.Offset is { } o)
            {
                sb.Append('<').Append(o.ToString(CultureInfo.InvariantCulture));
                if (s.Length is { } l)
                {
                    sb.Append('.').Append(l.ToString(CultureInfo.InvariantCulture));
                }
                sb.Append('>');
            }
        }
        return sb.ToString();
    }

    /// <summary>
    /// UID SEARCH (RFC 9051 §6.4.4) returning matching UIDs in ascending order; uses ESEARCH
    /// (RFC 4731) when offered and CHARSET UTF-8 when the criteria hold non-ASCII text.
    /// </summary>
    public async Task<IReadOnlyList<uint>> SearchAsync(ImapSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        var command = new ImapCommand("UID SEARCH");
        var esearch = _engine.Has("ESEARCH");
        if (esearch)
        {
            command.Raw(" RETURN (ALL)");
        }
        if (query.NeedsUtf8 && !_engine.Utf8Accept)
        {
            command.Raw(" CHARSET UTF-8");
        }
        query.WriteTo(command, topLevel: true);
        var uids = new List<uint>();
        command.OnUntagged = u =>
        {
            switch (u.Kind)
            {
                case "SEARCH":
                    ReadNumbers(u.Tokens, uids);
                    return true;
                case "ESEARCH":
                    ReadEsearchAll(u.Tokens, uids);
                    return true;
                default:
                    return false;
            }
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        uids.Sort();
        return uids;
    }

    private static void ReadNumbers(ImapTokenizer t, List<uint> into)
    {
        while (t.PeekIsDigit())
        {
            into.Add(t.ReadNumber());
        }
        // RFC 7162 §3.1.5: "(MODSEQ n)" may follow; ignored here
        while (!t.AtEnd)
        {
            t.SkipSpaces();
            if (t.AtEnd)
            {
                break;
            }
            t.SkipValue();
        }
    }

    private static void ReadEsearchAll(ImapTokenizer t, List<uint> into)
    {
        // RFC 4731: ESEARCH [(TAG "x")] [UID] *(SP return-data)
        t.SkipSpaces();
        if (t.Peek() == (byte)'(')
        {
            t.SkipValue();
        }
        while (true)
        {
            t.SkipSpaces();
            if (t.AtEnd)
            {
                break;
            }
            var name = t.ReadAtom().ToUpperInvariant();
            if (name == "UID")
            {
                continue;
            }
            if (name == "ALL")
            {
                into.AddRange(UidSet.Parse(t.ReadAtom()).Enumerate());
            }
            else
            {
                t.SkipValue();
            }
        }
    }

    /// <summary>UID SORT (RFC 5256) with criteria such as <c>REVERSE DATE</c> or <c>ARRIVAL</c>; only when the server offers SORT.</summary>
    public async Task<IReadOnlyList<uint>> SortAsync(string criteria, ImapSearchQuery query, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (!_engine.Has("SORT"))
        {
            throw new NotSupportedException("The server does not offer SORT.");
        }
        var command = new ImapCommand("UID SORT").Raw(" (" + criteria + ") UTF-8");
        query.WriteTo(command, topLevel: true);
        var uids = new List<uint>();
        command.OnUntagged = u =>
        {
            if (u.Kind != "SORT")
            {
                return false;
            }
            ReadNumbers(u.Tokens, uids);
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return uids;
    }

    /// <summary>UID THREAD (RFC 5256) with <c>REFERENCES</c> or <c>ORDEREDSUBJECT</c>; only when offered.</summary>
    public async Task<IReadOnlyList<ImapThread>> ThreadAsync(string algorithm, ImapSearchQuery query, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (!_engine.Has("THREAD=" + algorithm))
        {
            throw new NotSupportedException("The server does not offer THREAD=" + algorithm + ".");
        }
        var command = new ImapCommand("UID THREAD").Raw(" " + algorithm + " UTF-8");
        query.WriteTo(command, topLevel: true);
        var threads = new List<ImapThread>();
        command.OnUntagged = u =>
        {
            if (u.Kind != "THREAD")
            {
                return false;
            }
            while (true)
            {
                u.Tokens.SkipSpaces();
                if (u.Tokens.Peek() != (byte)'(')
                {
                    break;
                }
                threads.Add(ParseThread(u.Tokens));
            }
            return true;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return threads;
    }

    private static ImapThread ParseThread(ImapTokenizer t)
    {
        // thread-list = "(" (thread-members / thread-nested) ")"
        t.Expect((byte)'(');
        var chain = new List<uint>();
        while (t.PeekIsDigit())
        {
            chain.Add(t.ReadNumber());
        }
        var nested = new List<ImapThread>();
        while (true)
        {
            t.SkipSpaces();
            if (t.Peek() != (byte)'(')
            {
                break;
            }
            nested.Add(ParseThread(t));
        }
        t.Expect((byte)')');
        if (chain.Count == 0)
        {
            return new ImapThread(0, nested);
        }
        var node = new ImapThread(chain[^1], nested);
        for (var i = chain.Count - 2; i >= 0; i--)
        {
            node = new ImapThread(chain[i], [node]);
        }
        return node;
    }

    /// <summary>
    /// UID STORE of flags (RFC 9051 §6.4.6), with UNCHANGEDSINCE when given (RFC 7162 §3.1.3):
    /// messages changed meanwhile are reported in <see cref="ImapStoreResult.NotModified"/>.
    /// </summary>
    public async Task<ImapStoreResult> StoreAsync(UidSet uids, ImapStoreAction action, IEnumerable<string> flags, ulong? unchangedSince = null, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        var command = BuildStore(uids, action, flags, unchangedSince, silent: false);
        var messages = new List<ImapMessage>();
        command.OnUntagged = u =>
        {
            if (u.Kind == "FETCH" && u.Fetch is { } m)
            {
                messages.Add(m);
                return true;
            }
            return false;
        };
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        var notModified = command.Code == "MODIFIED" && command.CodeArgs is { } a ? UidSet.Parse(a) : null;
        return new ImapStoreResult(messages, notModified);
    }

    private ImapCommand BuildStore(UidSet uids, ImapStoreAction action, IEnumerable<string> flags, ulong? unchangedSince, bool silent)
    {
        var command = new ImapCommand("UID STORE").Raw(" " + uids);
        if (unchangedSince is { } u && _engine.Has("CONDSTORE"))
        {
            command.Raw(" (UNCHANGEDSINCE " + u.ToString(CultureInfo.InvariantCulture) + ")");
        }
        var op = action switch
        {
            ImapStoreAction.Add => "+FLAGS",
            ImapStoreAction.Remove => "-FLAGS",
            _ => "FLAGS",
        };
        return command.Raw(" " + op + (silent ? ".SILENT" : string.Empty) + " (" + string.Join(' ', flags) + ")");
    }

    /// <summary>UID COPY; returns the COPYUID mapping when the server has UIDPLUS.</summary>
    public async Task<ImapUidMapping?> CopyAsync(UidSet uids, string destination, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        var command = new ImapCommand("UID COPY").Raw(" " + uids).Mailbox(destination);
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        return command.Code == "COPYUID" ? ParseCopyUid(command.CodeArgs) : null;
    }

    /// <summary>
    /// UID MOVE (RFC 6851). Without MOVE: UID COPY, then \Deleted, then UID EXPUNGE of exactly
    /// those messages (RFC 4315), or, without UIDPLUS, an EXPUNGE that spares other \Deleted messages.
    /// </summary>
    public async Task<ImapUidMapping?> MoveAsync(UidSet uids, string destination, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (_engine.Has("MOVE"))
        {
            ImapUidMapping? mapping = null;
            var move = new ImapCommand("UID MOVE").Raw(" " + uids).Mailbox(destination);
            move.OnUntagged = u =>
            {
                // RFC 6851 §4.3: COPYUID comes in an untagged OK before the expunges.
                if (u.Kind == "OK" && u.Code == "COPYUID")
                {
                    mapping = ParseCopyUid(u.CodeArgs);
                    return true;
                }
                return false;
            };
            await _engine.RunAsync(move, cancellationToken).ConfigureAwait(false);
            return mapping ?? (move.Code == "COPYUID" ? ParseCopyUid(move.CodeArgs) : null);
        }
        var copy = new ImapCommand("UID COPY").Raw(" " + uids).Mailbox(destination);
        await _engine.RunAsync(copy, cancellationToken).ConfigureAwait(false);
        await _engine.RunAsync(BuildStore(uids, ImapStoreAction.Add, [ImapFlags.Deleted], null, silent: true), cancellationToken).ConfigureAwait(false);
        await ExpungeCoreAsync(uids, cancellationToken).ConfigureAwait(false);
        return copy.Code == "COPYUID" ? ParseCopyUid(copy.CodeArgs) : null;
    }

    /// <summary>
    /// Expunges: with <paramref name="uids"/>, only those (UID EXPUNGE, RFC 4315; without UIDPLUS the
    /// other \Deleted messages are unmarked for the time of the EXPUNGE and marked again); without, every \Deleted message.
    /// </summary>
    public async Task ExpungeAsync(UidSet? uids = null, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireSelected();
        if (uids is null)
        {
            await _engine.RunAsync(new ImapCommand("EXPUNGE"), cancellationToken).ConfigureAwait(false);
            return;
        }
        await ExpungeCoreAsync(uids, cancellationToken).ConfigureAwait(false);
    }

    private async Task ExpungeCoreAsync(UidSet uids, CancellationToken cancellationToken)
    {
        if (_engine.Has("UIDPLUS"))
        {
            await _engine.RunAsync(new ImapCommand("UID EXPUNGE").Raw(" " + uids), cancellationToken).ConfigureAwait(false);
            return;
        }
        var others = new List<uint>();
        var search = new ImapCommand("UID SEARCH").Raw(" DELETED");
        search.OnUntagged = u =>
            {
                if (u.Kind != "SEARCH")
                {
                    return false;
                }
                ReadNumbers(u.Tokens, others);
                return true;
            };
        await _engine.RunAsync(search, cancellationToken).ConfigureAwait(false);
        var keep = uids.IsOpenEnded ? [] : others.Except(uids.Enumerate()).ToList();
        if (keep.Count > 0)
        {
            await _engine.RunAsync(BuildStore(UidSet.Of(keep), ImapStoreAction.Remove, [ImapFlags.Deleted], null, silent: true), cancellationToken).ConfigureAwait(false);
        }
        await _engine.RunAsync(new ImapCommand("EXPUNGE"), cancellationToken).ConfigureAwait(false);
        if (keep.Count > 0)
        {
            await _engine.RunAsync(BuildStore(UidSet.Of(keep), ImapStoreAction.Add, [ImapFlags.Deleted], null, silent: true), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>APPEND (RFC 9051 §6.3.12) with flags and internal date; returns APPENDUID when the server has UIDPLUS.</summary>
    public async Task<ImapUidMapping?> AppendAsync(string mailbox, ReadOnlyMemory<byte> message, IEnumerable<string>? flags = null, DateTimeOffset? internalDate = null, CancellationToken cancellationToken = default)
    {
        using var _ = await _engine.AcquireAsync(cancellationToken).ConfigureAwait(false);
        RequireAuthenticated();
        var command = new ImapCommand("APPEND").Mailbox(mailbox);
        var flagList = flags?.ToList();
        if (flagList is { Count: > 0 })
        {
            command.Raw(" (" + string.Join(' ', flagList) + ")");
        }
        if (internalDate is { } d)
        {
            command.Raw(" \"" + FormatInternalDate(d) + "\"");
        }
        command.Literal(message);
        await _engine.RunAsync(command, cancellationToken).ConfigureAwait(false);
        if (command.Code == "APPENDUID" && command.CodeArgs is { } a)
        {
            var parts = a.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity))
            {
                return new ImapUidMapping(validity, [], UidSet.Parse(parts[1]).Enumerate().ToList());
            }
        }
        return null;
    }

    internal static string FormatInternalDate(DateTimeOffset d)
    {
        // date-time = DQUOTE date-day-fixed "-" date-month "-" date-year SP time SP zone DQUOTE
        var offset = d.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        offset = offset.Duration();
        return d.ToString("dd-MMM-yyyy HH:mm:ss ", CultureInfo.InvariantCulture) + sign + offset.Hours.ToString("D2", CultureInfo.InvariantCulture) + offset.Minutes.ToString("D2", CultureInfo.InvariantCulture);
    }

    private static ImapUidMapping? ParseCopyUid(string? args)
    {
        if (args is null)
        {
            return null;
        }
        var parts = args.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 3 || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var validity))
        {
            return null;
        }
        try
        {
            return new ImapUidMapping(validity, UidSet.Parse(parts[1]).Enumerate().ToList(), UidSet.Parse(parts[2]).Enumerate().ToList());
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
