using MSSante.Cli.Tests.Whitelist;

namespace MSSante.Cli.Tests.NationalDirectory;

public sealed class DirectoryCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Generated_zip_imports_idempotently_and_is_searchable()
    {
        var zip = _cli.PathOf("extraction.zip");
        Assert.Equal(0, (await _cli.RunAsync("directory", "generate", "--rows", "2000", "--zip", "--output", zip)).ExitCode);

        var first = await _cli.RunAsync("directory", "import", zip);
        var second = await _cli.RunAsync("directory", "import", zip);

        Assert.Equal(0, first.ExitCode);
        Assert.StartsWith("read=2000 inserted=2000 updated=0 unchanged=0 deleted=0 malformed=0", first.Output, StringComparison.Ordinal);
        Assert.StartsWith("read=2000 inserted=0 updated=0 unchanged=2000 deleted=0 malformed=0", second.Output, StringComparison.Ordinal);

        var search = await _cli.RunAsync("directory", "search", "Lefèvre", "--page-size", "5");
        Assert.Equal(0, search.ExitCode);
        var lines = search.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.InRange(lines.Count, 1, 5);
        Assert.All(lines, l => Assert.Contains("LEF", l.Split('\t')[2], StringComparison.Ordinal));
        Assert.All(lines, l => Assert.Contains("dematerialisation=", l, StringComparison.Ordinal));

        var none = await _cli.RunAsync("directory", "search", "zzzzzz");
        Assert.Equal(1, none.ExitCode);
    }

    [Fact]
    public async Task Not_an_extraction_is_refused()
    {
        var file = _cli.PathOf("x.txt");
        await File.WriteAllTextAsync(file, "nom;prenom\nMARTIN;Jeanne\n");
        var result = await _cli.RunAsync("directory", "import", file);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Not a directory extraction", result.Error, StringComparison.Ordinal);
    }
}
