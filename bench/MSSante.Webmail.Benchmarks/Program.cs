using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MSSante.Benchmarks.Shared;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mail;
using MSSante.Mail.Imap;
using MSSante.Webmail.Benchmarks;
using MSSante.Webmail.Mail;

// Webmail benchmark (issue 6, performance (a)-(d)). Server side (a), (b): the webmail's own
// MailSession and MessageHtmlRenderer in this process, against Python's imaplib on an open
// connection issuing the same IMAP commands, interleaved. Browser (c), (d): the built webmail as
// a child process, Debian's Chromium through Playwright.
// Usage: MSSante.Webmail.Benchmarks [--reps N] [--warmups N (for (a), default 10)] [--users N] [--only server|profile|browser|idle]
//        [--heap-report FILE (with (d): heap snapshots before and after, what grew per user, by type and retention)]
//        [--idle SECONDS (for (d), default 15)]
var reps = Arg("--reps", 7);
var users = Arg("--users", 50);
var warmups = Arg("--warmups", 10);
var only = ArgS("--only", "");
var heapReport = ArgS("--heap-report", "");
var idleSeconds = Arg("--idle", 15);
var stack = BenchStack.Load();
var user = stack.User("charge.test@medecin.mssante.fr");
var startLoad = ProcMemory.Load();
Console.Error.WriteLine($"Webmail benchmark, load {startLoad}");

await EnsureBenchFolderAsync(stack, user);

// Each part is printed as soon as it is measured, so a later failure keeps the earlier results.
Print([
    $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average at start {startLoad} (1, 5, 15 min), {Environment.ProcessorCount} cores, .NET {Environment.Version}, {reps} interleaved repetitions after two warm-ups.",
    "",
]);
if (only is "" or "server")
{
    Print(await ServerSideAsync(stack, user, reps, warmups));
}
if (only is "" or "server" or "profile")
{
    Print(SanitizeProfile.Run(20));
}
if (only is "" or "browser" or "idle")
{
    Print(await BrowserBench.RunAsync(stack, user, reps, users, clicks: only != "idle", heapReport is "" ? null : heapReport, idleSeconds));
}
Print(["", $"Load average at the end: {ProcMemory.Load()}."]);
return;

static void Print(IEnumerable<string> lines)
{
    Console.WriteLine(string.Join('\n', lines));
    Console.Out.Flush();
}

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

// The "Bench" folder of charge.test with the 100 KB HTML report and a small text message,
// appended once (generated here, not committed).
static async Task EnsureBenchFolderAsync(BenchStack stack, BenchUser user)
{
    await using var c = new ImapClient(stack.ImapOptions());
    await c.ConnectAsync();
    await c.AuthenticateAsync(stack.Credentials(user));
    var folders = await c.ListAsync("", "*");
    if (!folders.Any(f => f.Name == BenchMessages.Folder))
    {
        await c.CreateMailboxAsync(BenchMessages.Folder);
        await c.SubscribeAsync(BenchMessages.Folder);
    }
    await c.SelectAsync(BenchMessages.Folder);
    if ((await c.SearchAsync(ImapSearchQuery.Subject(BenchMessages.HtmlSubject))).Count == 0)
    {
        await c.AppendAsync(BenchMessages.Folder, BenchMessages.Html100K(user.Address));
    }
    if ((await c.SearchAsync(ImapSearchQuery.Subject(BenchMessages.TextSubject))).Count == 0)
    {
        await c.AppendAsync(BenchMessages.Folder, BenchMessages.SmallText(user.Address));
    }
    await c.LogoutAsync();
}

static MailConnector Connector(BenchStack stack)
{
    var options = Options.Create(new OperatorMailOptions
    {
        Imap = new OperatorServerOptions { Host = stack.Host, Port = stack.ImapsPort, Security = "Tls" },
        Smtp = new OperatorServerOptions { Host = stack.Host, Port = 10465, Security = "Tls" },
        TrustedCaFiles = [stack.CaFile],
        TimeoutSeconds = 120,
    });
    return new MailConnector(options, new StackTokens(stack));
}

static async Task<List<string>> ServerSideAsync(BenchStack stack, BenchUser user, int reps, int warmups)
{
    var mailUser = new MailUser(user.IdNat, user.Address);
    await using var session = new MailSession(Connector(stack), NullLogger<MailSession>.Instance);
    await session.StartAsync(mailUser, [user.Address]);
    await using var floor = await PythonFloor.StartAsync(stack, user);

    // (a) What MailSession sends to open a folder on a started session: SELECT (with QRESYNC when
    // the session kept the folder's view from an earlier open), UID SORT (REVERSE DATE), UID FETCH
    // of the first 50 rows; the view's flags are read afterwards by the IDLE loop in slices
    // (waited for before anything else is measured, so that work never overlaps a measurement).
    // Two cases: cold (a session started just before, INBOX never opened: a new view) and reopen
    // (INBOX opened again on the same session). The floor sends the same three commands with
    // imaplib (QRESYNC ENABLEd once per connection on both sides, before measuring).
    await session.OpenFolderAsync("INBOX");
    var first = await session.GetRowsAsync(0, 50);
    await WaitListCompleteAsync(session);
    var rowSet = UidSet.Of(session.OrderedUids.Take(50)).ToString();
    var preview = session.Supports("PREVIEW") ? " PREVIEW" : "";
    var listSteps = new List<string[]>
    {
        new[] { "select", "\"INBOX\" (CONDSTORE)" },
        new[] { "uid", "SORT", "(REVERSE DATE) UTF-8 ALL" },
        new[] { "uid", "FETCH", rowSet, "(UID FLAGS INTERNALDATE RFC822.SIZE ENVELOPE BODYSTRUCTURE" + preview + ")" },
    };
    if (session.Supports("QRESYNC"))
    {
        await floor.RunAsync([["enable", "QRESYNC"]]);
    }

    // Reopened: INBOX again on the same session, each time after it finished reading the flags.
    // More warm-ups than elsewhere: each repetition runs the open path once, and a long-running
    // webmail has it compiled by the optimising tier long before.
    var list = new Samples();
    for (var i = -warmups; i < reps; i++)
    {
        var rows = 0;
        var ours = await Clock.TimeAsync(async () =>
        {
            await session.OpenFolderAsync("INBOX");
            rows = (await session.GetRowsAsync(0, 50)).Count;
        });
        await WaitListCompleteAsync(session);
        var f = await floor.RunAsync(listSteps);
        if (rows != 50 || first.Count != 50)
        {
            throw new InvalidOperationException($"expected 50 rows, got {rows}");
        }
        if (i < 0)
        {
            continue;
        }
        list.Ours.Add(ours.Wall);
        list.OursCpu.Add(ours.Cpu);
        list.Floor.Add(f.Seconds);
        list.FloorCpu.Add(f.Cpu);
    }
    // Cold: a session started just before (not timed), INBOX never opened on it; in a loop of its
    // own, so the garbage its background flag reading leaves is not collected in the other's samples.
    var cold = new Samples();
    for (var i = -warmups; i < reps; i++)
    {
        var rows = 0;
        (double Wall, double Cpu) ours;
        {
            await using var fresh = new MailSession(Connector(stack), NullLogger<MailSession>.Instance);
            await fresh.StartAsync(mailUser, [user.Address]);
            ours = await Clock.TimeAsync(async () =>
            {
                await fresh.OpenFolderAsync("INBOX");
                rows = (await fresh.GetRowsAsync(0, 50)).Count;
            });
            await WaitListCompleteAsync(fresh);
        }
        var f = await floor.RunAsync(listSteps);
        if (rows != 50)
        {
            throw new InvalidOperationException($"expected 50 rows, got {rows}");
        }
        if (i < 0)
        {
            continue;
        }
        cold.Ours.Add(ours.Wall);
        cold.OursCpu.Add(ours.Cpu);
        cold.Floor.Add(f.Seconds);
        cold.FloorCpu.Add(f.Cpu);
    }

    // (b) open the 100 KB HTML message in the Bench folder: fetch (BODY.PEEK[]), parse, sanitise,
    // build the iframe document, exactly what MailPage + SafeHtmlFrame do on the server.
    await session.OpenFolderAsync(BenchMessages.Folder);
    var bench = await session.GetRowsAsync(0, 10);
    var target = bench.First(r => r.Subject == BenchMessages.HtmlSubject).Uid;
    await floor.RunAsync([["select", BenchMessages.Folder]]);
    var openSteps = new List<string[]> { new[] { "uid", "FETCH", target.ToString(CultureInfo.InvariantCulture), "(UID FLAGS BODY.PEEK[])" } };
    var open = new Samples();
    var reopen = new Samples();
    var fetchOnly = new List<double>();
    var renderOnly = new List<double>();
    long rawSize = 0, docSize = 0;
    // Reopening: what SafeHtmlFrame does with the host's MessageDocumentCache (filled by the first warm-up).
    using var documents = new MessageDocumentCache(Options.Create(new MessageDocumentCacheOptions()));
    var reopenRenders = 0;
    // Ten warm-ups: AngleSharp and the sanitiser run once per repetition, and a webmail that has
    // opened a few messages runs them compiled by the optimising tier (two left them half-compiled).
    for (var i = -10; i < reps; i++)
    {
        double fetchTime = 0;
        var ours = await Clock.TimeAsync(async () =>
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var loaded = await session.LoadMessageAsync(target, markSeen: true) ?? throw new InvalidOperationException("message gone");
            fetchTime = sw.Elapsed.TotalSeconds;
            var view = MessageHtmlRenderer.Render(loaded.Message, allowRemoteContent: false)
                ?? throw new InvalidOperationException("no HTML body");
            rawSize = loaded.Raw.Length;
            docSize = view.Document.Length;
            await loaded.Recorded;
        });
        var f = await floor.RunAsync(openSteps);
        var again = await Clock.TimeAsync(async () =>
        {
            var loaded = await session.LoadMessageAsync(target, markSeen: true) ?? throw new InvalidOperationException("message gone");
            var key = MessageDocumentKey.For(user.IdNat, user.Address, BenchMessages.Folder, target, loaded.Raw, allowRemoteContent: false);
            var view = documents.GetOrRender(key, () =>
            {
                reopenRenders++;
                return MessageHtmlRenderer.Render(loaded.Message, allowRemoteContent: false)!;
            });
            if (view.Document.Length != docSize)
            {
                throw new InvalidOperationException("the cached document differs from the rendered one");
            }
            await loaded.Recorded;
        });
        if (i < 0)
        {
            continue;
        }
        reopen.Ours.Add(again.Wall);
        reopen.OursCpu.Add(again.Cpu);
        open.Ours.Add(ours.Wall);
        open.OursCpu.Add(ours.Cpu);
        open.Floor.Add(f.Seconds);
        open.FloorCpu.Add(f.Cpu);
        fetchOnly.Add(fetchTime);
        renderOnly.Add(ours.Wall - fetchTime);
    }

    // How much of an idle user's memory is the mail session itself: a second session, started
    // and opened on INBOX with its first 50 rows, retained on the managed heap.
    // Five probes at once, so a few KB freed or kept elsewhere in the process between the two
    // heap readings do not weigh on the figure (one probe once read -60 KB).
    const int probes = 5;
    long retained;
    {
        await Task.Delay(1000);
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        var before = GC.GetTotalMemory(true);
        var held = new List<MailSession>();
        for (var p = 0; p < probes; p++)
        {
            var probe = new MailSession(Connector(stack), NullLogger<MailSession>.Instance);
            held.Add(probe);
            await probe.StartAsync(mailUser, [user.Address]);
            await probe.OpenFolderAsync("INBOX");
            await probe.GetRowsAsync(0, 50);
            await WaitListCompleteAsync(probe); // the steady state of an idle user: every flag read
        }
        await Task.Delay(1000);
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, true, true);
        retained = (GC.GetTotalMemory(true) - before) / probes;
        foreach (var probe in held)
        {
            await probe.DisposeAsync();
        }
    }

    var lm = Samples.Median(list.Ours);
    var lf = Samples.Median(list.Floor);
    var cm = Samples.Median(cold.Ours);
    var cf = Samples.Median(cold.Floor);
    var om = Samples.Median(open.Ours);
    var of = Samples.Median(open.Floor);
    var rm = Samples.Median(reopen.Ours);
    return
    [
        "Server side, in process (MailSession and MessageHtmlRenderer of src/MSSante.Webmail, on a started session, i.e. an open authenticated connection that IDLEs between operations), against imaplib on an open connection issuing the same IMAP commands:",
        "",
        "| measurement | ours median (ms) | floor median (ms) | ratio | target | met | Roundcube 1.6 (issue 6) |",
        "|---|---:|---:|---:|---|---|---|",
        $"| (a) first 50 rows of the 10,000-message INBOX, cold: open folder + rows 0-49 on a session that never opened it | {Samples.Ms(cm)} | {Samples.Ms(cf)} | {Samples.Ratio(cm, cf)} | <= 1.2x | {(cm / cf <= 1.2 ? "yes" : "**no**")} | 38-40 ms, 2.7x |",
        $"| (a) same, reopened (QRESYNC) | {Samples.Ms(lm)} | {Samples.Ms(lf)} | {Samples.Ratio(lm, lf)} | <= 1.2x | {(lm / lf <= 1.2 ? "yes" : "**no**")} | |",
        $"| (b) open the 100 KB HTML message: fetch, parse, sanitise, iframe document | {Samples.Ms(om)} | {Samples.Ms(of)} | {Samples.Ratio(om, of)} | <= 1.5x | {(om / of <= 1.5 ? "yes" : "**no**")} | 53-58 ms, 3.3x |",
        $"| (b) reopen it, document cached: fetch, parse, SHA-256, cache hit | {Samples.Ms(rm)} | {Samples.Ms(of)} | {Samples.Ratio(rm, of)} | <= 1.5x | {(rm / of <= 1.5 ? "yes" : "**no**")} | - |",
        "",
        $"- (a) floor commands: {string.Join(" ; ", listSteps.Select(s => string.Join(' ', s)))}. {warmups} warm-ups for (a).",
        $"- (a) CPU median: ours cold {Samples.Ms(Samples.Median(cold.OursCpu))} ms, reopened {Samples.Ms(Samples.Median(list.OursCpu))} ms (this process, all threads), imaplib {Samples.Ms(Samples.Median(list.FloorCpu))} ms. Samples ours cold: {string.Join(", ", cold.Ours.Select(Samples.Ms))}, its floor: {string.Join(", ", cold.Floor.Select(Samples.Ms))}; reopened: {string.Join(", ", list.Ours.Select(Samples.Ms))}, its floor: {string.Join(", ", list.Floor.Select(Samples.Ms))}.",
        $"- (b) message {rawSize / 1024} KB raw, iframe document {docSize / 1024} KB; split of ours: IMAP fetch + MIME parse {Samples.Ms(Samples.Median(fetchOnly))} ms, sanitise + document {Samples.Ms(Samples.Median(renderOnly))} ms (medians). Floor: UID FETCH {target} (UID FLAGS BODY.PEEK[]). Samples ours: {string.Join(", ", open.Ours.Select(Samples.Ms))}; floor: {string.Join(", ", open.Floor.Select(Samples.Ms))}.",
        $"- (b) CPU medians: first opening {Samples.Ms(Samples.Median(open.OursCpu))} ms, reopening {Samples.Ms(Samples.Median(reopen.OursCpu))} ms (this process, all threads), imaplib {Samples.Ms(Samples.Median(open.FloorCpu))} ms. Reopening samples: {string.Join(", ", reopen.Ours.Select(Samples.Ms))}; the renderer ran {reopenRenders} time(s) for them all (the first warm-up).",
        $"- Managed heap retained by one MailSession opened on the 10,000-message INBOX with its first 50 rows (the server state of one idle user's mail connection, measured in this process, average of {probes} open at once): {retained / 1024} KB.",
        "",
    ];
}

static async Task WaitListCompleteAsync(MailSession session)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (!session.ListComplete && DateTime.UtcNow < deadline)
    {
        await Task.Delay(20);
    }
    if (!session.ListComplete)
    {
        throw new InvalidOperationException("the session did not finish reading the folder's flags within 60 s");
    }
}

/// <summary>Operator tokens for the webmail's MailConnector, minted with the stack's key.</summary>
internal sealed class StackTokens(BenchStack stack) : IOperatorTokenSource
{
    public string Mint(string idNat, string mailbox) => stack.Token(new BenchUser(mailbox, idNat));
}
