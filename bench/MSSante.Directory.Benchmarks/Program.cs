using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;

// Directory benchmark: import of a generated extraction into SQLite (wall time, peak memory)
// and search latency, each beside a reference measured in the same run:
//   import  vs  a parse-only pass over the same file (the floor any import pays);
//   search  vs  the same queries answered by a linear scan of the rows held in memory.
// Usage: dotnet run -c Release --project bench/MSSante.Directory.Benchmarks -- [rows] [work-dir]
var rows = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 300_000;
var work = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "mssante-directory-bench");
Directory.CreateDirectory(work);
var extraction = Path.Combine(work, $"Extraction_Correspondance_MSSante_{rows}.txt");
var database = Path.Combine(work, "bench.db");
foreach (var f in Directory.GetFiles(work, "bench.db*"))
{
    File.Delete(f);
}

Console.WriteLine(FormattableString.Invariant($"# rows={rows} cpus={Environment.ProcessorCount} load={LoadAverage()}"));
var sw = Stopwatch.StartNew();
// CPU time beside wall time: the build machines are shared, so wall time depends on the load.
double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
await DirectoryGenerator.WriteFileAsync(extraction, rows, zip: false);
Console.WriteLine(FormattableString.Invariant($"generate_s={sw.Elapsed.TotalSeconds:F1} size_mb={new FileInfo(extraction).Length / 1048576.0:F1}"));

// Reference: parse only.
GC.Collect();
sw.Restart();
var cpu0 = Cpu();
var parsed = 0;
await using (var stream = DirectoryExtractionReader.Open(extraction))
{
    await foreach (var _ in DirectoryExtractionReader.ReadAsync(stream, new DirectoryParseReport()))
    {
        parsed++;
    }
}

var parseSeconds = sw.Elapsed.TotalSeconds;
Console.WriteLine(FormattableString.Invariant($"parse_only_s={parseSeconds:F1} cpu_s={Cpu() - cpu0:F1} rows={parsed}"));

var configuration = new ConfigurationBuilder().Build();
var services = new ServiceCollection().AddLogging();
services.AddMSSanteDbContextFactory(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={database}", CommandTimeoutSeconds = 600 }, work);
services.AddMSSanteTrustSpace(configuration, scheduled: false);
await using var provider = services.BuildServiceProvider();
await using (var context = await provider.GetRequiredService<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync())
{
    await context.Database.MigrateAsync();
}

GC.Collect();
using var process = Process.GetCurrentProcess();
process.Refresh();
var peakBefore = process.PeakWorkingSet64;
sw.Restart();
cpu0 = Cpu();
var result = await provider.GetRequiredService<DirectoryImporter>().ImportFileAsync(extraction);
var importSeconds = sw.Elapsed.TotalSeconds;
process.Refresh();
Console.WriteLine(FormattableString.Invariant(
    $"import_s={importSeconds:F1} cpu_s={Cpu() - cpu0:F1} inserted={result.Inserted} peak_working_set_mb={process.PeakWorkingSet64 / 1048576.0:F0} (before import {peakBefore / 1048576.0:F0}) ratio_to_parse={importSeconds / parseSeconds:F1}"));

sw.Restart();
var again = await provider.GetRequiredService<DirectoryImporter>().ImportFileAsync(extraction);
Console.WriteLine(FormattableString.Invariant($"reimport_unchanged_s={sw.Elapsed.TotalSeconds:F1} unchanged={again.Unchanged}"));

// Search: the same queries through the index and by a linear scan of the rows in memory.
string[] queries =
[
    "martin", "lefevre", "helene", "Hélène Lefèvre", "jean pierre", "dupont paris", "pneumologie lyon", "cardiologie",
    "infirmier 13005", "kine brest", "sage femme nantes", "pharmacien toulouse", "orthophoniste", "8997000123", "99700012345",
    "75012", "victor hugo", "republique lille", "mar", "gar", "dr bernard", "chevalier medecine generale", "roux 69003",
    "clinique demo nice", "laboratoire", "pediatrie", "noel", "francois", "le gall", "n diaye",
];
var search = provider.GetRequiredService<IDirectorySearch>();
var memory = new List<(string Names, string Other)>(rows);
await using (var stream = DirectoryExtractionReader.Open(extraction))
{
    await foreach (var e in DirectoryExtractionReader.ReadAsync(stream, new DirectoryParseReport()))
    {
        memory.Add((e.SearchNames, e.SearchOther));
    }
}

foreach (var q in queries.Take(5))
{
    await search.SearchAsync(new DirectoryQuery(q)); // warm-up
}

var indexed = new List<double>();
var scanned = new List<double>();
for (var round = 0; round < 5; round++)
{
    foreach (var q in queries)
    {
        sw.Restart();
        await search.SearchAsync(new DirectoryQuery(q));
        indexed.Add(sw.Elapsed.TotalMilliseconds);
        if (round == 0)
        {
            var tokens = new DirectoryQuery(q).Tokens;
            sw.Restart();
            var hits = memory.Where(m => DirectoryMatcher.Matches(m.Names, m.Other, tokens)).Take(21).Count();
            scanned.Add(sw.Elapsed.TotalMilliseconds);
            _ = hits;
        }
    }
}

Console.WriteLine(FormattableString.Invariant(
    $"search_indexed_ms p50={Percentile(indexed, 50):F1} p95={Percentile(indexed, 95):F1} max={indexed.Max():F1} n={indexed.Count}"));
Console.WriteLine(FormattableString.Invariant(
    $"search_linear_scan_ms p50={Percentile(scanned, 50):F1} p95={Percentile(scanned, 95):F1} max={scanned.Max():F1} n={scanned.Count}"));
return 0;

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    var index = (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1;
    return sorted[Math.Clamp(index, 0, sorted.Count - 1)];
}

static string LoadAverage()
{
    try
    {
        return File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }
    catch (IOException)
    {
        return "?";
    }
}
