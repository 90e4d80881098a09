using System.Diagnostics;
using System.Globalization;
using MSSante.Benchmarks.Shared;
using MSSante.Mail;
using MSSante.Mail.Imap;

// IMAP benchmark (issue 4): MSSante.Mail against Python's imaplib on an open connection, the same
// commands, interleaved in the same run; then memory per idle authenticated connection.
// Usage: MSSante.Mail.Benchmarks [--reps N] [--connections N (default 50: the stack's Dovecot allows 100 imap-login processes in all)] [--word W] [--mailbox ADDRESS]
var reps = Arg("--reps", 7);
var connections = Arg("--connections", 50);
var word = ArgS("--word", "bilan");
var address = ArgS("--mailbox", "charge.test@medecin.mssante.fr");

var stack = BenchStack.Load();
var user = stack.User(address);
Console.Error.WriteLine($"IMAP benchmark: {address}, {reps} repetitions, load {ProcMemory.Load()}");

// 1. The commands our client sends, captured once on a traced connection (not measured), so that
// imaplib is given exactly the same ones.
var trace = new CommandCapture();
await using (var traced = new ImapClient(stack.ImapOptions(trace)))
{
    await traced.ConnectAsync();
    await traced.AuthenticateAsync(stack.Credentials(user));
    trace.Recording = true;
    await traced.SelectAsync("INBOX", readOnly: false);
    trace.Cut("select");
    var all = await traced.SearchAsync(ImapSearchQuery.All);
    trace.Cut("uids");
    await traced.FetchAsync(UidSet.Of(all.TakeLast(50)), ListItems(traced));
    trace.Cut("fetch50");
    await traced.FetchAsync(UidSet.All, ListItems(traced));
    trace.Cut("fetchAll");
    await traced.SearchAsync(ImapSearchQuery.Text(word));
    trace.Cut("search");
    trace.Recording = false;
    await traced.LogoutAsync();
}

await using var ours = new ImapClient(stack.ImapOptions());
await ours.ConnectAsync();
await ours.AuthenticateAsync(stack.Credentials(user));
await using var floor = await PythonFloor.StartAsync(stack, user);
await ours.SelectAsync("INBOX");
var uids = await ours.SearchAsync(ImapSearchQuery.All);
var newest = UidSet.Of(uids.TakeLast(50));
var items = ListItems(ours);
Console.Error.WriteLine($"INBOX: {uids.Count} messages; PREVIEW offered: {ours.Supports("PREVIEW")}");

var ops = new (string Name, string Label, Func<Task<long>> Ours)[]
{
    ("select", "SELECT INBOX", async () => (await ours.SelectAsync("INBOX")).Count),
    ("fetch50", "UID FETCH newest 50 (UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE)", async () => (await ours.FetchAsync(newest, items)).Count),
    ("fetchAll", $"UID FETCH 1:* ({uids.Count} messages, same items)", async () => (await ours.FetchAsync(UidSet.All, items)).Count),
    ("search", $"UID SEARCH TEXT \"{word}\"", async () => (await ours.SearchAsync(ImapSearchQuery.Text(word))).Count),
};

var results = new Dictionary<string, Samples>();
var parsed = new Dictionary<string, Samples>();
var counts = new Dictionary<string, (long Ours, long Floor, long Bytes)>();
foreach (var (name, _, run) in ops)
{
    var steps = trace.Steps(name);
    if (name == "search")
    {
        // the protocol log masks search strings (they may be patient names): put the word back
        steps = [.. steps.Select(st => st.Select(x => x.Replace("\"***\"", "\"" + word + "\"", StringComparison.Ordinal)).ToArray())];
    }
    Console.Error.WriteLine($"{name}: {string.Join(" | ", steps.Select(s => string.Join(' ', s)))}");
    // warm-ups (JIT tiers, server caches), not counted
    for (var w = 0; w < 2; w++)
    {
        await run();
        await floor.RunAsync(steps);
    }
    var s = new Samples();
    var p = new Samples();
    for (var i = 0; i < reps; i++)
    {
        // alternate who goes first so a load swing does not always hit the same side
        long n = 0;
        FloorResult f = null!;
        if (i % 2 == 0)
        {
            var t = await Clock.TimeAsync(async () => n = await run());
            s.Ours.Add(t.Wall);
            s.OursCpu.Add(t.Cpu);
            f = await floor.RunAsync(steps);
        }
        else
        {
            f = await floor.RunAsync(steps);
            var t = await Clock.TimeAsync(async () => n = await run());
            s.Ours.Add(t.Wall);
            s.OursCpu.Add(t.Cpu);
        }
        s.Floor.Add(f.Seconds);
        s.FloorCpu.Add(f.Cpu);
        counts[name] = (n, f.Items, f.Bytes);
        if (name.StartsWith("fetch", StringComparison.Ordinal))
        {
            var fp = await floor.RunAsync(steps, parse: true);
            p.Floor.Add(fp.Seconds);
            p.FloorCpu.Add(fp.Cpu);
        }
    }
    results[name] = s;
    parsed[name] = p;
}

// 2. Memory per idle open authenticated connection (no mailbox selected), spread over the demo
// users because Dovecot limits connections per user and address (mail_max_userip_connections).
await ours.LogoutAsync();

// Report (markdown on stdout)
var load = ProcMemory.Load();
Console.WriteLine($"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {load} (1, 5, 15 min), {Environment.ProcessorCount} cores, .NET {Environment.Version}, Python {floor.PythonVersion}, {reps} interleaved repetitions after two warm-ups.");
Console.WriteLine();
Console.WriteLine("| operation | ours median (ms) | imaplib median (ms) | ratio | imaplib + minimal parse (ms) | ours CPU (ms) | imaplib CPU (ms) | target | met |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---|---|");
foreach (var (name, label, _) in ops)
{
    var s = results[name];
    var p = parsed[name];
    var om = Samples.Median(s.Ours);
    var fm = Samples.Median(s.Floor);
    var parseCol = p.Floor.Count > 0 ? Samples.Ms(Samples.Median(p.Floor)) : "-";
    Console.WriteLine($"| {label} | {Samples.Ms(om)} | {Samples.Ms(fm)} | {Samples.Ratio(om, fm)} | {parseCol} | {Samples.Ms(Samples.Median(s.OursCpu))} | {Samples.Ms(Samples.Median(s.FloorCpu))} | <= 1.2x | {(om / fm <= 1.2 ? "yes" : "**no**")} |");
}
Console.WriteLine();
Console.WriteLine("Samples (ms, in run order):");
Console.WriteLine();
foreach (var (name, _, _) in ops)
{
    var s = results[name];
    Console.WriteLine($"- {name}: ours {string.Join(", ", s.Ours.Select(Samples.Ms))}; imaplib {string.Join(", ", s.Floor.Select(Samples.Ms))}; results: ours {counts[name].Ours}, imaplib {counts[name].Floor} items, {counts[name].Bytes / 1024} KB");
}
Console.WriteLine();
Console.Out.Flush();
Console.WriteLine(await MeasureConnectionsAsync(stack, connections));
return;

static ImapFetchItems ListItems(ImapClient c) =>
    ImapFetchItems.Summary | (c.Supports("PREVIEW") ? ImapFetchItems.Preview : 0);

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

string ArgS(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static async Task<string> MeasureConnectionsAsync(BenchStack stack, int count)
{
    var users = stack.Users;
    var me = Process.GetCurrentProcess();
    static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    // Warm one connection first so JIT, TLS and certificate code are loaded before the baseline.
    await using (var warm = new ImapClient(stack.ImapOptions()))
    {
        await warm.ConnectAsync();
        await warm.AuthenticateAsync(stack.Credentials(users[0]));
        await warm.LogoutAsync();
    }
    await Task.Delay(500);
    Collect();
    me.Refresh();
    var heap0 = GC.GetTotalMemory(true);
    var ws0 = me.WorkingSet64;
    var imap0 = ProcMemory.Find("dovecot-mssante/imap").ToHashSet();
    var login0 = ProcMemory.Find("dovecot-mssante/imap-login").ToHashSet();

    var clients = new List<ImapClient>();
    string? refused = null;
    try
    {
        // a few at a time: Dovecot's login processes start one per connection
        for (var i = 0; i < count; i += 10)
        {
            var batch = Enumerable.Range(i, Math.Min(10, count - i)).Select(async j =>
            {
                var c = new ImapClient(stack.ImapOptions());
                try
                {
                    await c.ConnectAsync();
                    await c.AuthenticateAsync(stack.Credentials(users[j % users.Count]));
                    return c;
                }
                catch (MailProtocolException e)
                {
                    // The stack's Dovecot runs at most 100 imap-login processes (one per TLS
                    // connection), shared with whatever else uses it now: measure what opened.
                    refused = e.Message;
                    await c.DisposeAsync();
                    return null;
                }
            });
            clients.AddRange((await Task.WhenAll(batch)).OfType<ImapClient>());
            if (refused is not null)
            {
                break;
            }
        }
        await Task.Delay(2000);
        Collect();
        me.Refresh();
        var heap1 = GC.GetTotalMemory(true);
        var ws1 = me.WorkingSet64;
        var imapNew = ProcMemory.Find("dovecot-mssante/imap").Where(p => !imap0.Contains(p)).ToList();
        var loginNew = ProcMemory.Find("dovecot-mssante/imap-login").Where(p => !login0.Contains(p)).ToList();
        var (imapRss, imapPss) = ProcMemory.Sum(imapNew);
        var (loginRss, loginPss) = ProcMemory.Sum(loginNew);
        var alive = clients.Count(c => c.IsConnected);
        static string Kb(double b) => (b / 1024).ToString("0", CultureInfo.InvariantCulture);
        var n = (double)clients.Count;
        return string.Join('\n',
            $"Memory per idle authenticated connection ({clients.Count} open of {count} asked{(refused is null ? "" : ", the server refused the rest: " + refused)}; {alive} still connected at the measurement, spread over {users.Count} demo users, nothing selected):",
            "",
            "| where | total delta | per connection | target | met |",
            "|---|---:|---:|---|---|",
            $"| our process, managed heap (GC.GetTotalMemory after full GC) | {Kb(heap1 - heap0)} KB | {Kb((heap1 - heap0) / n)} KB | < 200 KB | {((heap1 - heap0) / n < 200 * 1024 ? "yes" : "**no**")} |",
            $"| our process, working set | {Kb(ws1 - ws0)} KB | {Kb((ws1 - ws0) / n)} KB | < 200 KB | {((ws1 - ws0) / n < 200 * 1024 ? "yes" : "**no**")} |",
            $"| Dovecot imap processes ({imapNew.Count} new), RSS / PSS | {Kb(imapRss)} / {Kb(imapPss)} KB | {Kb(imapRss / n)} / {Kb(imapPss / n)} KB | - | - |",
            $"| Dovecot imap-login processes ({loginNew.Count} new, they carry TLS), RSS / PSS | {Kb(loginRss)} / {Kb(loginPss)} KB | {Kb(loginRss / n)} / {Kb(loginPss / n)} KB | - | - |");
    }
    finally
    {
        await Task.WhenAll(clients.Select(async c =>
        {
            try
            {
                await c.LogoutAsync();
            }
            catch (Exception e) when (e is MailProtocolException or IOException or OperationCanceledException)
            {
            }
            await c.DisposeAsync();
        }));
    }
}

/// <summary>Records the commands our client sends, by operation, as imap_floor.py steps.</summary>
internal sealed class CommandCapture : IMailProtocolLog
{
    private readonly List<string> _current = [];
    private readonly Dictionary<string, List<string>> _byOp = [];

    public bool Recording { get; set; }

    public void Client(string text)
    {
        if (Recording)
        {
            _current.Add(text.TrimEnd('\r', '\n'));
        }
    }

    public void Server(string text)
    {
    }

    public void Event(string text)
    {
    }

    public void Cut(string op)
    {
        _byOp[op] = [.. _current];
        _current.Clear();
    }

    /// <summary>The captured commands as steps: tag dropped, SELECT/ENABLE mapped, UID commands kept verbatim.</summary>
    public IReadOnlyList<string[]> Steps(string op) => _byOp[op].Select(ToStep).ToList();

    public static string[] ToStep(string line)
    {
        var parts = line.Split(' ', 3);
        var verb = parts[1].ToUpperInvariant();
        var rest = parts.Length > 2 ? parts[2] : "";
        return verb switch
        {
            "SELECT" => ["select", rest],
            "ENABLE" => ["enable", rest],
            "UID" => ["uid", rest.Split(' ', 2)[0], rest.Split(' ', 2).ElementAtOrDefault(1) ?? ""],
            _ => throw new InvalidOperationException("No imaplib mapping for " + verb),
        };
    }
}
