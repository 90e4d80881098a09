using MSSante.Mime;

namespace MSSante.Infrastructure.Tests.HtmlSanitizing;

/// <summary>The hostile corpus shared with the browser test (tests/MSSante.IntegrationTests/Xss/Corpus).</summary>
internal static class HostileCorpus
{
    /// <summary>Every URL a hostile message may load or call points at this origin.</summary>
    public const string SentinelOrigin = "127.0.0.1:17790";

    public static string Directory
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException("MSSanteWebmail.sln not found above " + AppContext.BaseDirectory);
            }

            return Path.Combine(dir.FullName, "tests", "MSSante.IntegrationTests", "Xss", "Corpus");
        }
    }

    public static IEnumerable<string> Names =>
        System.IO.Directory.EnumerateFiles(Directory, "*.eml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var name in Names)
        {
            data.Add(name);
        }

        return data;
    }

    public static MimeMessage Load(string name) => MimeMessage.Load(File.ReadAllBytes(Path.Combine(Directory, name + ".eml")));

    public static string Html(string name) =>
        Load(name).GetHtmlBody() ?? throw new InvalidOperationException(name + " has no HTML body");
}
