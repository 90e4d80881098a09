using System.Diagnostics;
using System.Globalization;

namespace MSSante.Benchmarks.Shared;

/// <summary>Repeated timings of one operation, ours and the floor's.</summary>
public sealed class Samples
{
    public List<double> Ours { get; } = [];
    public List<double> OursCpu { get; } = [];
    public List<double> Floor { get; } = [];
    public List<double> FloorCpu { get; } = [];

    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }

    public static string Ms(double seconds) => (seconds * 1000).ToString(seconds < 0.1 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static string Ratio(double ours, double floor) => (ours / floor).ToString("0.00", CultureInfo.InvariantCulture) + "x";
}

/// <summary>Wall and CPU time of this process around an operation.</summary>
public static class Clock
{
    public static async Task<(double Wall, double Cpu)> TimeAsync(Func<Task> work)
    {
        var process = Process.GetCurrentProcess();
        var cpu0 = process.TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await work();
        sw.Stop();
        process.Refresh();
        return (sw.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu0).TotalSeconds);
    }
}

/// <summary>Memory of processes read from /proc (Linux): RSS and PSS (shared pages divided among sharers).</summary>
public static class ProcMemory
{
    /// <summary>Pids whose command line starts with <paramref name="title"/> exactly (e.g. "dovecot-mssante/imap").</summary>
    public static IReadOnlyList<int> Find(string title)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }
            try
            {
                var cmd = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0')[0].Trim();
                if (cmd == title)
                {
                    pids.Add(pid);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        return pids;
    }

    /// <summary>(RSS, PSS) in bytes of one process, from smaps_rollup; zeros if it is gone.</summary>
    public static (long Rss, long Pss) Of(int pid)
    {
        try
        {
            long rss = 0, pss = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Rss:", StringComparison.Ordinal))
                {
                    rss = Kb(line);
                }
                else if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    pss = Kb(line);
                }
            }
            return (rss, pss);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    public static (long Rss, long Pss) Sum(IEnumerable<int> pids)
    {
        long rss = 0, pss = 0;
        foreach (var pid in pids)
        {
            var (r, p) = Of(pid);
            rss += r;
            pss += p;
        }
        return (rss, pss);
    }

    private static long Kb(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    public static string Load() => File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Aggregate((a, b) => a + " " + b);
}
