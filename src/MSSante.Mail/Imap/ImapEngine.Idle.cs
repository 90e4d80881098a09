namespace MSSante.Mail.Imap;

internal sealed partial class ImapEngine
{
    private CancellationTokenSource? _idleInterrupt;

    /// <summary>
    /// IDLE (RFC 2177, RFC 9051 §6.3.13) until <paramref name="done"/> fires, another caller wants the
    /// connection, or <paramref name="cancellationToken"/> fires. Untagged responses are raised as
    /// events as they arrive. The command is re-issued every <paramref name="renewEvery"/> because
    /// servers may drop a client idle for 30 minutes. Without IDLE, NOOP polls instead.
    /// </summary>
    public async Task IdleAsync(TimeSpan renewEvery, TimeSpan pollEvery, CancellationToken done, CancellationToken cancellationToken)
    {
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(done, cancellationToken);
        _idleInterrupt = interrupt;
        try
        {
            if (!Has("IDLE"))
            {
                while (!interrupt.IsCancellationRequested)
                {
                    await RunAsync(new ImapCommand("NOOP"), cancellationToken).ConfigureAwait(false);
                    try
                    {
                        await Task.Delay(pollEvery, interrupt.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        // stop polling
                    }
                }
            }
            else
            {
                while (!interrupt.IsCancellationRequested)
                {
                    await IdleOnceAsync(renewEvery, interrupt.Token).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _idleInterrupt = null;
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task IdleOnceAsync(TimeSpan renewEvery, CancellationToken stop)
    {
        if (!_transport.IsConnected)
        {
            throw new ImapProtocolException("Not connected.");
        }
        var command = new ImapCommand("IDLE") { Tag = NextTag() };
        var pending = new List<ImapCommand> { command };
        try
        {
            _transport.Write(command.Tag + " IDLE\r\n");
            _log?.Client(command.Tag + " IDLE");
            await _transport.FlushAsync(CancellationToken.None).ConfigureAwait(false);
            var accepted = false;
            while (!accepted && !command.Completed)
            {
                accepted = await ReadAndDispatchAsync(pending, command, CancellationToken.None).ConfigureAwait(false);
            }
            command.ThrowIfFailed();
            if (command.Completed)
            {
                return; // the server ended IDLE at once
            }

            var stopSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var reg = stop.Register(() => stopSignal.TrySetResult());
            var renew = Task.Delay(renewEvery, stop);
            while (true)
            {
                var read = ReadResponseAsync(Timeout.InfiniteTimeSpan, CancellationToken.None).AsTask();
                var winner = await Task.WhenAny(read, stopSignal.Task, renew).ConfigureAwait(false);
                if (winner == read)
                {
                    await DispatchAsync(await read.ConfigureAwait(false), pending, null, CancellationToken.None).ConfigureAwait(false);
                    if (command.Completed)
                    {
                        command.ThrowIfFailed();
                        return;
                    }
                    continue;
                }
                // RFC 2177: "DONE" ends the IDLE; the read already waiting will see the tagged answer.
                _transport.Write("DONE\r\n");
                _log?.Client("DONE");
                await _transport.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                var timeout = Task.Delay(_options.Timeout);
                if (await Task.WhenAny(read, timeout).ConfigureAwait(false) == timeout)
                {
                    _transport.MarkBroken();
                    await _transport.DisposeAsync().ConfigureAwait(false);
                    throw new ImapProtocolException("The server did not end IDLE within the timeout.");
                }
                await DispatchAsync(await read.ConfigureAwait(false), pending, null, CancellationToken.None).ConfigureAwait(false);
                while (!command.Completed)
                {
                    await ReadAndDispatchAsync(pending, null, CancellationToken.None).ConfigureAwait(false);
                }
                command.ThrowIfFailed();
                return;
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
        catch (Exception ex) when (IsParserFailure(ex))
        {
            throw Garbled(ex);
        }
    }
}
