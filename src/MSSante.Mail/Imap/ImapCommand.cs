using System.Globalization;
using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>One part of a command line, encoded at send time according to the server's capabilities.</summary>
internal readonly record struct ImapCommandPart(ImapCommandPart.PartKind Kind, string? Text, ReadOnlyMemory<byte> Bytes, bool Private)
{
    internal enum PartKind
    {
        Raw,
        String,
        Mailbox,
        Literal,
    }
}

/// <summary>
/// A command in flight: its parts, its handlers for untagged and continuation responses, and,
/// once the tagged response arrived, its completion.
/// </summary>
internal sealed class ImapCommand
{
    private readonly List<ImapCommandPart> _parts = [];

    public ImapCommand(string name)
    {
        Name = name;
        Raw(name);
    }

    /// <summary>The command name for errors and logs (never the arguments).</summary>
    public string Name { get; }

    public IReadOnlyList<ImapCommandPart> Parts => _parts;

    /// <summary>Mask everything after the name in the protocol log (credentials).</summary>
    public bool Sensitive { get; set; }

    /// <summary>Gets the untagged responses (returns true when it consumed one).</summary>
    public Func<ImapUntagged, bool>? OnUntagged { get; set; }

    /// <summary>Answers a continuation request (AUTHENTICATE); returns the line to send, or null.</summary>
    public Func<byte[], CancellationToken, ValueTask<byte[]?>>? OnContinuation { get; set; }

    public string Tag { get; set; } = string.Empty;

    public bool Completed { get; set; }

    public ImapCompletionStatus Status { get; set; }

    public string? Code { get; set; }

    public string? CodeArgs { get; set; }

    public string Text { get; set; } = string.Empty;

    private bool _noSpace;

    /// <summary>The next argument follows without its separating space (first item inside a parenthesis).</summary>
    public void NoSpaceNext() => _noSpace = true;

    public ImapCommand Raw(string text)
    {
        if (_noSpace && text.Length > 0)
        {
            _noSpace = false;
            if (text[0] == ' ')
            {
                text = text[1..];
            }
            if (text.Length == 0)
            {
                return this;
            }
        }
        _parts.Add(new(ImapCommandPart.PartKind.Raw, text, default, false));
        return this;
    }

    public ImapCommand Space() => Raw(" ");

    public ImapCommand Number(ulong n) => Raw(" " + n.ToString(CultureInfo.InvariantCulture));

    /// <summary>An astring argument preceded by a space: quoted when possible, literal otherwise.</summary>
    public ImapCommand String(string value, bool isPrivate = false)
    {
        Space();
        _parts.Add(new(ImapCommandPart.PartKind.String, value, default, isPrivate));
        return this;
    }

    /// <summary>A mailbox name preceded by a space (modified UTF-7 unless UTF8=ACCEPT is enabled).</summary>
    public ImapCommand Mailbox(string name)
    {
        Space();
        _parts.Add(new(ImapCommandPart.PartKind.Mailbox, name, default, false));
        return this;
    }

    /// <summary>A literal preceded by a space (message bodies; elided in the log).</summary>
    public ImapCommand Literal(ReadOnlyMemory<byte> bytes)
    {
        Space();
        _parts.Add(new(ImapCommandPart.PartKind.Literal, null, bytes, true));
        return this;
    }

    /// <summary>Throws the command family exception if the server refused.</summary>
    public void ThrowIfFailed()
    {
        if (Status != ImapCompletionStatus.Ok)
        {
            throw new ImapCommandException(Name, Status, Code, Text);
        }
    }

    internal static bool IsQuotable(string s)
    {
        foreach (var c in s)
        {
            if (c is '\r' or '\n' or '\0' || c > 0x7e || c < 0x20)
            {
                return false;
            }
        }
        return s.Length < 1000;
    }

    internal static bool IsQuotableUtf8(string s)
    {
        foreach (var c in s)
        {
            if (c is '\r' or '\n' or '\0' || c < 0x20)
            {
                return false;
            }
        }
        return s.Length < 1000;
    }

    internal static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            if (c is '"' or '\\')
            {
                sb.Append('\\');
            }
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }
}

/// <summary>An untagged response as handed to command handlers.</summary>
internal sealed class ImapUntagged
{
    public required string Kind { get; init; }

    public uint Number { get; init; }

    public required ImapTokenizer Tokens { get; init; }

    /// <summary>For FETCH, the parsed data.</summary>
    public ImapMessage? Fetch { get; init; }

    /// <summary>For OK/NO/BAD, the response code.</summary>
    public string? Code { get; init; }

    public string? CodeArgs { get; init; }
}
