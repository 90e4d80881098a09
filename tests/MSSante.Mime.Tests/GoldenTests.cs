using System.Text;

namespace MSSante.Mime.Tests;

/// <summary>
/// Message in, expected summary out: each corpus message has a golden JSON beside it (the
/// `mime inspect` output). Regenerate after a deliberate change with MIME_UPDATE_GOLDEN=1 and
/// review the diff.
/// </summary>
public sealed class GoldenTests
{
    [Fact]
    public void CorpusHasAtLeast300MessagesFromEverySource()
    {
        Assert.True(Corpus.Files.Count >= 300, $"only {Corpus.Files.Count} messages");
        foreach (var source in new[] { "handwritten/", "generated/", "python/", "operator/" })
        {
            Assert.Contains(Corpus.Files, f => f.StartsWith(source, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Corpus.FileData), MemberType = typeof(Corpus))]
    public void SummaryMatchesGolden(string file)
    {
        var message = MimeMessage.Load(Corpus.Read(file));
        var actual = Encoding.UTF8.GetString(MimeInspector.ToJson(message));
        var goldenPath = Path.ChangeExtension(Corpus.PathOf(file), ".json");
        if (Environment.GetEnvironmentVariable("MIME_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(goldenPath, actual);
        }

        Assert.True(File.Exists(goldenPath), "missing golden file " + goldenPath);
        Assert.Equal(File.ReadAllText(goldenPath), actual);
        Assert.DoesNotContain(message.Warnings, w => w.Code == MimeWarningCode.ParserError);
    }
}
