using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MSSante.Webmail.Benchmarks;

/// <summary>
/// The managed heap of another .NET process after a full blocking GC: an EventPipe session with
/// the runtime's GCHeapCollect keyword induces the collection (what dotnet-gcdump does), and the
/// GCHeapStats event that follows gives the size of every generation.
/// </summary>
internal static class GcProbe
{
    public static async Task<long?> HeapAfterFullGcAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, keywords)],
            requestRundown: false);
        var result = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var source = new EventPipeEventSource(session.EventStream);
        var lastDepth = -1;
        var lastInduced = false;
        source.Clr.GCStart += d =>
        {
            lastDepth = d.Depth;
            lastInduced = d.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting;
        };
        source.Clr.GCHeapStats += d =>
        {
            if (lastDepth == 2 && lastInduced)
            {
                result.TrySetResult(d.GenerationSize0 + d.GenerationSize1 + d.GenerationSize2 + d.GenerationSize3 + d.GenerationSize4);
            }
        };
        var pump = Task.Run(() =>
        {
            try
            {
                source.Process();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or EndOfStreamException)
            {
                // the session was stopped
            }
        });
        var done = await Task.WhenAny(result.Task, Task.Delay(timeout));
        try
        {
            await session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
        }
        await Task.WhenAny(pump, Task.Delay(5000));
        source.Dispose();
        return done == result.Task ? result.Task.Result : null;
    }
}
