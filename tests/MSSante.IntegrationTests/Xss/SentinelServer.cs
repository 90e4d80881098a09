using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MSSante.IntegrationTests.Xss;

/// <summary>
/// The sentinel every hostile message points at (http://127.0.0.1:17790/...): any request it
/// receives is a script that ran (/js/...) or a remote load that happened (/remote/...).
/// </summary>
internal sealed class SentinelServer : IAsyncDisposable
{
    public const int Port = 17790;

    private readonly TcpListener _listener = new(IPAddress.Loopback, Port);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SentinelServer()
    {
        _listener.Start();
        _loop = AcceptLoopAsync();
    }

    /// <summary>Request paths received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var buffer = new byte[8192];
                var read = await stream.ReadAsync(buffer, _stop.Token);
                var head = Encoding.ASCII.GetString(buffer, 0, read);
                var line = head.Split("\r\n", 2)[0];
                var parts = line.Split(' ');
                Requests.Enqueue(parts.Length > 1 ? parts[1] : line);
                // A 1x1 GIF: whatever asked gets an image, so nothing retries.
                var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///ywAAAAAAQABAAACAUwAOw==");
                var header = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: image/gif\r\nContent-Length: {gif.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(header, _stop.Token);
                await stream.WriteAsync(gif, _stop.Token);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
            {
                // The browser gave up; the request is counted anyway.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
