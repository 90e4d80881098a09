using System.CommandLine;
using System.Text;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Cli.Sanitize;

/// <summary>
/// <c>mssante mime sanitize FILE</c>: prints exactly the document the reading pane would put in
/// its sandboxed frame for the message's best HTML body, remote content blocked. It calls
/// <see cref="MessageHtmlRenderer.Render"/>, the reading pane's own code path, so support staff
/// checking a suspicious message see what the practitioner sees.
/// </summary>
public static class SanitizeCommand
{
    /// <summary>Exit code when the message has no HTML body.</summary>
    public const int NoHtmlBody = 3;

    /// <summary>Adds <c>sanitize</c> under the existing <c>mime</c> group of <paramref name="root"/>.</summary>
    public static void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var mime = root.Subcommands.FirstOrDefault(c => c.Name == "mime")
                   ?? throw new InvalidOperationException("The 'mime' command group must be registered before 'mime sanitize'.");
        mime.Subcommands.Add(Create());
    }

    /// <summary>Builds the <c>sanitize</c> command.</summary>
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The message file (.eml), raw bytes as received" };
        var report = new Option<bool>("--report") { Description = "Also print, on standard error, how many remote resources were blocked and which cid: parts are used" };
        var command = new Command("sanitize", "Print the HTML the reading pane would show for the message's HTML body (remote content blocked)");
        command.Arguments.Add(file);
        command.Options.Add(report);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"mime sanitize: file not found: {path.FullName}");
                return 2;
            }

            var bytes = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            var view = Render(bytes);
            if (view is null)
            {
                await error.WriteLineAsync("mime sanitize: the message has no HTML body");
                return NoHtmlBody;
            }

            await output.WriteAsync(view.Document);
            await output.FlushAsync(cancellationToken);
            if (parseResult.GetValue(report))
            {
                var sanitized = view.Sanitized;
                var sb = new StringBuilder();
                sb.Append("blocked remote resources: ").Append(sanitized.BlockedRemoteResources).AppendLine();
                sb.Append("removed elements: ").Append(sanitized.RemovedElements).AppendLine();
                sb.Append("cid references: ").Append(sanitized.CidReferences.Count).AppendLine();
                await error.WriteAsync(sb.ToString());
            }

            return 0;
        });
        return command;
    }

    /// <summary>The reading pane's view of the message in <paramref name="bytes"/>, remote content blocked; null without HTML body.</summary>
    public static MessageHtmlView? Render(ReadOnlyMemory<byte> bytes) =>
        MessageHtmlRenderer.Render(MimeMessage.Load(bytes), allowRemoteContent: false);
}
