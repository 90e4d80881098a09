using FsCheck;
using FsCheck.Fluent;

namespace MSSante.Mime.Tests;

public sealed class PropertyTests
{
    [Fact]
    public void Base64RoundTripsAndIgnoresInsertedWhitespace()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ArbMap.Default.ArbFor<int>(), (byte[] data, int seed) =>
        {
            var encoded = TransferEncoding.EncodeBase64(data).ToList();
            var random = new Random(seed);
            for (var k = 0; k < encoded.Count / 10; k++)
            {
                encoded.Insert(random.Next(encoded.Count + 1), (byte)" \t\r\n"[random.Next(4)]);
            }

            return TransferEncoding.DecodeBase64(encoded.ToArray(), out _).AsSpan().SequenceEqual(data);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void QuotedPrintableRoundTripsAnyText()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<string>(), (string text) =>
        {
            var canonical = (text ?? string.Empty).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", "\r\n", StringComparison.Ordinal);
            var bytes = System.Text.Encoding.UTF8.GetBytes(canonical);
            var encoded = TransferEncoding.EncodeQuotedPrintable(bytes);
            return System.Text.Ascii.IsValid(encoded) && TransferEncoding.DecodeQuotedPrintable(encoded, out _).AsSpan().SequenceEqual(bytes);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public void BuiltSubjectsAndNamesSurviveAnyUnicode()
    {
        var property = Prop.ForAll(ArbMap.Default.ArbFor<NonEmptyString>(), (NonEmptyString s) =>
        {
            var text = new string(s.Get.Where(c => !char.IsControl(c) && !char.IsSurrogate(c)).ToArray()).Trim();
            if (text.Length == 0)
            {
                return true;
            }

            var builder = new MessageBuilder { From = new MailboxAddress(text, "a@b.example"), Subject = text, TextBody = text };
            var parsed = MimeMessage.Load(MimeWriter.ToBytes(builder.Build()));
            // A name written as a quoted string or encoded word keeps its inner runs of spaces
            // (RFC 5322 §3.2.4); one written as bare atoms comes back with runs folded to one.
            var collapsed = System.Text.RegularExpressions.Regex.Replace(text, "\\s+", " ");
            var name = parsed.From.Mailboxes().Single().DisplayName;
            return parsed.Subject == text && (name == text || name == collapsed) && parsed.GetTextBody() == text;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true), property);
    }

    [Fact]
    public async Task ReadingATenMegabyteMessageAllocatesLessThanThreeTimesItsSize()
    {
        var builder = new MessageBuilder { From = new MailboxAddress(null, "labo@ch-demo.mssante.fr"), TextBody = "Compte rendu.", HtmlBody = "<p>Compte rendu.</p>" };
        var random = new Random(10);
        for (var i = 0; i < 8; i++)
        {
            var data = new byte[900 * 1024];
            random.NextBytes(data);
            builder.Attachments.Add(new AttachmentContent($"cr-{i}.pdf", "application/pdf", data));
        }

        var bytes = MimeWriter.ToBytes(builder.Build());
        Assert.True(bytes.Length > 9_000_000);
        using var stream = new MemoryStream(bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();
        // A MemoryStream completes synchronously, so the whole read stays on this thread.
        var message = await MimeMessage.LoadAsync(stream);
        long decoded = 0;
        foreach (var part in message.Body.DescendantsAndSelf().OfType<MimePart>())
        {
            decoded += part.GetContent().Length;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(decoded > 7_000_000);
        Assert.True(allocated < 3L * bytes.Length, $"{allocated} bytes allocated for a {bytes.Length}-byte message");
    }
}
