using System.CommandLine;
using System.Text.Json;
using MSSante.Cli.Mime;

namespace MSSante.Cli.Tests.Mime;

/// <summary>`mssante mime inspect FILE` as support staff run it: one JSON object on standard output.</summary>
public sealed class MimeInspectCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mssante-mime-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(MimeCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task PrintsTheDocumentedSchema()
    {
        var path = Path.Combine(_directory, "cr.eml");
        await File.WriteAllTextAsync(path,
            "From: =?UTF-8?Q?J=C3=A9r=C3=B4me_Lef=C3=A8vre?= <jerome.lefevre@medecin.mssante.fr>\r\n" +
            "To: Service: paul.durand@ch-demo.mssante.fr;\r\nCc: claire.leroy@pharmacien.mssante.fr\r\n" +
            "Reply-To: pneumologie@ch-demo.mssante.fr\r\nSubject: =?utf-8?B?UsOpc3VsdGF0cw==?=\r\n" +
            "Date: Tue, 01 Apr 2025 10:00:00 +0200\r\nMessage-ID: <m1@x>\r\nIn-Reply-To: <m0@x>\r\nReferences: <r@x> <m0@x>\r\n" +
            "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: multipart/alternative; boundary=a\r\n\r\n" +
            "--a\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nH=E9moglobine normale.\r\n" +
            "--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>H\u00e9moglobine</p>\r\n--a--\r\n" +
            "--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename*=utf-8''r%C3%A9sultat.pdf\r\nContent-ID: <pdf@x>\r\n" +
            "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n");

        var (code, output, error) = await RunAsync("mime", "inspect", path);

        Assert.Equal(0, code);
        Assert.Equal(string.Empty, error);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal(["subject", "from", "to", "cc", "replyTo", "date", "messageId", "inReplyTo", "references", "parts", "text", "html", "warnings"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Résultats", root.GetProperty("subject").GetString());
        Assert.Equal("Jérôme Lefèvre", root.GetProperty("from")[0].GetProperty("name").GetString());
        Assert.Equal("paul.durand@ch-demo.mssante.fr", root.GetProperty("to")[0].GetProperty("address").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("cc")[0].GetProperty("name").ValueKind);
        Assert.Equal("pneumologie@ch-demo.mssante.fr", root.GetProperty("replyTo")[0].GetProperty("address").GetString());
        Assert.Equal("2025-04-01T10:00:00+02:00", root.GetProperty("date").GetString());
        Assert.Equal("m1@x", root.GetProperty("messageId").GetString());
        Assert.Equal("m0@x", root.GetProperty("inReplyTo").GetString());
        Assert.Equal(["r@x", "m0@x"], root.GetProperty("references").EnumerateArray().Select(e => e.GetString()));
        var parts = root.GetProperty("parts").EnumerateArray().ToList();
        Assert.Equal(["1", "1.1", "1.2", "2"], parts.Select(p => p.GetProperty("path").GetString()));
        Assert.Equal("multipart/alternative", parts[0].GetProperty("contentType").GetString());
        Assert.Equal(JsonValueKind.Null, parts[0].GetProperty("size").ValueKind);
        Assert.Equal("iso-8859-1", parts[1].GetProperty("charset").GetString());
        Assert.Equal(20, parts[1].GetProperty("size").GetInt32());
        var pdf = parts[3];
        Assert.Equal("application/pdf", pdf.GetProperty("contentType").GetString());
        Assert.Equal("attachment", pdf.GetProperty("disposition").GetString());
        Assert.Equal("résultat.pdf", pdf.GetProperty("filename").GetString());
        Assert.Equal("pdf@x", pdf.GetProperty("contentId").GetString());
        Assert.Equal(9, pdf.GetProperty("size").GetInt32());
        Assert.Equal("Hémoglobine normale.", root.GetProperty("text").GetString());
        Assert.Equal("<p>Hémoglobine</p>", root.GetProperty("html").GetString());
        Assert.Equal(0, root.GetProperty("warnings").GetArrayLength());
    }

    [Fact]
    public async Task ReportsWarningsForABrokenMessage()
    {
        var path = Path.Combine(_directory, "casse.eml");
        await File.WriteAllTextAsync(path, "Subject: casse\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain; charset=x-inconnu\r\n\r\ncaf\u00e9\r\n");
        var (code, output, _) = await RunAsync("mime", "inspect", path);
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var codes = json.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetProperty("code").GetString()).ToList();
        Assert.Contains("MissingFinalBoundary", codes);
        Assert.Contains("UnknownCharset", codes);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("date").ValueKind);
    }

    [Fact]
    public async Task MissingFileIsAnErrorWithExitCode2()
    {
        var (code, output, error) = await RunAsync("mime", "inspect", Path.Combine(_directory, "absent.eml"));
        Assert.Equal(2, code);
        Assert.Equal(string.Empty, output);
        Assert.Contains("file not found", error);
    }
}
