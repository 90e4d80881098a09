using BenchmarkDotNet.Running;
using MSSante.Login.Benchmarks;

// --cpu [count]: CPU time per server verification beside the bare RSA check (see CpuTimeReport).
if (args.Length > 0 && args[0] == "--cpu")
{
    await CpuTimeReport.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2000);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(ServerVerification).Assembly).Run(args);
