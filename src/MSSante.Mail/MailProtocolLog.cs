using System.Text;

namespace MSSante.Mail;

/// <summary>
/// Receives the protocol exchange for support purposes. The clients only ever pass text that is
/// already redacted: credentials and tokens are masked and message bodies are elided.
/// </summary>
public interface IMailProtocolLog
{
    /// <summary>A line (or part of a line) the client sent, redacted.</summary>
    void Client(string text);

    /// <summary>A line the server sent, redacted.</summary>
    void Server(string text);

    /// <summary>A connection event (connect, TLS, close).</summary>
    void Event(string text);
}

/// <summary>A protocol log written to a <see cref="TextWriter"/>, one prefixed line per item.</summary>
public sealed class TextWriterProtocolLog : IMailProtocolLog
{
    private readonly TextWriter _writer;
    private readonly Lock _gate = new();

    /// <summary>Creates a log writing to <paramref name="writer"/>.</summary>
    public TextWriterProtocolLog(TextWriter writer) => _writer = writer;

    /// <inheritdoc />
    public void Client(string text) => Write("C: ", text);

    /// <inheritdoc />
    public void Server(string text) => Write("S: ", text);

    /// <inheritdoc />
    public void Event(string text) => Write("** ", text);

    private void Write(string prefix, string text)
    {
        lock (_gate)
        {
            _writer.Write(prefix);
            _writer.WriteLine(text.TrimEnd('\r', '\n'));
            _writer.Flush();
        }
    }
}

/// <summary>A protocol log kept in memory (tests, support captures).</summary>
public sealed class MemoryProtocolLog : IMailProtocolLog
{
    private readonly StringBuilder _text = new();
    private readonly Lock _gate = new();

    /// <inheritdoc />
    public void Client(string text) => Append("C: ", text);

    /// <inheritdoc />
    public void Server(string text) => Append("S: ", text);

    /// <inheritdoc />
    public void Event(string text) => Append("** ", text);

    /// <summary>Everything logged so far.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            return _text.ToString();
        }
    }

    private void Append(string prefix, string text)
    {
        lock (_gate)
        {
            _text.Append(prefix).Append(text.TrimEnd('\r', '\n')).Append('\n');
        }
    }
}

internal static class ProtocolText
{
    /// <summary>Printable form of protocol bytes: ASCII kept, the rest as \xNN, cut to a sane length.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes, int max = 2000)
    {
        var sb = new StringBuilder(Math.Min(bytes.Length, max) + 8);
        var n = Math.Min(bytes.Length, max);
        for (var i = 0; i < n; i++)
        {
            var b = bytes[i];
            if (b is >= 0x20 and < 0x7f)
            {
                sb.Append((char)b);
            }
            else if (b is (byte)'\r' or (byte)'\n')
            {
                // line ends are implied by the log format
            }
            else
            {
                sb.Append("\\x").Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        if (bytes.Length > max)
        {
            sb.Append("...(").Append(bytes.Length - max).Append(" more bytes)");
        }
        return sb.ToString();
    }
}
