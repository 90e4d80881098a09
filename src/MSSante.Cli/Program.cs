using System.CommandLine;
using MSSante.Cli.Mime;

// Each area registers its command group from its own folder, one line each.
var root = new RootCommand("MSSanté webmail: administration and inspection commands");
root.Subcommands.Add(MimeCommands.Create());

return await root.Parse(args).InvokeAsync();
