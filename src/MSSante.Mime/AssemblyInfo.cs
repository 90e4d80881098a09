using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("MSSante.Mime.Tests")]
[assembly: InternalsVisibleTo("MSSante.Mime.Benchmarks")]
