using System.Security.Cryptography;
using System.Text;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>
/// What the reading pane shows for every message of the hostile corpus and of the MIME corpus,
/// with remote content blocked and allowed, is pinned by a digest per message: a change meant to
/// make the sanitiser faster must leave every byte as it was. A change meant to alter the output
/// regenerates the list (<c>MSSANTE_UPDATE_GOLDEN=1 dotnet test --filter RenderedCorpusGolden</c>)
/// and the diff names the messages whose rendering changed, for review.
/// </summary>
public sealed class RenderedCorpusGoldenTests
{
    private const string GoldenFile = "tests/MSSante.Infrastructure.Tests/HtmlSanitizing/Golden/rendered-corpus.sha256";

    [Fact]
    public void Every_corpus_message_renders_exactly_as_recorded()
    {
        // HostileCorpus.Directory is <repository>/tests/MSSante.IntegrationTests/Xss/Corpus.
        var root = Path.GetFullPath(Path.Combine(HostileCorpus.Directory, "..", "..", "..", ".."));
        var files = System.IO.Directory.EnumerateFiles(HostileCorpus.Directory, "*.eml")
            .Concat(System.IO.Directory.EnumerateFiles(Path.Combine(root, "tests", "MSSante.Mime.Tests", "Corpus"), "*.eml", SearchOption.AllDirectories))
            .Select(f => Path.GetRelativePath(root, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.True(files.Count > 500, $"only {files.Count} messages found under {root}");

        var actual = new StringBuilder();
        foreach (var file in files)
        {
            var message = MimeMessage.Load(File.ReadAllBytes(Path.Combine(root, file)));
            actual.Append(file).Append(' ').Append(Digest(message, false)).Append(' ').Append(Digest(message, true)).Append('\n');
        }

        var golden = Path.Combine(root, GoldenFile);
        if (Environment.GetEnvironmentVariable("MSSANTE_UPDATE_GOLDEN") == "1")
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(golden)!);
            File.WriteAllText(golden, actual.ToString());
        }

        var expected = File.ReadAllLines(golden).ToDictionary(l => l.Split(' ')[0], StringComparer.Ordinal);
        var lines = actual.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l.Split(' ')[0], StringComparer.Ordinal);
        var changed = lines.Where(l => expected.TryGetValue(l.Key, out var e) && e != l.Value).Select(l => l.Key).ToList();
        var added = lines.Keys.Except(expected.Keys).ToList();
        var gone = expected.Keys.Except(lines.Keys).ToList();
        Assert.True(changed.Count == 0 && added.Count == 0 && gone.Count == 0,
            $"rendering changed for {changed.Count} message(s): {string.Join(", ", changed.Take(20))}; "
            + $"not recorded yet: {string.Join(", ", added.Take(20))}; recorded but gone: {string.Join(", ", gone.Take(20))}");
    }

    /// <summary>The iframe document, the fragment, and the counts the banner and the raw view use; "none" without an HTML body.</summary>
    private static string Digest(MimeMessage message, bool allowRemoteContent)
    {
        var view = MessageHtmlRenderer.Render(message, allowRemoteContent);
        if (view is null)
        {
            return "none";
        }

        var text = new StringBuilder(view.Document.Length + view.Sanitized.Html.Length + 64)
            .Append(view.Document).Append('\0')
            .Append(view.Sanitized.Html).Append('\0')
            .Append(view.Sanitized.BlockedRemoteResources).Append('\0')
            .Append(view.Sanitized.RemovedElements).Append('\0')
            .AppendJoin('\0', view.Sanitized.CidReferences)
            .ToString();
        // UTF-16 code units as they are: a lone surrogate in a hostile message must not be smoothed over.
        return Convert.ToHexString(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan())))[..32];
    }
}
