using System.Diagnostics;
using AngleSharp.Html.Parser;
using MSSante.Benchmarks.Shared;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Webmail.Benchmarks;

/// <summary>
/// Where the server time of (b) goes, without the network: the 100 KB message parsed by
/// MSSante.Mime, its HTML parsed by AngleSharp alone (the sanitiser's first step), the whole
/// sanitiser, and the whole renderer (sanitiser + iframe document), as process CPU time medians.
/// </summary>
internal static class SanitizeProfile
{
    public static List<string> Run(int iterations)
    {
        var raw = BenchMessages.Html100K("charge.test@medecin.mssante.fr");
        var html = MimeMessage.Load(raw).HtmlBodyPart!.GetText();
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, IsKeepingSourceReferences = false });
        var steps = new (string Name, Action Work)[]
        {
            ("MIME parse of the message (MimeMessage.Load + HTML part text)", () => _ = MimeMessage.Load(raw).HtmlBodyPart!.GetText()),
            ("AngleSharp parse of the HTML alone", () => { using var d = parser.ParseDocument(html); }),
            ("HtmlSanitizer.Sanitize (parse + allowlist walk + CSS)", () => _ = HtmlSanitizer.Instance.Sanitize(html)),
            ("MessageHtmlRenderer.Render (what the reading pane calls)", () => _ = MessageHtmlRenderer.Render(MimeMessage.Load(raw), false)),
        };
        var lines = new List<string>
        {
            $"Where the time of (b) goes (same message, in process, no network; {iterations} runs after 3 warm-ups, median process CPU time and wall time):",
            "",
            "| step | CPU median (ms) | wall median (ms) |",
            "|---|---:|---:|",
        };
        foreach (var (name, work) in steps)
        {
            for (var i = 0; i < 3; i++)
            {
                work();
            }
            var cpu = new List<double>();
            var wall = new List<double>();
            for (var i = 0; i < iterations; i++)
            {
                var c0 = ThreadCpu();
                var sw = Stopwatch.StartNew();
                work();
                wall.Add(sw.Elapsed.TotalSeconds);
                cpu.Add(ThreadCpu() - c0);
            }
            lines.Add($"| {name} | {Samples.Ms(Samples.Median(cpu))} | {Samples.Ms(Samples.Median(wall))} |");
        }
        lines.Add("");
        return lines;
    }

    // Process CPU time: nothing else of note runs in this process during the profile (the GC runs
    // on its own threads and is counted, which is fair).
    private static double ThreadCpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
}
