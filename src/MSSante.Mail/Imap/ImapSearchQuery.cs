using System.Globalization;

namespace MSSante.Mail.Imap;

/// <summary>
/// Search criteria (RFC 9051 §6.4.4) built as a tree and written as command arguments. String
/// values become quoted strings or literals as needed; text containing non-ASCII characters
/// makes the client announce <c>CHARSET UTF-8</c> (unless UTF8=ACCEPT is enabled).
/// </summary>
public sealed class ImapSearchQuery
{
    private readonly string _keyword;
    private readonly string? _argument;
    private readonly string? _rawArgument;
    private readonly ImapSearchQuery[] _children;

    private ImapSearchQuery(string keyword, string? argument = null, string? rawArgument = null, params ImapSearchQuery[] children)
    {
        _keyword = keyword;
        _argument = argument;
        _rawArgument = rawArgument;
        _children = children;
    }

    /// <summary>Every message.</summary>
    public static ImapSearchQuery All { get; } = new("ALL");

    /// <summary>Messages without \Seen.</summary>
    public static ImapSearchQuery Unseen { get; } = new("UNSEEN");

    /// <summary>Messages with \Seen.</summary>
    public static ImapSearchQuery Seen { get; } = new("SEEN");

    /// <summary>Messages with \Flagged.</summary>
    public static ImapSearchQuery Flagged { get; } = new("FLAGGED");

    /// <summary>Messages with \Deleted.</summary>
    public static ImapSearchQuery Deleted { get; } = new("DELETED");

    /// <summary>Messages with \Answered.</summary>
    public static ImapSearchQuery Answered { get; } = new("ANSWERED");

    /// <summary>Header or body contains the text.</summary>
    public static ImapSearchQuery Text(string text) => new("TEXT", text);

    /// <summary>Body contains the text.</summary>
    public static ImapSearchQuery Body(string text) => new("BODY", text);

    /// <summary>Subject contains the text.</summary>
    public static ImapSearchQuery Subject(string text) => new("SUBJECT", text);

    /// <summary>From contains the text.</summary>
    public static ImapSearchQuery From(string text) => new("FROM", text);

    /// <summary>To contains the text.</summary>
    public static ImapSearchQuery To(string text) => new("TO", text);

    /// <summary>Cc contains the text.</summary>
    public static ImapSearchQuery Cc(string text) => new("CC", text);

    /// <summary>The named header contains the text (empty text: the header exists).</summary>
    public static ImapSearchQuery Header(string field, string text) => new("HEADER", field, null, new ImapSearchQuery(string.Empty, text));

    /// <summary>The keyword flag is set.</summary>
    public static ImapSearchQuery Keyword(string flag) => new("KEYWORD", null, flag);

    /// <summary>Internal date on or after the day.</summary>
    public static ImapSearchQuery Since(DateOnly day) => new("SINCE", null, Day(day));

    /// <summary>Internal date before the day.</summary>
    public static ImapSearchQuery Before(DateOnly day) => new("BEFORE", null, Day(day));

    /// <summary>Larger than n octets.</summary>
    public static ImapSearchQuery Larger(uint n) => new("LARGER", null, n.ToString(CultureInfo.InvariantCulture));

    /// <summary>UIDs in the set.</summary>
    public static ImapSearchQuery Uids(UidSet set) => new("UID", null, set.ToString());

    /// <summary>Changed since the mod-sequence (CONDSTORE, RFC 7162 §3.1.5).</summary>
    public static ImapSearchQuery ChangedSince(ulong modSeq) => new("MODSEQ", null, modSeq.ToString(CultureInfo.InvariantCulture));

    /// <summary>Both criteria.</summary>
    public static ImapSearchQuery And(params ImapSearchQuery[] queries) => new("(", null, null, queries);

    /// <summary>Either criterion.</summary>
    public static ImapSearchQuery Or(ImapSearchQuery a, ImapSearchQuery b) => new("OR", null, null, a, b);

    /// <summary>Not the criterion.</summary>
    public static ImapSearchQuery Not(ImapSearchQuery a) => new("NOT", null, null, a);

    /// <summary>True when some string argument needs UTF-8.</summary>
    internal bool NeedsUtf8 => (_argument is not null && _argument.Any(c => c > 0x7e)) || _children.Any(c => c.NeedsUtf8);

    internal void WriteTo(ImapCommand command, bool topLevel = false)
    {
        if (topLevel && _keyword == "(")
        {
            // search keys are ANDed by juxtaposition (RFC 9051 §6.4.4); parentheses only when nested
            foreach (var child in _children)
            {
                child.WriteTo(command);
            }
            return;
        }
        switch (_keyword)
        {
            case "":
                command.String(_argument ?? string.Empty, isPrivate: true);
                return;
            case "(":
                command.Raw(" (");
                command.NoSpaceNext();
                foreach (var child in _children)
                {
                    child.WriteTo(command);
                }
                command.Raw(")");
                return;
        }
        command.Raw(" " + _keyword);
        if (_argument is not null)
        {
            command.String(_argument, isPrivate: true);
        }
        if (_rawArgument is not null)
        {
            command.Raw(" " + _rawArgument);
        }
        foreach (var child in _children)
        {
            child.WriteTo(command);
        }
    }

    private static string Day(DateOnly d) => d.ToString("d-MMM-yyyy", CultureInfo.InvariantCulture);
}
