namespace MSSante.Cli.Tests.Whitelist;

public sealed class WhitelistCommandTests : IDisposable
{
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Generated_truncated_7000_entry_list_imports_and_becomes_the_postfix_map()
    {
        var xml = _cli.PathOf("liste.xml");
        var generated = await _cli.RunAsync("whitelist", "generate", "--entries", "7000", "--truncated", "--output", xml);
        Assert.Equal(0, generated.ExitCode);
        Assert.DoesNotContain("</ListeBlancheMSSante>", await File.ReadAllTextAsync(xml), StringComparison.Ordinal);

        var import = await _cli.RunAsync("whitelist", "import", xml);
        Assert.Equal(0, import.ExitCode);
        Assert.Equal("imported entries=7000 domains=6001 previous=0 truncated=true", import.Output.Trim());

        var map = _cli.PathOf("mssante_recipients");
        var written = await _cli.RunAsync("whitelist", "postfix-map", "--output", map);
        Assert.Equal(0, written.ExitCode);
        var lines = (await File.ReadAllLinesAsync(map)).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(6001, lines.Count);
        Assert.All(lines, l => Assert.Matches("^[a-z0-9.-]+ OK$", l));
        Assert.Contains("medecin.mssante.fr OK", lines);
        Assert.Equal(lines.Count, lines.Distinct().Count());
        Assert.False(File.Exists(map + ".tmp"));
    }

    [Fact]
    public async Task Shrinking_import_is_refused_with_exit_3_and_the_map_keeps_the_old_list()
    {
        Assert.Equal(0, (await _cli.RunAsync("whitelist", "import", CliRunner.SharedWhitelist())).ExitCode);
        var small = _cli.PathOf("small.xml");
        await _cli.RunAsync("whitelist", "generate", "--entries", "50", "--duplicate-every", "0", "--output", small);

        var refused = await _cli.RunAsync("whitelist", "import", small);

        Assert.Equal(3, refused.ExitCode);
        Assert.Contains("refused", refused.Error, StringComparison.Ordinal);
        Assert.Contains("previous list is kept", refused.Error, StringComparison.Ordinal);
        var map = await _cli.RunAsync("whitelist", "postfix-map");
        Assert.Equal(516, map.Output.Split('\n').Count(l => l.EndsWith(" OK", StringComparison.Ordinal)));

        // The operator may allow a large change explicitly.
        Assert.Equal(0, (await _cli.RunAsync("whitelist", "import", small, "--max-shrink", "1")).ExitCode);
    }

    [Fact]
    public async Task Check_refuses_gmail_in_french_and_allows_a_listed_domain()
    {
        await _cli.RunAsync("whitelist", "import", CliRunner.SharedWhitelist());

        var gmail = await _cli.RunAsync("whitelist", "check", "dr.martin@gmail.com");
        var listed = await _cli.RunAsync("whitelist", "check", "contact@APTA78.mssante.fr");

        Assert.Equal(3, gmail.ExitCode);
        Assert.Equal(
            "refused Le domaine gmail.com n'appartient pas à l'espace de confiance MSSanté : ce destinataire ne peut pas recevoir de messagerie sécurisée de santé.",
            gmail.Output.Trim());
        Assert.Equal(0, listed.ExitCode);
        Assert.Equal("allowed apta78.mssante.fr", listed.Output.Trim());
    }

    [Fact]
    public async Task Postfix_map_of_an_empty_list_is_refused_rather_than_rejecting_every_recipient()
    {
        var result = await _cli.RunAsync("whitelist", "postfix-map");
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("empty", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Not_a_whitelist_is_refused()
    {
        var html = _cli.PathOf("error.html");
        await File.WriteAllTextAsync(html, "<html><body>503</body></html>");
        var result = await _cli.RunAsync("whitelist", "import", html);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("Not an MSSanté whitelist", result.Error, StringComparison.Ordinal);
    }
}
