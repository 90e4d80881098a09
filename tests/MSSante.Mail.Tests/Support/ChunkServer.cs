using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MSSante.Mail.Tests.Support;

/// <summary>
/// A careless fake server for robustness tests: it sends the greeting, then answers each line
/// the client sends with the next canned chunk (<c>{tag}</c> replaced by the client's tag), and
/// when the chunks run out either closes the connection or goes silent.
/// </summary>
public sealed class ChunkServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    public ChunkServer(byte[] greeting, IReadOnlyList<byte[]> answers, bool hangAtEnd)
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = Task.Run(async () =>
        {
            try
            {
                using var socket = await _listener.AcceptSocketAsync(_stop.Token);
                using var stream = new NetworkStream(socket, ownsSocket: false);
                await stream.WriteAsync(greeting, _stop.Token);
                var buffer = new byte[65536];
                var pending = new StringBuilder();
                var next = 0;
                var lastTag = "*";
                while (next < answers.Count)
                {
                    var n = await stream.ReadAsync(buffer, _stop.Token);
                    if (n == 0)
                    {
                        return;
                    }
                    pending.Append(Encoding.Latin1.GetString(buffer, 0, n));
                    int lf;
                    while (next < answers.Count && (lf = pending.ToString().IndexOf('\n', StringComparison.Ordinal)) >= 0)
                    {
                        var line = pending.ToString(0, lf + 1);
                        pending.Remove(0, lf + 1);
                        if (line.Trim().Length == 0 || !char.IsLetter(line[0]))
                        {
                            continue;
                        }
                        // DONE ends an IDLE: the answer carries the IDLE command's tag
                        var tag = line.StartsWith("DONE", StringComparison.Ordinal) ? lastTag : line.Split(' ')[0];
                        lastTag = tag;
                        var answer = Encoding.Latin1.GetString(answers[next++]).Replace("{tag}", tag, StringComparison.Ordinal);
                        await stream.WriteAsync(Encoding.Latin1.GetBytes(answer), _stop.Token);
                    }
                }
                if (hangAtEnd)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }
                socket.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException)
            {
            }
        });
    }

    public int Port { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _run;
        _stop.Dispose();
    }
}
