using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(MSSante.Login.Benchmarks.ServerVerification).Assembly).Run(args);
