using System.CommandLine;
using MSSante.Cli.Audit;
using MSSante.Cli.NationalDirectory;
using MSSante.Cli.Whitelist;

namespace MSSante.Cli.Tests.Whitelist;

/// <summary>Runs the trust-space commands in process against a throwaway SQLite database.</summary>
public sealed class CliRunner : IDisposable
{
    public CliRunner()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mssante-cli-").FullName;
        ConnectionString = $"Data Source={Path.Combine(Directory, "webmail.db")};Pooling=False";
    }

    public string Directory { get; }

    public string ConnectionString { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(WhitelistCommands.Create());
        root.Subcommands.Add(DirectoryCommands.Create());
        root.Subcommands.Add(AuditCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var withDatabase = args.Length >= 2 && args[1] is not "generate" ? [.. args, "--connection", ConnectionString] : args;
        var code = await root.Parse(withDatabase).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    public static string SharedWhitelist()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "listeblanchemssante-2025-03-13.xml"));
            }
        }

        throw new InvalidOperationException("Repository root not found.");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
