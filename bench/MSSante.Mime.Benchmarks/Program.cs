using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MSSante.Mime.Benchmarks;

// A short job: the build machines are shared, a few iterations give stable enough ratios.
var job = Job.Default
    .WithToolchain(InProcessEmitToolchain.Instance)
    .WithLaunchCount(1)
    .WithWarmupCount(2)
    .WithIterationCount(6)
    .WithId("short");
var config = ManualConfig.CreateEmpty()
    .AddJob(job)
    .AddDiagnoser(MemoryDiagnoser.Default)
    .AddColumnProvider(DefaultColumnProviders.Instance)
    .AddLogger(ConsoleLogger.Default)
    .WithOptions(ConfigOptions.DisableLogFile);

Datasets.Generate();
var quick = args.Contains("--cpu-only");
var summary = quick ? null! : BenchmarkRunner.Run<MimeBenchmarks>(config);

// The machine is shared: wall-clock time depends on what else runs. CPU time of this process
// (and of Python's, measured the same way) is the fair basis for the ratio.
var cpuMbps = new Dictionary<string, double>();
foreach (var d in new[] { "corpus", "1MB", "10MB" })
{
    var bench = new MimeBenchmarks { Dataset = d };
    bench.Setup();
    bench.ParseAndRead();
    var size = Datasets.Size(d);
    var process = Process.GetCurrentProcess();
    var start = process.TotalProcessorTime;
    var rounds = 0;
    TimeSpan used;
    do
    {
        bench.ParseAndRead();
        rounds++;
        process.Refresh();
        used = process.TotalProcessorTime - start;
    }
    while (used < TimeSpan.FromSeconds(2) || rounds < 2);
    cpuMbps[d] = size * rounds / used.TotalSeconds / 1e6;
    if (quick)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{d}: {cpuMbps[d]:0.0} MB/s CPU"));
    }
}

if (quick)
{
    return 0;
}

// Python's email on the same files, in the same run.
var datasets = new[] { "corpus", "1MB", "10MB" };
var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true };
psi.ArgumentList.Add(Path.Combine(Datasets.Root, "bench", "MSSante.Mime.Benchmarks", "python_bench.py"));
foreach (var d in datasets)
{
    psi.ArgumentList.Add(d + "=" + string.Join('@', Datasets.Files(d)));
}

using var python = Process.Start(psi)!;
var pythonJson = JsonDocument.Parse(python.StandardOutput.ReadToEnd());
python.WaitForExit();

var md = new StringBuilder();
md.AppendLine("## MIME");
md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by `bench/MSSante.Mime.Benchmarks/run.sh` (BenchmarkDotNet 0.14, short job: 2 warm-ups, 6 iterations, in-process; Python {PythonVersion()} `email` with `policy=default` on the same files in the same run; {Environment.ProcessorCount} cores shared with other builds, so absolute numbers are noisy, ratios less so).");
md.AppendLine();
md.AppendLine("Workloads: **parse** = build the tree, read Subject and From, visit every part; **parse+read** = also decode every part (transfer encoding, then charset for text), which is what `python_bench.py` asks of Python.");
md.AppendLine();
md.AppendLine("Throughput on CPU time (the ratio that counts; the machine is shared, wall-clock figures follow):");
md.AppendLine();
md.AppendLine("| input | size | ours parse+read MB/s (CPU) | Python parse+read MB/s (CPU) | ratio |");
md.AppendLine("|---|---|---|---|---|");
foreach (var d in datasets)
{
    var py = pythonJson.RootElement.GetProperty(d).GetProperty("cpu_mbps").GetDouble();
    md.AppendLine(CultureInfo.InvariantCulture, $"| {d} | {Datasets.Size(d) / 1e6:0.00} MB | {cpuMbps[d]:0.0} | {py:0.00} | {cpuMbps[d] / py:0}x |");
}

md.AppendLine();
md.AppendLine(CultureInfo.InvariantCulture, $"BenchmarkDotNet (wall clock, load average {LoadAverage()} during the run) and allocations:");
md.AppendLine();
md.AppendLine("| input | size | ours parse MB/s | ours parse+read MB/s | Python parse+read MB/s | ratio (parse+read) | allocated parse | allocated parse+read |");
md.AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var d in datasets)
{
    var size = Datasets.Size(d);
    var parse = Find(summary, "Parse", d);
    var read = Find(summary, "ParseAndRead", d);
    var py = pythonJson.RootElement.GetProperty(d).GetProperty("mbps").GetDouble();
    var parseMbps = size / (parse.Mean / 1e9) / 1e6;
    var readMbps = size / (read.Mean / 1e9) / 1e6;
    md.AppendLine(CultureInfo.InvariantCulture, $"| {d} | {size / 1e6:0.00} MB | {parseMbps:0} | {readMbps:0} | {py:0.00} | {readMbps / py:0}x | {parse.Allocated / (double)size:0.00}x ({parse.Allocated / 1e6:0.00} MB) | {read.Allocated / (double)size:0.00}x ({read.Allocated / 1e6:0.00} MB) |");
}

md.AppendLine();
var minRatio = datasets.Min(d => cpuMbps[d] / pythonJson.RootElement.GetProperty(d).GetProperty("cpu_mbps").GetDouble());
var tenMb = Find(summary, "ParseAndRead", "10MB").Allocated / (double)Datasets.Size("10MB");
md.AppendLine(CultureInfo.InvariantCulture, $"Result: lowest CPU-time ratio to Python {minRatio:0}x (target at least 10x); reading the 10 MB message allocates {tenMb:0.00}x its size, {tenMb + 1:0.00}x when loaded from a stream (target under 3x). Wall-clock ratios mix moments of different load (BenchmarkDotNet and Python do not run at the same instant), which is why the CPU-time table is the reference.");
md.AppendLine();
md.AppendLine("Allocation is per operation relative to the input size. The parser keeps slices of the input (no copy) and decodes on demand, so parse alone allocates a small fraction of the message; parse+read allocates the decoded contents once (base64 shrinks by a quarter). Loading from a stream adds one buffer of the message size. Targets: at least 10x Python's throughput, under 3x the size allocated for a 10 MB message.");
md.AppendLine();
WriteSection(Path.Combine(Datasets.Root, "docs", "performance.md"), md.ToString());
Console.WriteLine(md.ToString());
return 0;

static (double Mean, long Allocated) Find(Summary summary, string method, string dataset)
{
    var report = summary.Reports.First(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
        && (string)r.BenchmarkCase.Parameters["Dataset"] == dataset);
    return (report.ResultStatistics!.Mean, report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static string PythonVersion()
{
    var p = Process.Start(new ProcessStartInfo("python3", "-c \"import sys;print(sys.version.split()[0])\"") { RedirectStandardOutput = true })!;
    var v = p.StandardOutput.ReadToEnd().Trim();
    p.WaitForExit();
    return v;
}

// Replaces only our own "## MIME" section of the shared file, keeping every other section.
static void WriteSection(string path, string section)
{
    var existing = File.Exists(path) ? File.ReadAllText(path) : "# Performance\n\n";
    var start = existing.IndexOf("\n## MIME\n", StringComparison.Ordinal);
    if (start < 0)
    {
        File.WriteAllText(path, existing.TrimEnd('\n') + "\n\n" + section);
        return;
    }

    var next = existing.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
    var after = next < 0 ? string.Empty : existing[next..];
    File.WriteAllText(path, existing[..(start + 1)] + section + after);
}
