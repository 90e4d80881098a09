using System.CommandLine;
using MSSante.Cli.Mime;
using MSSante.Cli.Sanitize;

// Each area registers its command group from its own folder, one line each.
var root = new RootCommand("MSSanté webmail: administration and inspection commands");
root.Subcommands.Add(MimeCommands.Create());
SanitizeCommand.AddTo(root);

return await root.Parse(args).InvokeAsync();
