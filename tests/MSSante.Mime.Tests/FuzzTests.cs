using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace MSSante.Mime.Tests;

/// <summary>
/// Hostile input: random mutations of corpus messages (FsCheck and a seeded loop) and
/// pathological messages. Nothing may throw out of the public API, hang, or use memory out of
/// proportion to the input. Time limits here only detect hangs; speed is measured in bench/.
/// </summary>
public sealed class FuzzTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>Exercises every reading path a user can reach; returns the parsed message.</summary>
    internal static MimeMessage Exercise(byte[] data)
    {
        var message = MimeMessage.Load(data);
        _ = MimeInspector.ToJson(message);
        _ = message.Attachments.Select(a => a.DecodedSize).ToList();
        _ = message.GetDispositionNotification();
        _ = message.GetDeliveryStatus();
        _ = message.Date;
        _ = message.References;
        _ = message.ResolveCid("cid:x");
        _ = MimeMessage.Load(MimeWriter.ToBytes(message));
        Assert.DoesNotContain(message.Warnings, w => w.Code == MimeWarningCode.ParserError);
        return message;
    }

    private static void Bounded(Action action)
    {
        var task = Task.Run(action);
        Assert.True(task.Wait(HangGuard), "did not finish: the parser hangs on this input");
    }

    internal enum Op { Truncate, Flip, Insert, Delete, Duplicate, DamageBoundary, InsertSpecial }

    internal sealed record Mutation(int File, Op Op, int Position, int Length, byte Value);

    internal static byte[] Apply(byte[] data, Mutation m)
    {
        if (data.Length == 0)
        {
            return data;
        }

        var pos = m.Position % data.Length;
        var list = new List<byte>(data);
        switch (m.Op)
        {
            case Op.Truncate:
                return data[..pos];
            case Op.Flip:
                for (var k = 0; k < Math.Max(1, m.Length % 16); k++)
                {
                    list[(pos + k * 7919) % list.Count] ^= (byte)(m.Value | 1);
                }

                break;
            case Op.Insert:
                list.InsertRange(pos, Enumerable.Repeat(m.Value, m.Length % 64 + 1));
                break;
            case Op.Delete:
                list.RemoveRange(pos, Math.Min(m.Length % 256 + 1, list.Count - pos));
                break;
            case Op.Duplicate:
                var len = Math.Min(m.Length % 512 + 1, list.Count - pos);
                list.InsertRange(pos, list.GetRange(pos, len));
                break;
            case Op.DamageBoundary:
                var text = data.AsSpan();
                var idx = text[pos..].IndexOf("\n--"u8);
                if (idx >= 0 && pos + idx + 3 < list.Count)
                {
                    list[pos + idx + 3] = m.Value;
                }

                break;
            case Op.InsertSpecial:
                string[] specials = ["\r", "\n", "\r\n\r\n", "=?utf-8?q?", "?=", "--", ";", "\"", "<", ":", "\0", "=", "*0*="];
                list.InsertRange(pos, Encoding.ASCII.GetBytes(specials[m.Value % specials.Length]));
                break;
        }

        return [.. list];
    }

    [Fact]
    public void RandomMutationsOfCorpusMessagesNeverBreakTheParser()
    {
        var files = Corpus.Files.Select(Corpus.Read).ToArray();
        var gen =
            from file in Gen.Choose(0, files.Length - 1)
            from op in Gen.Elements(Enum.GetValues<Op>())
            from position in Gen.Choose(0, int.MaxValue - 1)
            from length in Gen.Choose(0, 4096)
            from value in Gen.Choose(0, 255)
            select new Mutation(file, op, position, length, (byte)value);
        var property = Prop.ForAll(gen.ToArbitrary(), (Mutation m) =>
        {
            Exercise(Apply(files[m.File], m));
            return true;
        });
        Bounded(() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(400).WithQuietOnSuccess(true), property));
    }

    [Fact]
    public void SeededMutationLoopOverTheWholeCorpus()
    {
        var random = new Random(20250401);
        Bounded(() =>
        {
            foreach (var file in Corpus.Files)
            {
                var data = Corpus.Read(file);
                for (var round = 0; round < 4; round++)
                {
                    var mutated = data;
                    for (var k = 0; k <= round; k++)
                    {
                        var m = new Mutation(0, (Op)random.Next(7), random.Next(), random.Next(4096), (byte)random.Next(256));
                        mutated = Apply(mutated, m);
                    }

                    Exercise(mutated);
                }
            }
        });
    }

    [Theory]
    [InlineData("multipart")]
    [InlineData("message")]
    public void ThousandDeepNestingStopsAtTheDepthLimit(string kind)
    {
        var sb = new StringBuilder("From: a@b.example\r\nSubject: profond\r\n");
        for (var i = 0; i < 1000; i++)
        {
            sb.Append(kind == "multipart" ? $"Content-Type: multipart/mixed; boundary=b{i}\r\n\r\n--b{i}\r\n" : "Content-Type: message/rfc822\r\n\r\nSubject: niveau\r\n");
        }

        sb.Append("Content-Type: text/plain\r\n\r\nFond.\r\n");
        for (var i = 999; i >= 0 && kind == "multipart"; i--)
        {
            sb.Append($"--b{i}--\r\n");
        }

        var data = Encoding.ASCII.GetBytes(sb.ToString());
        Bounded(() =>
        {
            var message = Exercise(data);
            Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.DepthLimit);
            var depth = message.Body.DescendantsAndSelf().Max(e => Depth(e));
            Assert.True(depth <= MimeParserOptions.Default.MaxDepth + 1, "depth " + depth);
            Assert.True(AllocatedBy(() => MimeMessage.Load(data)) < 40 * data.Length, "allocation out of proportion");
        });
    }

    private static int Depth(MimeEntity e)
    {
        var d = 0;
        for (var p = e.Parent; p is not null; p = p.Parent)
        {
            d++;
        }

        return d;
    }

    private static long AllocatedBy(Action action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        action();
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    [Fact]
    public void HundredThousandHeadersAreCutAtTheLimit()
    {
        var sb = new StringBuilder();
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("X-Champ-").Append(i).Append(": valeur\r\n");
        }

        sb.Append("Subject: trop\r\n\r\nCorps.\r\n");
        var data = Encoding.ASCII.GetBytes(sb.ToString());
        Bounded(() =>
        {
            var message = Exercise(data);
            Assert.Equal(MimeParserOptions.Default.MaxHeaderCount, message.Headers.Count);
            Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.HeaderCountLimit);
            Assert.Equal("Corps.\r\n", message.GetTextBody());
            Assert.True(AllocatedBy(() => MimeMessage.Load(data)) < data.Length, "allocation out of proportion");
        });
    }

    [Fact]
    public void FiftyMegabyteLinesCostNoCopy()
    {
        const int Size = 50 * 1024 * 1024;
        var data = new byte[Size + 200];
        var head = "Subject: "u8;
        head.CopyTo(data);
        data.AsSpan(head.Length, Size / 2).Fill((byte)'s');
        var pos = head.Length + Size / 2;
        var middle = "\r\nContent-Type: text/plain\r\n\r\n"u8;
        middle.CopyTo(data.AsSpan(pos));
        pos += middle.Length;
        data.AsSpan(pos, Size / 2).Fill((byte)'b');
        pos += Size / 2;
        var input = data[..pos];
        Bounded(() =>
        {
            var allocated = AllocatedBy(() =>
            {
                var message = MimeMessage.Load(input);
                Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.HeaderLengthLimit);
                Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.LineTooLong);
                Assert.Equal(MimeParserOptions.Default.MaxHeaderLength - 1, message.Subject!.Length); // the space after the colon is cut too
            });
            Assert.True(allocated < 1024 * 1024, $"parsing a 50 MB message allocated {allocated} bytes");
        });
    }

    [Fact]
    public void HundredThousandPartsAreCutAtTheLimit()
    {
        var sb = new StringBuilder("Content-Type: multipart/mixed; boundary=p\r\n\r\n");
        for (var i = 0; i < 100_000; i++)
        {
            sb.Append("--p\r\n\r\nx\r\n");
        }

        sb.Append("--p--\r\n");
        var data = Encoding.ASCII.GetBytes(sb.ToString());
        Bounded(() =>
        {
            var message = MimeMessage.Load(data);
            Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.PartCountLimit);
            Assert.Equal(MimeParserOptions.Default.MaxParts, ((Multipart)message.Body).Children.Count);
        });
    }

    [Fact]
    public async Task OversizedStreamIsCutAndFlagged()
    {
        var data = Encoding.ASCII.GetBytes("Subject: gros\r\n\r\n" + new string('x', 10_000));
        var options = new MimeParserOptions { MaxMessageSize = 1000 };
        using var stream = new MemoryStream(data);
        var message = await MimeMessage.LoadAsync(stream, options);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.Truncated);
        Assert.Equal(1000 - "Subject: gros\r\n\r\n".Length, ((MimePart)message.Body).RawContent.Length);
        Assert.Equal("gros", message.Subject);
    }

    [Fact]
    public async Task FailingStreamGivesWhatWasReadFlagged()
    {
        await using var stream = new FailingStream(Encoding.ASCII.GetBytes("Subject: coupe\r\n\r\ndebut"));
        var message = await MimeMessage.LoadAsync(stream);
        Assert.Equal("coupe", message.Subject);
        Assert.Contains(message.Warnings, w => w.Code == MimeWarningCode.ReadError);
    }

    [Theory]
    [InlineData("<a href=\"")]
    [InlineData("<a ")]
    [InlineData("<a href='x'>lien</a>")]
    [InlineData("=?utf-8?q?")]
    [InlineData("=?")]
    public void RepeatedBrokenMarkupStaysLinear(string unit)
    {
        var big = string.Concat(Enumerable.Repeat(unit, 50_000));
        Bounded(() =>
        {
            _ = HtmlToText.Convert(big);
            _ = EncodedWords.Decode(big);
            _ = AddressParser.Parse(big);
            _ = ContentType.Parse("text/plain; " + big);
        });
    }

    private sealed class FailingStream(byte[] prefix) : MemoryStream(prefix)
    {
        private bool _failed;

        public override bool CanSeek => false;

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= Length && !_failed)
            {
                _failed = true;
                throw new IOException("connection reset");
            }

            return base.ReadAsync(buffer, cancellationToken);
        }
    }
}
