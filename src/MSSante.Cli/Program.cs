using System.CommandLine;
using MSSante.Cli.Audit;
using MSSante.Cli.Mime;
using MSSante.Cli.NationalDirectory;
using MSSante.Cli.Sanitize;
using MSSante.Cli.Whitelist;

// Each area registers its command group from its own folder, one line each.
var root = new RootCommand("MSSanté webmail: administration and inspection commands");
root.Subcommands.Add(MimeCommands.Create());
SanitizeCommand.AddTo(root);
root.Subcommands.Add(WhitelistCommands.Create());
root.Subcommands.Add(DirectoryCommands.Create());
root.Subcommands.Add(AuditCommands.Create());

return await root.Parse(args).InvokeAsync();
