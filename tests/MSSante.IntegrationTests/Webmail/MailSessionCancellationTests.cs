using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using MSSante.IntegrationTests.Stack;
using MSSante.Mail.Imap;
using MSSante.Webmail.Mail;

namespace MSSante.IntegrationTests.Webmail;

/// <summary>
/// The message list abandons row requests all the time (Virtualize cancels one as soon as the
/// user scrolls on). Against the real Dovecot: an abandoned request must neither cost the IMAP
/// connection (a command cut midway leaves the exchange unknown, the connection is dropped and
/// the folder reopened) nor leave the session unable to answer the next one.
/// </summary>
public sealed class MailSessionCancellationTests
{
    [Fact]
    public async Task Row_requests_cancelled_while_their_fetch_runs_keep_the_connection_and_the_next_request_is_answered()
    {
        var log = new RecordingLogger();
        await using var session = new MailSession(MailSessionSyncTests.Connector(), log);
        await session.StartAsync(new MailUser(StackFacts.Load().IdNatOf(StackFacts.Charge), StackFacts.Charge), [StackFacts.Charge]);
        var inbox = session.FolderFor(StackFacts.Charge, "inbox")!;
        await session.OpenFolderAsync(inbox.ImapName);
        Assert.True(session.Count > 3000, "the demo mailbox of 10,000 messages is expected");

        var cancelled = 0;
        for (var i = 0; i < 20; i++)
        {
            // Rows never asked before, so each request sends a UID FETCH; cancelled while it runs.
            using var abandon = new CancellationTokenSource(TimeSpan.FromMilliseconds(1 + (i % 4)));
            try
            {
                await session.GetRowsAsync(1000 + (i * 60), 60, abandon.Token);
            }
            catch (OperationCanceledException)
            {
                cancelled++;
            }
        }
        Assert.True(cancelled > 0, "no request was cancelled: the test did not exercise anything");

        var rows = await session.GetRowsAsync(2500, 50);
        Assert.Equal(session.OrderedUids.Skip(2500).Take(50), rows.Select(r => r.Uid));
        Assert.All(rows, r => Assert.False(string.IsNullOrEmpty(r.Subject) && string.IsNullOrEmpty(r.FromAddress)));
        // No reconnection happened (each would reopen the folder and log its resynchronisation).
        Assert.DoesNotContain(log.Events, e => e is 6001 or 6002);
        Assert.True(session.IsOnline);
    }

    private sealed class RecordingLogger : ILogger<MailSession>
    {
        private readonly ConcurrentQueue<int> _events = new();

        public IReadOnlyCollection<int> Events => _events;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue(eventId.Id);
    }
}
