using System.Text;
using MSSante.Domain.NationalDirectory;

namespace MSSante.Domain.Tests.NationalDirectory;

public class DirectoryGeneratorTests
{
    private static async Task<List<DirectoryEntry>> GenerateAsync(int rows, int seed = 42)
    {
        var text = DirectoryGenerator.ToText(rows, seed);
        var report = new DirectoryParseReport();
        var list = new List<DirectoryEntry>();
        await foreach (var e in DirectoryExtractionReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), report))
        {
            list.Add(e);
        }

        Assert.Equal(0, report.Malformed);
        return list;
    }

    [Fact]
    public async Task Generated_rows_parse_are_unique_and_use_test_identifiers_only()
    {
        var entries = await GenerateAsync(5000);

        Assert.Equal(5000, entries.Count);
        Assert.Equal(5000, entries.Select(e => e.Address).Distinct().Count());
        Assert.All(entries.Where(e => e.NationalId is not null), e => Assert.StartsWith("8997", e.NationalId, StringComparison.Ordinal));
        Assert.All(entries, e => Assert.EndsWith(".mssante.fr", e.Address, StringComparison.Ordinal));
        // Realistic mix: mostly personal boxes, some service, software and practice boxes.
        var byType = entries.GroupBy(e => e.MailboxType).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(byType[MailboxType.Per] > 4000);
        Assert.True(byType[MailboxType.Org] > 100);
        Assert.True(byType[MailboxType.App] > 50);
        Assert.True(byType[MailboxType.Cab] > 10);
        Assert.Contains(entries, e => e.Dematerialisation == true);
        Assert.Contains(entries, e => e.Dematerialisation == false);
        Assert.Contains(entries, e => e.Dematerialisation is null);
        // Accented names exist, so the accent-free search is exercised.
        Assert.Contains(entries, e => e.LastName is not null && e.LastName != SearchText.Normalize(e.LastName));
    }

    [Fact]
    public async Task Same_seed_same_file_other_seed_other_file()
    {
        Assert.Equal(DirectoryGenerator.ToText(200, 7), DirectoryGenerator.ToText(200, 7));
        Assert.NotEqual(DirectoryGenerator.ToText(200, 7), DirectoryGenerator.ToText(200, 8));
        await Task.CompletedTask;
    }

    [Fact]
    public void Matcher_matches_word_prefixes_in_any_order_only()
    {
        var names = SearchText.Normalize("LEFÈVRE Hélène");
        var other = SearchText.Normalize("Médecin Pneumologie 75012 PARIS");

        Assert.True(DirectoryMatcher.Matches(names, other, SearchText.Tokenize("helene lefevre")));
        Assert.True(DirectoryMatcher.Matches(names, other, SearchText.Tokenize("Pneumo Paris hél")));
        Assert.True(DirectoryMatcher.Matches(names, other, SearchText.Tokenize("750")));
        Assert.False(DirectoryMatcher.Matches(names, other, SearchText.Tokenize("fevre")));
        Assert.False(DirectoryMatcher.Matches(names, other, SearchText.Tokenize("helene lyon")));
        Assert.False(DirectoryMatcher.Matches(names, other, []));
    }
}
