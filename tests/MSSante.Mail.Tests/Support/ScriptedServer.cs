using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MSSante.Mail.Tests.Support;

/// <summary>
/// A fake server on a loopback socket replaying a recorded exchange. Transcript lines:
/// <c>S: text</c> the server sends text + CRLF; <c>S~ text</c> sends text without line end;
/// <c>C: text</c> the next line the client sends must be exactly text (CRLF checked);
/// <c>!close</c> drops the connection; <c>!hang</c> stops answering (until the client gives up);
/// <c>!sleep ms</c>; <c>#</c> starts a comment. \r and \n escapes are honoured in S~ lines.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly string[] _lines;
    private readonly Task _run;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _received = [];

    private ScriptedServer(string transcript)
    {
        _lines = transcript.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = Task.Run(RunAsync);
    }

    public int Port { get; }

    public string? Failure { get; private set; }

    /// <summary>Every line the client sent, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    public static ScriptedServer Start(string transcript) => new(transcript);

    public MailConnectionOptions Options(TimeSpan? timeout = null, IMailProtocolLog? log = null) => new()
    {
        Host = "127.0.0.1",
        Port = Port,
        Security = MailSecurity.None,
        Timeout = timeout ?? TimeSpan.FromSeconds(5),
        ProtocolLog = log,
    };

    private async Task RunAsync()
    {
        Socket? socket = null;
        try
        {
            socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            using var stream = new NetworkStream(socket, ownsSocket: true);
            var reader = new LineReader(stream);
            foreach (var raw in _lines)
            {
                var line = raw.TrimEnd('\r');
                if (line.Length == 0 || line.StartsWith('#'))
                {
                    continue;
                }
                if (line.StartsWith("S: ", StringComparison.Ordinal) || line == "S:")
                {
                    var text = line.Length > 3 ? line[3..] : string.Empty;
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(text + "\r\n"), _stop.Token).ConfigureAwait(false);
                }
                else if (line.StartsWith("S~ ", StringComparison.Ordinal))
                {
                    var text = line[3..].Replace("\\r", "\r", StringComparison.Ordinal).Replace("\\n", "\n", StringComparison.Ordinal);
                    await stream.WriteAsync(Encoding.UTF8.GetBytes(text), _stop.Token).ConfigureAwait(false);
                }
                else if (line.StartsWith("C: ", StringComparison.Ordinal) || line == "C:")
                {
                    var expected = line.Length > 3 ? line[3..] : string.Empty;
                    var actual = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
                    if (actual is null)
                    {
                        Failure = $"expected the client to send [{expected}] but it closed the connection";
                        return;
                    }
                    lock (_received)
                    {
                        _received.Add(actual);
                    }
                    if (actual != expected + "\r\n")
                    {
                        Failure = $"expected the client to send [{expected}\\r\\n] but it sent [{actual.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}]";
                        return;
                    }
                }
                else if (line == "!close")
                {
                    socket.Shutdown(SocketShutdown.Both);
                    return;
                }
                else if (line == "!hang")
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                }
                else if (line.StartsWith("!sleep ", StringComparison.Ordinal))
                {
                    await Task.Delay(int.Parse(line[7..], System.Globalization.CultureInfo.InvariantCulture), _stop.Token).ConfigureAwait(false);
                }
                else
                {
                    Failure = "bad transcript line: " + line;
                    return;
                }
            }
            // Script done: wait until the client closes so that nothing it sends later is lost.
            var extra = await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false);
            if (extra is not null)
            {
                lock (_received)
                {
                    _received.Add(extra);
                }
                Failure = "the client sent more than the transcript: " + extra.TrimEnd();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
        catch (SocketException)
        {
        }
    }

    /// <summary>Waits for the script to end and fails the test if the client deviated from it.</summary>
    public async Task AssertFollowedAsync()
    {
        var finished = await Task.WhenAny(_run, Task.Delay(TimeSpan.FromSeconds(10))).ConfigureAwait(false);
        Assert.True(finished == _run, "the scripted server did not reach the end of the transcript");
        Assert.Null(Failure);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _stop.Dispose();
    }

    private sealed class LineReader(Stream stream)
    {
        private readonly byte[] _buffer = new byte[65536];
        private int _start;
        private int _end;

        public async Task<string?> ReadLineAsync(CancellationToken ct)
        {
            var sb = new List<byte>();
            while (true)
            {
                while (_start < _end)
                {
                    var b = _buffer[_start++];
                    sb.Add(b);
                    if (b == (byte)'\n')
                    {
                        return Encoding.UTF8.GetString(sb.ToArray());
                    }
                }
                _start = 0;
                _end = await stream.ReadAsync(_buffer, ct).ConfigureAwait(false);
                if (_end == 0)
                {
                    return sb.Count == 0 ? null : Encoding.UTF8.GetString(sb.ToArray());
                }
            }
        }
    }
}
