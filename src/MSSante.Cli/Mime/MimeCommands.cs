using System.CommandLine;
using MSSante.Mime;

namespace MSSante.Cli.Mime;

/// <summary>The <c>mime</c> command group: inspection of Internet messages.</summary>
public static class MimeCommands
{
    /// <summary>Builds the <c>mime</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var mime = new Command("mime", "Inspect Internet messages (RFC 5322 / MIME)");
        mime.Subcommands.Add(CreateInspect());
        return mime;
    }

    private static Command CreateInspect()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The message file (.eml), raw bytes as received" };
        var inspect = new Command("inspect", "Print the message's headers, part tree, best text and warnings as one JSON object");
        inspect.Arguments.Add(file);
        inspect.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (!path.Exists)
            {
                error.WriteLine($"mime inspect: file not found: {path.FullName}");
                return 2;
            }

            var bytes = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            var message = MimeMessage.Load(bytes);
            output.Write(System.Text.Encoding.UTF8.GetString(MimeInspector.ToJson(message)));
            await output.FlushAsync(cancellationToken);
            return 0;
        });
        return inspect;
    }
}
