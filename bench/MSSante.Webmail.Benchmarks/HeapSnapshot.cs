using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace MSSante.Webmail.Benchmarks;

/// <summary>
/// A heap snapshot of another .NET process, taken the way dotnet-gcdump takes one (that tool is
/// not obtainable here): an EventPipe session with the runtime's heap-snapshot keywords induces a
/// full blocking GC during which the runtime walks the heap and emits every live object (address,
/// size, type) and its references (GCBulkNode, GCBulkEdge), the roots (GCBulkRootEdge, statics)
/// and type names (BulkType). From that graph: bytes and counts per type, and the retained size
/// of each object (the bytes that would be freed with it: its dominator subtree).
/// </summary>
internal sealed class HeapSnapshot
{
    private readonly ulong[] _address;
    private readonly long[] _size;
    private readonly int[] _type;
    private readonly string[] _typeNames;
    private readonly long[] _retained;
    private readonly int[] _idom;

    public int Count => _address.Length;
    public long TotalBytes { get; }
    public long UnreachedBytes { get; }

    private HeapSnapshot(ulong[] address, long[] size, int[] type, string[] typeNames, int[] edgeStart, int[] edges, List<int> roots)
    {
        _address = address;
        _size = size;
        _type = type;
        _typeNames = typeNames;
        TotalBytes = size.Sum();
        (_idom, _retained, UnreachedBytes) = Dominators(size, edgeStart, edges, roots);
    }

    /// <summary>Bytes and instance count of every type.</summary>
    public Dictionary<string, (long Bytes, long Count)> ByType()
    {
        var result = new Dictionary<string, (long, long)>();
        for (var i = 0; i < Count; i++)
        {
            var name = _typeNames[_type[i]];
            result.TryGetValue(name, out var v);
            result[name] = (v.Item1 + _size[i], v.Item2 + 1);
        }
        return result;
    }

    /// <summary>
    /// For every type: the bytes retained by its instances that no other instance of the same type
    /// dominates (so nested instances are not counted twice), and how many such instances.
    /// </summary>
    public Dictionary<string, (long Retained, long Count)> RetainedByType()
    {
        var result = new Dictionary<string, (long, long)>();
        for (var i = 0; i < Count; i++)
        {
            if (_retained[i] < 0)
            {
                continue;
            }
            var t = _type[i];
            var outer = false;
            for (var d = _idom[i]; d >= 0 && d < Count; d = _idom[d])
            {
                if (_type[d] == t)
                {
                    outer = true;
                    break;
                }
            }
            if (outer)
            {
                continue;
            }
            var name = _typeNames[t];
            result.TryGetValue(name, out var v);
            result[name] = (v.Item1 + _retained[i], v.Item2 + 1);
        }
        return result;
    }

    /// <summary>The types of the immediate dominators of the instances of a type, by bytes retained.</summary>
    public Dictionary<string, long> DominatorsOf(string typeName)
    {
        var result = new Dictionary<string, long>();
        for (var i = 0; i < Count; i++)
        {
            if (_typeNames[_type[i]] != typeName || _retained[i] < 0)
            {
                continue;
            }
            var d = _idom[i];
            var name = d >= 0 && d < Count ? _typeNames[_type[d]] : "(root)";
            result.TryGetValue(name, out var v);
            result[name] = v + _retained[i];
        }
        return result;
    }

    public static async Task<HeapSnapshot?> TakeAsync(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GCHeapSnapshot)],
            requestRundown: false);
        var source = new EventPipeEventSource(session.EventStream);
        var nodes = new List<(ulong Address, long Size, ulong Type, int Edges)>(1 << 20);
        var edges = new List<ulong>(1 << 21);
        var rootAddresses = new List<ulong>(1 << 14);
        var typeNames = new Dictionary<ulong, string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var walking = false;
        source.Clr.GCStart += d =>
        {
            if (d.Depth == 2 && d.Reason is GCReason.Induced or GCReason.InducedNotForced or GCReason.InducedCompacting)
            {
                walking = true;
            }
        };
        source.Clr.GCBulkNode += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                var v = d.Values(i);
                nodes.Add((v.Address, (long)v.Size, v.TypeID, (int)v.EdgeCount));
            }
        };
        source.Clr.GCBulkEdge += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                edges.Add(d.Values(i).Target);
            }
        };
        source.Clr.GCBulkRootEdge += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                rootAddresses.Add(d.Values(i).RootedNodeAddress);
            }
        };
        source.Clr.GCBulkRootStaticVar += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                rootAddresses.Add(d.Values(i).ObjectID);
            }
        };
        source.Clr.GCBulkRootConditionalWeakTableElementEdge += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                rootAddresses.Add(d.Values(i).GCValueNodeID);
            }
        };
        source.Clr.TypeBulkType += d =>
        {
            for (var i = 0; i < d.Count; i++)
            {
                var v = d.Values(i);
                typeNames[v.TypeID] = v.TypeName;
            }
        };
        source.Clr.GCStop += d =>
        {
            if (walking && d.Depth == 2 && nodes.Count > 0)
            {
                done.TrySetResult();
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
        var finished = await Task.WhenAny(done.Task, Task.Delay(timeout)) == done.Task;
        // Types are flushed at the end of the walk: let them arrive before stopping.
        await Task.Delay(2000);
        try
        {
            await session.StopAsync(CancellationToken.None);
        }
        catch (ServerNotAvailableException)
        {
        }
        await Task.WhenAny(pump, Task.Delay(30000));
        source.Dispose();
        if (!finished)
        {
            return null;
        }

        var index = new Dictionary<ulong, int>(nodes.Count);
        var address = new ulong[nodes.Count];
        var size = new long[nodes.Count];
        var type = new int[nodes.Count];
        var typeIndex = new Dictionary<ulong, int>();
        var names = new List<string>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var n = nodes[i];
            index[n.Address] = i;
            address[i] = n.Address;
            size[i] = n.Size;
            if (!typeIndex.TryGetValue(n.Type, out var t))
            {
                t = names.Count;
                typeIndex[n.Type] = t;
                names.Add(typeNames.TryGetValue(n.Type, out var name) && name.Length > 0 ? name : "?" + n.Type.ToString("x", CultureInfo.InvariantCulture));
            }
            type[i] = t;
        }
        var edgeStart = new int[nodes.Count + 1];
        var targets = new List<int>(edges.Count);
        var e = 0;
        for (var i = 0; i < nodes.Count; i++)
        {
            edgeStart[i] = targets.Count;
            for (var k = 0; k < nodes[i].Edges && e < edges.Count; k++, e++)
            {
                if (index.TryGetValue(edges[e], out var target))
                {
                    targets.Add(target);
                }
            }
        }
        edgeStart[nodes.Count] = targets.Count;
        var roots = rootAddresses.Select(a => index.TryGetValue(a, out var r) ? r : -1).Where(r => r >= 0).Distinct().ToList();
        return new HeapSnapshot(address, size, type, [.. names], edgeStart, [.. targets], roots);
    }

    // Cooper, Harvey and Kennedy, "A Simple, Fast Dominance Algorithm" (2001), on the graph with a
    // virtual root (index n) pointing at every GC root. Objects the walk emitted but no recorded
    // root reaches are left out (retained -1) and counted apart.
    private static (int[] Idom, long[] Retained, long Unreached) Dominators(long[] size, int[] edgeStart, int[] edges, List<int> roots)
    {
        var n = size.Length;
        var root = n;
        int Degree(int v) => v == root ? roots.Count : edgeStart[v + 1] - edgeStart[v];
        int Succ(int v, int k) => v == root ? roots[k] : edges[edgeStart[v] + k];

        var post = new int[n + 1];
        Array.Fill(post, -1);
        var order = new List<int>(n + 1);
        var visited = new bool[n + 1];
        var stack = new Stack<(int V, int K)>();
        stack.Push((root, 0));
        visited[root] = true;
        while (stack.Count > 0)
        {
            var (v, k) = stack.Pop();
            if (k < Degree(v))
            {
                stack.Push((v, k + 1));
                var w = Succ(v, k);
                if (!visited[w])
                {
                    visited[w] = true;
                    stack.Push((w, 0));
                }
            }
            else
            {
                post[v] = order.Count;
                order.Add(v);
            }
        }

        // predecessors among reached nodes
        var predCount = new int[n + 2];
        foreach (var v in order)
        {
            for (var k = 0; k < Degree(v); k++)
            {
                predCount[Succ(v, k) + 1]++;
            }
        }
        for (var i = 0; i < n + 1; i++)
        {
            predCount[i + 1] += predCount[i];
        }
        var preds = new int[predCount[n + 1]];
        var fill = (int[])predCount.Clone();
        foreach (var v in order)
        {
            for (var k = 0; k < Degree(v); k++)
            {
                var w = Succ(v, k);
                preds[fill[w]++] = v;
            }
        }

        var idom = new int[n + 1];
        Array.Fill(idom, -1);
        idom[root] = root;
        bool changed;
        do
        {
            changed = false;
            for (var i = order.Count - 2; i >= 0; i--)
            {
                var b = order[i];
                var newIdom = -1;
                for (var p = predCount[b]; p < predCount[b + 1]; p++)
                {
                    var q = preds[p];
                    if (idom[q] < 0)
                    {
                        continue;
                    }
                    if (newIdom < 0)
                    {
                        newIdom = q;
                        continue;
                    }
                    var f1 = q;
                    var f2 = newIdom;
                    while (f1 != f2)
                    {
                        while (post[f1] < post[f2])
                        {
                            f1 = idom[f1];
                        }
                        while (post[f2] < post[f1])
                        {
                            f2 = idom[f2];
                        }
                    }
                    newIdom = f1;
                }
                if (newIdom >= 0 && idom[b] != newIdom)
                {
                    idom[b] = newIdom;
                    changed = true;
                }
            }
        }
        while (changed);

        var retained = new long[n + 1];
        Array.Fill(retained, -1);
        foreach (var v in order)
        {
            retained[v] = v == root ? 0 : size[v];
        }
        // post order: children before their dominators (a dominator is always an ancestor in the DFS tree)
        foreach (var v in order)
        {
            if (v != root && idom[v] >= 0 && idom[v] != root)
            {
                retained[idom[v]] += retained[v];
            }
        }
        long unreached = 0;
        for (var i = 0; i < n; i++)
        {
            if (!visited[i])
            {
                unreached += size[i];
            }
        }
        return (idom[..n], retained[..n], unreached);
    }

    /// <summary>A text report of what grew between two snapshots, per user.</summary>
    public static List<string> Compare(HeapSnapshot before, HeapSnapshot after, int users, int top = 40)
    {
        static string Kb(double b) => (b / 1024).ToString("0.0", CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"Heap snapshots: before {before.Count} objects, {Kb(before.TotalBytes)} KB (unreached from the recorded roots {Kb(before.UnreachedBytes)} KB); after {after.Count} objects, {Kb(after.TotalBytes)} KB (unreached {Kb(after.UnreachedBytes)} KB); {users} users.",
            "",
            "Growth by type (shallow bytes), per user:",
            "",
            "| type | KB per user | objects per user |",
            "|---|---:|---:|",
        };
        var b = before.ByType();
        var a = after.ByType();
        foreach (var (name, v) in a.Select(kv => (kv.Key, (Bytes: kv.Value.Bytes - (b.TryGetValue(kv.Key, out var x) ? x.Bytes : 0), Count: kv.Value.Count - (b.TryGetValue(kv.Key, out var y) ? y.Count : 0))))
                     .OrderByDescending(t => t.Item2.Bytes).Take(top))
        {
            lines.Add($"| {name} | {Kb((double)v.Bytes / users)} | {((double)v.Count / users).ToString("0.#", CultureInfo.InvariantCulture)} |");
        }
        lines.AddRange(["", "Growth of retained bytes by type (instances not inside another of the same type), per user:", "", "| type | retained KB per user | instances per user |", "|---|---:|---:|"]);
        var rb = before.RetainedByType();
        var ra = after.RetainedByType();
        foreach (var (name, v) in ra.Select(kv => (kv.Key, (Bytes: kv.Value.Retained - (rb.TryGetValue(kv.Key, out var x) ? x.Retained : 0), Count: kv.Value.Count - (rb.TryGetValue(kv.Key, out var y) ? y.Count : 0))))
                     .OrderByDescending(t => t.Item2.Bytes).Take(2 * top))
        {
            lines.Add($"| {name} | {Kb((double)v.Bytes / users)} | {((double)v.Count / users).ToString("0.#", CultureInfo.InvariantCulture)} |");
        }
        foreach (var name in a.Select(kv => (kv.Key, Bytes: kv.Value.Bytes - (b.TryGetValue(kv.Key, out var x) ? x.Bytes : 0))).OrderByDescending(t => t.Bytes).Take(8).Select(t => t.Key))
        {
            var db = before.DominatorsOf(name);
            var da = after.DominatorsOf(name);
            lines.AddRange(["", $"Who retains the growth of {name} (type of the immediate dominator, KB per user): " +
                string.Join(", ", da.Select(kv => (kv.Key, Bytes: kv.Value - (db.TryGetValue(kv.Key, out var x) ? x : 0))).Where(t => t.Bytes > 0).OrderByDescending(t => t.Bytes).Take(8).Select(t => $"{t.Key} {Kb((double)t.Bytes / users)}"))]);
        }
        return lines;
    }
}
