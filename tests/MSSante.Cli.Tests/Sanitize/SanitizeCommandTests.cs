using System.CommandLine;
using MSSante.Cli.Mime;
using MSSante.Cli.Sanitize;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Cli.Tests.Sanitize;

public sealed class SanitizeCommandTests
{
    private static string CorpusFile(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "tests", "MSSante.IntegrationTests", "Xss", "Corpus", name + ".eml");
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(MimeCommands.Create());
        SanitizeCommand.AddTo(root);
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("remote-img")]
    [InlineData("svg-animate-href")]
    [InlineData("cve-2024-42009-body-attribute-smuggling")]
    [InlineData("css-style-block-remote")]
    [InlineData("mxss-noscript-title")]
    public async Task Prints_exactly_the_reading_pane_document_with_remote_content_blocked(string name)
    {
        var file = CorpusFile(name);
        var (code, output, error) = await RunAsync("mime", "sanitize", file);

        Assert.Equal(0, code);
        Assert.Equal("", error);
        // The reading pane's own call (SafeHtmlFrame renders MessageHtmlRenderer.Render with the
        // sender's choice; a first opening has remote content blocked).
        var expected = MessageHtmlRenderer.Render(MimeMessage.Load(await File.ReadAllBytesAsync(file)), allowRemoteContent: false)!;
        Assert.Equal(expected.Document, output);
        Assert.Contains("img-src data: cid:\"", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_goes_to_standard_error_and_counts_blocked_resources()
    {
        var (code, _, error) = await RunAsync("mime", "sanitize", CorpusFile("remote-img"), "--report");
        Assert.Equal(0, code);
        Assert.Contains("blocked remote resources: 1", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_text_only_message_is_refused_with_exit_code_3()
    {
        var path = Path.Combine(Path.GetTempPath(), "mssante-sanitize-" + Guid.NewGuid().ToString("N") + ".eml");
        await File.WriteAllTextAsync(path, "From: a@b.fr\r\nSubject: x\r\n\r\ntexte seul\r\n");
        try
        {
            var (code, output, error) = await RunAsync("mime", "sanitize", path);
            Assert.Equal(SanitizeCommand.NoHtmlBody, code);
            Assert.Equal("", output);
            Assert.Contains("no HTML body", error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_file_is_exit_code_2()
    {
        var (code, _, error) = await RunAsync("mime", "sanitize", "/nonexistent/message.eml");
        Assert.Equal(2, code);
        Assert.Contains("file not found", error, StringComparison.Ordinal);
    }
}
