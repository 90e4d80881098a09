using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MSSante.Mime.Tests;

/// <summary>Runs Python 3's email package (policy=default) once over the whole corpus.</summary>
public sealed class PythonReference
{
    public PythonReference()
    {
        var script = Path.Combine(Corpus.Directory, "tools", "pyinspect.py");
        var psi = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Corpus.Directory };
        psi.ArgumentList.Add(script);
        foreach (var f in Corpus.Files)
        {
            psi.ArgumentList.Add(f);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException("pyinspect.py failed: " + stderr.Result);
        }

        Results = JsonNode.Parse(stdout)!.AsObject();
    }

    public JsonObject Results { get; }
}

/// <summary>
/// The differential test: for every corpus message, our subject, addresses, part structure,
/// file names and decoded text must equal what Python's email package finds, unless the
/// disagreement is listed in <see cref="Deliberate"/> with its reason.
/// </summary>
public sealed class DifferentialTests(PythonReference python) : IClassFixture<PythonReference>
{
    /// <summary>(file, field) disagreements we keep on purpose, and why.</summary>
    private static readonly Dictionary<(string File, string Field), string> Deliberate = new()
    {
        [("handwritten/cte-qp-soft-breaks-and-lowercase-hex.eml", "text")] =
            "RFC 2045 §6.7 rule 3: literal trailing whitespace on a quoted-printable line was added in transport and must be deleted when decoding; Python keeps it.",
        [("handwritten/charset-unknown-name.eml", "text")] =
            "Unknown charset: we fall back visibly (valid UTF-8, else windows-1252) with an UnknownCharset warning; Python's get_content raises LookupError.",
        [("handwritten/header-encoded-word-unknown-charset.eml", "subject")] =
            "Unknown charset in an encoded word: same fallback as bodies (UTF-8 else windows-1252); Python shows U+FFFD.",
        [("handwritten/charset-lying-utf8-is-latin1.eml", "text")] =
            "Text labelled UTF-8 but written in Latin-1 (the Mac/PC garbling practitioners complain of): we read it as windows-1252 with a warning; Python shows U+FFFD for every accent.",
        [("handwritten/charset-us-ascii-with-8bit.eml", "text")] =
            "Labelled us-ascii but holding UTF-8: we decode the UTF-8 (with a warning); Python shows U+FFFD.",
        [("handwritten/charset-windows-1252-declared-latin1.eml", "text")] =
            "iso-8859-1 is read as windows-1252, as every browser does (WHATWG Encoding Standard): bytes 0x80-0x9F are curly quotes and the euro sign, not C1 controls as in Python.",
        [("handwritten/header-raw-latin1-8bit.eml", "subject")] =
            "Raw 8-bit header that is not UTF-8 (RFC 6532 allows only UTF-8): we read it as windows-1252; Python shows U+FFFD.",
        [("handwritten/report-mdn-processed.eml", "parts")] =
            "message/disposition-notification (RFC 8098 §3.1) holds fields, not a message: it is one leaf part, as in IMAP BODYSTRUCTURE; Python parses it as an encapsulated message.",
        [("handwritten/report-mdn-error.eml", "parts")] =
            "message/disposition-notification is one leaf part (RFC 8098 §3.1, IMAP numbering); Python parses it as an encapsulated message.",
        [("handwritten/report-dsn-failed.eml", "parts")] =
            "message/delivery-status (RFC 3464 §2.1) is one leaf part, as in IMAP BODYSTRUCTURE; Python splits its field blocks into text/plain sub-parts.",
        [("handwritten/report-dsn-failed.eml", "from")] =
            "A comment after a bare address (\"addr (Mail Delivery System)\") is shown as the display name, as mail clients do; Python drops it.",
        [("handwritten/address-comment-and-bare.eml", "from")] =
            "A comment after a bare address is shown as the display name, as mail clients do; Python drops it.",
        [("handwritten/address-encoded-display-name.eml", "to")] =
            "RFC 2047 §6.2: whitespace between adjacent encoded words is not displayed; Python keeps it, giving a double space.",
        [("handwritten/filename-both-prefers-rfc2231.eml", "parts")] =
            "When both filename and filename* are present, the RFC 2231 form wins (RFC 6266 §4.3); Python returns the plain one.",
        [("handwritten/multipart-boundary-never-found.eml", "parts")] =
            "A multipart whose boundary never appears stays a multipart with no children (MissingBoundary warning), so no numbered part exists; Python turns it into a leaf numbered 1.",
        [("operator/postfix-dsn-success-1.eml", "parts")] = PostfixDeliveryStatus,
        [("operator/postfix-dsn-success-2.eml", "parts")] = PostfixDeliveryStatus,
        [("operator/postfix-bounce-1.eml", "parts")] = PostfixDeliveryStatus,
        [("python/legacy-003.eml", "subject")] = LegacyFoldedSubject,
        [("python/legacy-013.eml", "subject")] = LegacyFoldedSubject,
        [("python/legacy-023.eml", "subject")] = LegacyFoldedSubject,
        [("python/legacy-033.eml", "subject")] = LegacyFoldedSubject,
    };

    private const string PostfixDeliveryStatus =
        "Postfix's message/delivery-status (RFC 3464 §2.1) is one leaf part, as in IMAP BODYSTRUCTURE; Python splits its field blocks into text/plain sub-parts.";

    private const string LegacyFoldedSubject =
        "Python's legacy Header.encode() folds the long subject right after the colon; reading it back, Python keeps the leading space. RFC 5322 §2.2.3 unfolding plus the usual trim gives the subject without it.";

    [Theory]
    [MemberData(nameof(Corpus.FileData), MemberType = typeof(Corpus))]
    public void AgreesWithPythonEmail(string file)
    {
        var expected = python.Results[file]?.AsObject() ?? throw new InvalidOperationException("no Python result for " + file);
        Assert.False(expected.ContainsKey("error"), "Python failed on " + file + ": " + expected["error"]);
        var message = MimeMessage.Load(Corpus.Read(file));
        var ours = JsonNode.Parse(MimeInspector.ToJson(message))!.AsObject();
        var disagreements = new List<string>();
        Compare("subject", ours["subject"], expected["subject"]);
        foreach (var field in new[] { "from", "to", "cc", "replyTo" })
        {
            Compare(field, ours[field], expected[field]);
        }

        var ourParts = new JsonArray(ours["parts"]!.AsArray().Select(p => (JsonNode?)new JsonObject
        {
            ["path"] = p!["path"]!.GetValue<string>(),
            ["contentType"] = p["contentType"]!.GetValue<string>(),
            ["filename"] = p["filename"]?.GetValue<string>(),
        }).ToArray());
        Compare("parts", ourParts, expected["parts"]);
        Compare("text", message.TextBodyPart is null ? null : ours["text"], expected["text"]);
        Compare("html", ours["html"], expected["html"]);
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));

        void Compare(string field, JsonNode? actual, JsonNode? reference)
        {
            var a = actual?.ToJsonString() ?? "null";
            var r = reference?.ToJsonString() ?? "null";
            if (a == r)
            {
                Assert.False(Deliberate.ContainsKey((file, field)), $"{file} {field}: listed as a deliberate difference but now agrees; remove it from the list");
                return;
            }

            if (!Deliberate.ContainsKey((file, field)))
            {
                disagreements.Add($"{file} {field}:\n  ours:   {Trim(a)}\n  python: {Trim(r)}");
            }
        }
    }

    private static string Trim(string s) => s.Length > 400 ? s[..400] + "..." : s;
}
