using System.Diagnostics;
using System.Globalization;

namespace MSSante.Login.Benchmarks;

/// <summary>
/// CPU time per server verification, beside the bare RSA-2048 check, in the same process and
/// run (<c>--cpu</c>). On a shared, loaded machine wall time mostly measures the wait for a
/// core; the process CPU time (Environment.CpuUsage) is what a login costs the server. The
/// challenges are issued and signed before the measured loop, so only verification counts.
/// </summary>
internal static class CpuTimeReport
{
    public static async Task RunAsync(int count)
    {
        var bench = new ServerVerification();
        await bench.SetupVerifyAsync();
        try
        {
            // Warm-up: JIT tiers, the trust material snapshot and its CRL signature cache.
            await MeasureAsync(bench, 200);
            var (rsaCpu, rsaWall, verifyCpu, verifyWall) = await MeasureAsync(bench, count);
            var (trustCpu, trustWall) = MeasureTrustCheck(bench, count);
            var load = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : "n/a";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                date (UTC)        {DateTime.UtcNow:yyyy-MM-dd HH:mm}
                load average      {load}
                logins verified   {count}
                                           CPU/op     wall/op
                RSA-2048 check alone     {rsaCpu,8:F3} ms {rsaWall,8:F3} ms
                server verification      {verifyCpu,8:F3} ms {verifyWall,8:F3} ms
                  of which file check    {trustCpu,8:F3} ms {trustWall,8:F3} ms   (one stat per trust file, snapshot reused)
                ratio (CPU)              {verifyCpu / rsaCpu,8:F1} x
                """));
        }
        finally
        {
            bench.Cleanup();
        }
    }

    private static (double Cpu, double Wall) MeasureTrustCheck(ServerVerification bench, int count)
    {
        var cpu = Environment.CpuUsage.TotalTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            _ = bench.Trust.Current;
        }
        return ((Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / count, wall.Elapsed.TotalMilliseconds / count);
    }

    private static async Task<(double RsaCpu, double RsaWall, double VerifyCpu, double VerifyWall)> MeasureAsync(ServerVerification bench, int count)
    {
        var prepared = Enumerable.Range(0, count).Select(_ => bench.Prepare()).ToList();

        var cpu = Environment.CpuUsage.TotalTime;
        var wall = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            if (!bench.RsaVerify())
            {
                throw new InvalidOperationException("The reference signature does not verify.");
            }
        }
        var rsaWall = wall.Elapsed.TotalMilliseconds / count;
        var rsaCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / count;

        cpu = Environment.CpuUsage.TotalTime;
        wall.Restart();
        foreach (var next in prepared)
        {
            if (await bench.VerifyPrepared(next) is { } failure)
            {
                throw new InvalidOperationException("A login did not verify: " + failure);
            }
        }
        var verifyWall = wall.Elapsed.TotalMilliseconds / count;
        var verifyCpu = (Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds / count;
        return (rsaCpu, rsaWall, verifyCpu, verifyWall);
    }
}
