using System.Text;

namespace MSSante.Mime.Benchmarks;

/// <summary>The benchmark inputs: the test corpus and two generated large messages, written to disk so Python reads the same bytes.</summary>
public static class Datasets
{
    public static string Root { get; } = FindRoot();

    public static string CorpusDirectory => Path.Combine(Root, "tests", "MSSante.Mime.Tests", "Corpus");

    public static string WorkDirectory => Path.Combine(Root, "BenchmarkDotNet.Artifacts", "mime-datasets");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
            {
                return dir.FullName;
            }
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("run from inside the repository");
    }

    public static IReadOnlyList<string> Files(string dataset) => dataset switch
    {
        "corpus" => Directory.EnumerateFiles(CorpusDirectory, "*.eml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList(),
        "1MB" => [Path.Combine(WorkDirectory, "message-1mb.eml")],
        "10MB" => [Path.Combine(WorkDirectory, "message-10mb.eml")],
        _ => throw new ArgumentOutOfRangeException(nameof(dataset)),
    };

    public static byte[][] Load(string dataset)
    {
        Generate();
        return Files(dataset).Select(File.ReadAllBytes).ToArray();
    }

    public static long Size(string dataset) => Load(dataset).Sum(d => (long)d.Length);

    /// <summary>
    /// A realistic large report: a text body, an HTML alternative in quoted-printable, and PDF-like
    /// binary attachments in base64 (what dominates real mailbox volume) up to the target size.
    /// </summary>
    public static void Generate()
    {
        Directory.CreateDirectory(WorkDirectory);
        Write(Path.Combine(WorkDirectory, "message-1mb.eml"), 1024 * 1024);
        Write(Path.Combine(WorkDirectory, "message-10mb.eml"), 10 * 1024 * 1024);
    }

    private static void Write(string path, int target)
    {
        if (File.Exists(path))
        {
            return;
        }

        var random = new Random(target);
        var text = string.Concat(Enumerable.Repeat("Hémoglobine : 13,5 g/dL (N). Leucocytes : 11,2 G/L (H). Compte rendu à revoir.\n", 200));
        var builder = new MessageBuilder
        {
            From = new MailboxAddress("Laboratoire de biologie", "labo-bio@ch-demo.mssante.fr"),
            Subject = "Résultats biologiques — patient test",
            TextBody = text,
            HtmlBody = "<html><body><p>" + text.Replace("\n", "<br>\n", StringComparison.Ordinal) + "</p></body></html>",
            Date = new DateTimeOffset(2025, 4, 1, 10, 0, 0, TimeSpan.FromHours(2)),
            MessageId = "bench-" + target + "@ch-demo.mssante.fr",
        };
        builder.To.Add(new MailboxAddress("Dr Jeanne Martin", "jeanne.martin@medecin.mssante.fr"));
        var remaining = target - 40_000;
        var index = 0;
        while (remaining > 0)
        {
            var size = Math.Min(remaining * 3 / 4, 1024 * 1024);
            var data = new byte[Math.Max(size, 1)];
            random.NextBytes(data);
            builder.Attachments.Add(new AttachmentContent($"compte-rendu-{index++}.pdf", "application/pdf", data));
            remaining -= data.Length * 4 / 3 + 200;
        }

        File.WriteAllBytes(path, MimeWriter.ToBytes(builder.Build()));
    }
}
