namespace MSSante.Mime.Tests;

/// <summary>Locates the message corpus in the source tree (tests/MSSante.Mime.Tests/Corpus).</summary>
internal static class Corpus
{
    public static string Directory { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "MSSante.Mime.Tests", "Corpus");
            if (System.IO.Directory.Exists(candidate))
            {
                return candidate;
            }

            candidate = System.IO.Path.Combine(dir.FullName, "Corpus");
            if (System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "handwritten")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("Corpus directory not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Every message file, relative to the corpus directory, sorted.</summary>
    public static IReadOnlyList<string> Files { get; } = System.IO.Directory
        .EnumerateFiles(Directory, "*.eml", SearchOption.AllDirectories)
        .Where(f => !f.Contains("/tools/", StringComparison.Ordinal))
        .Select(f => System.IO.Path.GetRelativePath(Directory, f))
        .OrderBy(f => f, StringComparer.Ordinal)
        .ToList();

    public static IEnumerable<object[]> FileData => Files.Select(f => new object[] { f });

    public static string PathOf(string relative) => System.IO.Path.Combine(Directory, relative);

    public static byte[] Read(string relative) => File.ReadAllBytes(PathOf(relative));
}
