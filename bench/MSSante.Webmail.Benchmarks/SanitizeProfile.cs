using System.Diagnostics;
using AngleSharp.Html.Parser;
using MSSante.Benchmarks.Shared;
using MSSante.Infrastructure.HtmlSanitizing;
using MSSante.Mime;

namespace MSSante.Webmail.Benchmarks;

/// <summary>
/// Where the server time of (b) goes, without the network: the 100 KB message parsed by
/// MSSante.Mime, its HTML parsed by AngleSharp alone (the sanitiser's first step), the whole
/// sanitiser, the whole renderer (sanitiser + iframe document), and what reopening the message
/// costs besides its fetch when the document is cached (SHA-256 of the message + cache lookup),
/// as process CPU time medians.
/// </summary>
internal static class SanitizeProfile
{
    public static List<string> Run(int iterations)
    {
        var raw = BenchMessages.Html100K("charge.test@medecin.mssante.fr");
        var html = MimeMessage.Load(raw).HtmlBodyPart!.GetText();
        // The sanitiser's own parser settings (and, like it, the document is left to the GC).
        var parser = new HtmlParser(new HtmlParserOptions { IsScripting = false, IsKeepingSourceReferences = false, DisableElementPositionTracking = true });
        using var cache = new MessageDocumentCache(Microsoft.Extensions.Options.Options.Create(new MessageDocumentCacheOptions()));
        MessageHtmlView RenderFresh() => MessageHtmlRenderer.Render(MimeMessage.Load(raw), false)!;
        cache.GetOrRender(MessageDocumentKey.For("bench", "charge.test@medecin.mssante.fr", "Bench", 1, raw, false), RenderFresh);
        var steps = new (string Name, Action Work)[]
        {
            ("MIME parse of the message (MimeMessage.Load + HTML part text)", () => _ = MimeMessage.Load(raw).HtmlBodyPart!.GetText()),
            ("AngleSharp parse of the HTML alone", () => _ = parser.ParseDocument(html)),
            ("HtmlSanitizer.Sanitize (parse + allowlist walk + CSS)", () => _ = HtmlSanitizer.Instance.Sanitize(html)),
            ("MessageHtmlRenderer.Render (what the reading pane calls)", () => _ = MessageHtmlRenderer.Render(MimeMessage.Load(raw), false)),
            ("reopening: MessageDocumentKey.For (SHA-256 of the raw message) + MessageDocumentCache hit", () =>
                _ = cache.GetOrRender(MessageDocumentKey.For("bench", "charge.test@medecin.mssante.fr", "Bench", 1, raw, false), RenderFresh)),
        };
        var lines = new List<string>
        {
            $"Where the time of (b) goes (same message, in process, no network; {iterations} runs after 40 warm-ups, median process CPU time and wall time):",
            "",
            "| step | CPU median (ms) | wall median (ms) |",
            "|---|---:|---:|",
        };
        foreach (var (name, work) in steps)
        {
            // Enough runs for the JIT's optimising tier (30 calls, then a background compile).
            for (var i = 0; i < 40; i++)
            {
                work();
            }
            Thread.Sleep(300); // the background compile of the hot methods
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
