using System.Buffers;
using System.Globalization;
using System.Text;
using MSSante.Mail.Net;

namespace MSSante.Mail.Imap;

/// <summary>
/// Owns the IMAP connection: tags, state, capabilities, the command queue (one command sequence
/// at a time, pipelined when possible), and the untagged responses that update the selected
/// mailbox whatever command is running. Server quirks live here and in the parsers, nowhere else.
/// </summary>
internal sealed partial class ImapEngine : IAsyncDisposable
{
    private readonly MailConnectionOptions _options;
    private readonly MailTransport _transport;
    // A response larger than this (a SORT of a big mailbox, a whole message) does not leave its
    // buffer to the connection for the rest of its life: idle connections stay small.
    private const int KeptResponseBuffer = 32 * 1024;
    private ArrayBufferWriter<byte> _response = new(8192);
    private readonly SemaphoreSlim _queue = new(1, 1);
    private readonly IMailProtocolLog? _log;
    private int _tagCounter;
    private string? _byeText;

    public ImapEngine(MailConnectionOptions options)
    {
        _options = options;
        _log = options.ProtocolLog;
        _transport = new MailTransport(options, static (m, e) => new ImapProtocolException(m, e));
    }

    public HashSet<string> Capabilities { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Enabled { get; } = new(StringComparer.OrdinalIgnoreCase);

    public ImapState State { get; set; } = ImapState.Disconnected;

    public ImapSelectedMailbox? Selected { get; set; }

    public bool Utf8Accept => Enabled.Contains("UTF8=ACCEPT");

    public bool QResync => Enabled.Contains("QRESYNC");

    public MailTransport Transport => _transport;

    public MailConnectionOptions Options => _options;

    public event EventHandler<ImapMailboxEvent>? MailboxEvent;

    public event EventHandler<ImapAlertEventArgs>? Alert;

    /// <summary>Serialises callers (the command queue). Cancelling an IDLE in progress lets the next caller in.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        _idleInterrupt?.Cancel();
        await _queue.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Releaser(_queue);
    }

    private sealed class Releaser(SemaphoreSlim s) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                s.Release();
            }
        }
    }

    public async Task ConnectAsync(Stream? stream, CancellationToken cancellationToken)
    {
        if (stream is null)
        {
            await _transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            _transport.Attach(stream);
        }
        try
        {
            await ReadGreetingAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsParserFailure(ex))
        {
            throw Garbled(ex);
        }
    }

    private async Task ReadGreetingAsync(CancellationToken cancellationToken)
    {
        // Greeting: RFC 9051 §7.1.1 (OK), §7.1.4 (PREAUTH), §7.1.5 (BYE).
        var t = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
        if (!t.TryConsume((byte)'*'))
        {
            throw t.Error("greeting");
        }
        var kind = t.ReadAtom().ToUpperInvariant();
        var (code, args) = t.ReadResponseCode();
        var text = t.ReadRest();
        if (code == "CAPABILITY" && args is not null)
        {
            SetCapabilities(args);
        }
        switch (kind)
        {
            case "OK":
                State = ImapState.NotAuthenticated;
                break;
            case "PREAUTH":
                State = ImapState.Authenticated;
                break;
            case "BYE":
                await _transport.DisposeAsync().ConfigureAwait(false);
                throw new ImapProtocolException("The server refused the connection: " + text);
            default:
                throw t.Error("greeting");
        }
        if (code == "ALERT")
        {
            Alert?.Invoke(this, new ImapAlertEventArgs(text));
        }
    }

    public void SetCapabilities(string list)
    {
        Capabilities.Clear();
        foreach (var cap in list.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            Capabilities.Add(cap);
        }
    }

    public bool Has(string capability) => Capabilities.Contains(capability);

    public bool HasAuth(string mechanism) => Capabilities.Contains("AUTH=" + mechanism);

    /// <summary>
    /// Reads one whole response: its line and, for each literal announced at a line end, the
    /// literal bytes and the line that follows them.
    /// </summary>
    private async ValueTask<ImapTokenizer> ReadResponseAsync(TimeSpan? timeout, CancellationToken cancellationToken)
    {
        if (_response.Capacity > KeptResponseBuffer)
        {
            _response = new ArrayBufferWriter<byte>(8192); // the previous tokenizer is done with the old one
        }
        _response.Clear();
        var lineStart = 0;
        while (true)
        {
            await _transport.ReadLineAsync(_response, timeout, cancellationToken).ConfigureAwait(false);
            var line = _response.WrittenSpan[lineStart..];
            var literal = LiteralSizeAtEnd(line);
            if (_log is not null)
            {
                LogServerLine(line, lineStart == 0, literal);
            }
            if (literal < 0)
            {
                break;
            }
            if (literal > _options.MaxLiteralSize)
            {
                _transport.MarkBroken();
                throw new ImapProtocolException($"The server announced a literal of {literal} bytes, above the limit.");
            }
            _response.Write("\r\n"u8);
            await _transport.ReadExactAsync(_response, literal, cancellationToken).ConfigureAwait(false);
            lineStart = _response.WrittenCount;
        }
        // The buffer is reused; the tokenizer reads it before the next response is read.
        var data = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(_response.WrittenMemory, out var seg) ? seg.Array! : _response.WrittenSpan.ToArray();
        return new ImapTokenizer(data, _response.WrittenCount);
    }

    private bool _loggingFetch;

    private void LogServerLine(ReadOnlySpan<byte> line, bool first, long literal)
    {
        if (first)
        {
            // FETCH answers carry subjects, addresses and bodies: only their shape is logged.
            _loggingFetch = IsFetchLine(line);
        }
        var text = _loggingFetch ? (first ? FetchShape(line) : "...") : ProtocolText.Printable(line);
        if (literal >= 0)
        {
            text += $" <literal {literal} bytes elided>";
        }
        _log!.Server(text);
    }

    private static bool IsFetchLine(ReadOnlySpan<byte> line)
        => line.Length > 2 && line[0] == (byte)'*' && line.IndexOf(" FETCH "u8) > 0 && line.IndexOf(" FETCH "u8) < 16;

    private static string FetchShape(ReadOnlySpan<byte> line)
    {
        var idx = line.IndexOf(" FETCH "u8);
        return ProtocolText.Printable(line[..(idx + 7)]) + "(... " + line.Length.ToString(CultureInfo.InvariantCulture) + " bytes elided)";
    }

    /// <summary>Returns n when the line ends with <c>{n}</c> (or <c>~{n}</c>, <c>{n+}</c>), else -1.</summary>
    internal static long LiteralSizeAtEnd(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3 || line[^1] != (byte)'}')
        {
            return -1;
        }
        var i = line.Length - 2;
        if (line[i] == (byte)'+')
        {
            i--;
        }
        var end = i;
        while (i >= 0 && line[i] is >= (byte)'0' and <= (byte)'9')
        {
            i--;
        }
        if (i < 0 || i == end || line[i] != (byte)'{' || end - i > 12)
        {
            return -1;
        }
        return long.Parse(Encoding.ASCII.GetString(line.Slice(i + 1, end - i)), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private string NextTag() => "A" + (++_tagCounter).ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>Runs one command to completion. Throws <see cref="ImapCommandException"/> on NO/BAD unless told otherwise.</summary>
    public async Task<ImapCommand> RunAsync(ImapCommand command, CancellationToken cancellationToken, bool throwOnFailure = true)
    {
        await RunManyAsync([command], cancellationToken).ConfigureAwait(false);
        if (throwOnFailure)
        {
            command.ThrowIfFailed();
        }
        return command;
    }

    /// <summary>
    /// Sends the commands pipelined (RFC 9051 §5.5): all written before reading, except where a
    /// synchronising literal forces a wait for the continuation. Returns when every one completed.
    /// </summary>
    public async Task RunManyAsync(IReadOnlyList<ImapCommand> commands, CancellationToken cancellationToken)
    {
        if (!_transport.IsConnected)
        {
            throw new ImapProtocolException(_byeText is null ? "Not connected." : "The server closed the connection: " + _byeText);
        }
        var pending = new List<ImapCommand>(commands.Count);
        try
        {
            foreach (var command in commands)
            {
                command.Tag = NextTag();
                pending.Add(command);
                await SendAsync(command, pending, cancellationToken).ConfigureAwait(false);
            }
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            while (pending.Exists(c => !c.Completed))
            {
                await ReadAndDispatchAsync(pending, null, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ImapProtocolException) when (_byeText is not null)
        {
            State = ImapState.Disconnected;
            throw new ImapProtocolException("The server closed the connection: " + _byeText);
        }
        catch (ImapProtocolException)
        {
            State = ImapState.Disconnected;
            throw;
        }
        catch (OperationCanceledException)
        {
            // Mid-command cancellation leaves the exchange unknown: the connection is dropped.
            State = ImapState.Disconnected;
            _transport.MarkBroken();
            throw;
        }
        catch (Exception ex) when (IsParserFailure(ex))
        {
            throw Garbled(ex);
        }
    }

    /// <summary>Anything a malformed response makes the parsers throw, other than our own families.</summary>
    internal static bool IsParserFailure(Exception ex)
        => ex is FormatException or OverflowException or ArgumentException or IndexOutOfRangeException or InvalidOperationException or DecoderFallbackException or NullReferenceException or KeyNotFoundException;

    internal ImapProtocolException Garbled(Exception ex)
    {
        State = ImapState.Disconnected;
        _transport.MarkBroken();
        return new ImapProtocolException("Malformed server response: " + ex.Message, ex);
    }

    private async Task SendAsync(ImapCommand command, List<ImapCommand> pending, CancellationToken cancellationToken)
    {
        var logLine = _log is null ? null : new StringBuilder(command.Tag).Append(' ');
        _transport.Write(command.Tag);
        _transport.Write(" ");
        var first = true;
        foreach (var part in command.Parts)
        {
            switch (part.Kind)
            {
                case ImapCommandPart.PartKind.Raw:
                    _transport.Write(part.Text!);
                    if (logLine is not null)
                    {
                        logLine.Append(command.Sensitive && !first ? " ***" : part.Text);
                    }
                    break;
                case ImapCommandPart.PartKind.String:
                case ImapCommandPart.PartKind.Mailbox:
                    {
                        var value = part.Kind == ImapCommandPart.PartKind.Mailbox && !Utf8Accept ? ModifiedUtf7.Encode(part.Text!) : part.Text!;
                        if (ImapCommand.IsQuotable(value) || (Utf8Accept && ImapCommand.IsQuotableUtf8(value)))
                        {
                            var quoted = ImapCommand.Quote(value);
                            _transport.Write(Encoding.UTF8.GetBytes(quoted));
                            logLine?.Append(command.Sensitive || part.Private ? "\"***\"" : quoted);
                        }
                        else
                        {
                            await SendLiteralAsync(command, pending, Encoding.UTF8.GetBytes(value), logLine, cancellationToken).ConfigureAwait(false);
                            if (command.Completed)
                            {
                                return;
                            }
                        }
                        break;
                    }
                case ImapCommandPart.PartKind.Literal:
                    await SendLiteralAsync(command, pending, part.Bytes, logLine, cancellationToken).ConfigureAwait(false);
                    if (command.Completed)
                    {
                        return;
                    }
                    break;
            }
            first = false;
        }
        _transport.Write("\r\n");
        if (logLine is not null)
        {
            _log!.Client(logLine.ToString());
        }
    }

    private async Task SendLiteralAsync(ImapCommand command, List<ImapCommand> pending, ReadOnlyMemory<byte> bytes, StringBuilder? logLine, CancellationToken cancellationToken)
    {
        // RFC 7888: LITERAL+ allows every non-synchronising literal, LITERAL- those up to 4096 bytes.
        var nonSync = Has("LITERAL+") || (Has("LITERAL-") && bytes.Length <= 4096);
        var size = bytes.Length.ToString(CultureInfo.InvariantCulture);
        _transport.Write(nonSync ? "{" + size + "+}\r\n" : "{" + size + "}\r\n");
        if (logLine is not null)
        {
            logLine.Append('{').Append(size).Append(nonSync ? "+}" : "}");
            _log!.Client(logLine.ToString());
            logLine.Clear().Append($"<literal {size} bytes elided>");
        }
        if (!nonSync)
        {
            await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            var gotContinuation = false;
            while (!gotContinuation && !command.Completed)
            {
                gotContinuation = await ReadAndDispatchAsync(pending, command, cancellationToken).ConfigureAwait(false);
            }
            if (command.Completed)
            {
                // The server refused the literal (NO/BAD instead of "+").
                return;
            }
        }
        await _transport.WriteThroughAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one response and routes it. Returns true when it was the continuation awaited by <paramref name="literalWaiter"/>.</summary>
    private async Task<bool> ReadAndDispatchAsync(List<ImapCommand> pending, ImapCommand? literalWaiter, CancellationToken cancellationToken)
    {
        var t = await ReadResponseAsync(null, cancellationToken).ConfigureAwait(false);
        return await DispatchAsync(t, pending, literalWaiter, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> DispatchAsync(ImapTokenizer t, List<ImapCommand> pending, ImapCommand? literalWaiter, CancellationToken cancellationToken)
    {
        if (t.TryConsume((byte)'+'))
        {
            if (literalWaiter is not null)
            {
                return true;
            }
            var current = pending.Find(c => !c.Completed && c.OnContinuation is not null);
            if (current is null)
            {
                _transport.MarkBroken();
                throw new ImapProtocolException("The server sent an unexpected continuation request.");
            }
            var text = t.ReadRest();
            var answer = await current.OnContinuation!(Encoding.ASCII.GetBytes(text), cancellationToken).ConfigureAwait(false);
            if (answer is not null)
            {
                _transport.Write(answer);
                _transport.Write("\r\n");
                _log?.Client(current.Sensitive ? "***" : ProtocolText.Printable(answer));
                await _transport.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            return false;
        }
        if (t.TryConsume((byte)'*'))
        {
            DispatchUntagged(t, pending);
            return false;
        }
        var tag = t.ReadAtom();
        var command = pending.Find(c => !c.Completed && string.Equals(c.Tag, tag, StringComparison.Ordinal));
        if (command is null)
        {
            _transport.MarkBroken();
            throw new ImapProtocolException("The server answered an unknown tag.");
        }
        var status = t.ReadAtom().ToUpperInvariant();
        command.Status = status switch
        {
            "OK" => ImapCompletionStatus.Ok,
            "NO" => ImapCompletionStatus.No,
            "BAD" => ImapCompletionStatus.Bad,
            _ => throw t.Error("tagged status"),
        };
        var (code, args) = t.ReadResponseCode();
        command.Code = code;
        command.CodeArgs = args;
        command.Text = t.ReadRest();
        command.Completed = true;
        HandleResponseCode(code, args, command.Text);
        return false;
    }

    private void DispatchUntagged(ImapTokenizer t, List<ImapCommand>? pending)
    {
        ImapUntagged untagged;
        if (t.PeekIsDigit())
        {
            var number = t.ReadNumber();
            var kind = t.ReadAtom().ToUpperInvariant();
            ImapMessage? fetch = null;
            switch (kind)
            {
                case "EXISTS":
                    if (Selected is not null)
                    {
                        Selected.Count = number;
                    }
                    MailboxEvent?.Invoke(this, new ImapMailboxEvent { Kind = ImapMailboxEventKind.Exists, Number = number });
                    break;
                case "EXPUNGE":
                    if (Selected is not null && Selected.Count > 0)
                    {
                        Selected.Count--;
                    }
                    MailboxEvent?.Invoke(this, new ImapMailboxEvent { Kind = ImapMailboxEventKind.Expunged, Number = number });
                    break;
                case "FETCH":
                    fetch = ImapFetchParser.ParseFetch(t, number);
                    if (fetch.Flags is not null)
                    {
                        MailboxEvent?.Invoke(this, new ImapMailboxEvent { Kind = ImapMailboxEventKind.FlagsChanged, Number = number, Message = fetch });
                    }
                    break;
            }
            untagged = new ImapUntagged { Kind = kind, Number = number, Tokens = t, Fetch = fetch };
        }
        else
        {
            var kind = t.ReadAtom().ToUpperInvariant();
            string? code = null, args = null;
            switch (kind)
            {
                case "OK":
                case "NO":
                case "BAD":
                    (code, args) = t.ReadResponseCode();
                    var text = t.ReadRest();
                    HandleResponseCode(code, args, text);
                    break;
                case "BYE":
                    (code, args) = t.ReadResponseCode();
                    _byeText = t.ReadRest();
                    break;
                case "CAPABILITY":
                    SetCapabilities(t.ReadRest());
                    break;
                case "FLAGS":
                    if (Selected is not null)
                    {
                        Selected.Flags = t.ReadAtomList();
                    }
                    break;
                case "ENABLED":
                    foreach (var e in t.ReadRest().Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        Enabled.Add(e);
                    }
                    break;
                case "VANISHED":
                    {
                        var earlier = false;
                        t.SkipSpaces();
                        if (t.Peek() == (byte)'(')
                        {
                            earlier = t.ReadAtomList().Exists(a => a.Equals("EARLIER", StringComparison.OrdinalIgnoreCase));
                        }
                        var set = UidSet.Parse(t.ReadAtom());
                        if (!earlier && Selected is not null)
                        {
                            Selected.Count = (uint)Math.Max(0, Selected.Count - set.Count);
                        }
                        MailboxEvent?.Invoke(this, new ImapMailboxEvent { Kind = ImapMailboxEventKind.Vanished, Uids = set, Earlier = earlier });
                        break;
                    }
            }
            untagged = new ImapUntagged { Kind = kind, Tokens = t, Code = code, CodeArgs = args };
        }
        if (pending is null)
        {
            return;
        }
        foreach (var command in pending)
        {
            if (!command.Completed && command.OnUntagged is not null && command.OnUntagged(untagged))
            {
                break;
            }
        }
    }

    private void HandleResponseCode(string? code, string? args, string text)
    {
        switch (code)
        {
            case null:
                return;
            case "ALERT":
                Alert?.Invoke(this, new ImapAlertEventArgs(text));
                break;
            case "CAPABILITY" when args is not null:
                SetCapabilities(args);
                break;
            case "UIDVALIDITY" when Selected is not null && args is not null:
                Selected.UidValidity = ParseUInt(args);
                break;
            case "UIDNEXT" when Selected is not null && args is not null:
                Selected.UidNext = ParseUInt(args);
                break;
            case "HIGHESTMODSEQ" when Selected is not null && args is not null:
                Selected.HighestModSeq = ulong.TryParse(args, NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : null;
                break;
            case "NOMODSEQ" when Selected is not null:
                Selected.NoModSeq = true;
                break;
            case "PERMANENTFLAGS" when Selected is not null && args is not null:
                Selected.PermanentFlags = args.Trim('(', ')').Split(' ', StringSplitOptions.RemoveEmptyEntries);
                break;
            case "READ-ONLY" when Selected is not null:
                Selected.ReadOnly = true;
                break;
            case "READ-WRITE" when Selected is not null:
                Selected.ReadOnly = false;
                break;
        }
    }

    private static uint ParseUInt(string s)
        => uint.TryParse(s.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;

    public async ValueTask DisposeAsync()
    {
        State = ImapState.Disconnected;
        await _transport.DisposeAsync().ConfigureAwait(false);
    }
}
