[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MSSante.Mail.Tests")]
[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("MSSante.Mail.Benchmarks")]

namespace MSSante.Mail;
