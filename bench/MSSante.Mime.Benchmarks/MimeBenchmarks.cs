using BenchmarkDotNet.Attributes;

namespace MSSante.Mime.Benchmarks;

/// <summary>
/// Parsing throughput and allocations on the corpus, a 1 MB and a 10 MB message. "Parse" builds
/// the tree and reads the headers a mailbox list shows; "ParseAndRead" also decodes every part
/// (transfer encoding and charset), the same work as python_bench.py asks of Python's email.
/// </summary>
[MemoryDiagnoser]
public class MimeBenchmarks
{
    private byte[][] _messages = [];

    [Params("corpus", "1MB", "10MB")]
    public string Dataset { get; set; } = "corpus";

    [GlobalSetup]
    public void Setup() => _messages = Datasets.Load(Dataset);

    [Benchmark]
    public int Parse()
    {
        var n = 0;
        foreach (var data in _messages)
        {
            var message = MimeMessage.Load(data);
            n += message.Subject?.Length ?? 0;
            n += message.From.Count;
            foreach (var entity in message.Body.DescendantsAndSelf())
            {
                n += entity.ContentType.MediaSubtype.Length;
            }
        }

        return n;
    }

    [Benchmark]
    public long ParseAndRead()
    {
        long n = 0;
        foreach (var data in _messages)
        {
            var message = MimeMessage.Load(data);
            n += message.Subject?.Length ?? 0;
            n += message.From.Count;
            foreach (var entity in message.Body.DescendantsAndSelf())
            {
                if (entity is MimePart part)
                {
                    n += part.GetContent().Length;
                    if (part.IsText)
                    {
                        n += part.GetText().Length;
                    }
                }
            }
        }

        return n;
    }
}
