using System.Text;

namespace MSSante.Mime.Internal;

/// <summary>
/// The byte-level parser. Structure (header blocks, boundary delimiters) is found on bytes; the
/// tree refers to slices of the input, nothing is decoded until asked for. Every limit of
/// <see cref="MimeParserOptions"/> stops parsing of the offending piece with a warning.
/// </summary>
internal sealed class MimeParser
{
    // Recursion is bounded by MaxDepth; this cap keeps a careless option from exhausting the stack.
    private const int HardMaxDepth = 1024;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly MimeParserOptions _options;
    private readonly List<MimeWarning> _warnings;
    private readonly Counter _parts;
    private readonly int _maxDepth;

    public MimeParser(ReadOnlyMemory<byte> data, MimeParserOptions options, List<MimeWarning> warnings)
        : this(data, options, warnings, new Counter())
    {
    }

    private MimeParser(ReadOnlyMemory<byte> data, MimeParserOptions options, List<MimeWarning> warnings, Counter parts)
    {
        _data = data;
        _options = options;
        _warnings = warnings;
        _parts = parts;
        _maxDepth = Math.Clamp(options.MaxDepth, 0, HardMaxDepth);
    }

    private sealed class Counter
    {
        public int Value;
        public bool Warned;
    }

    public MimeMessage ParseRoot()
    {
        try
        {
            return ParseMessage(0, _data.Length, 0, string.Empty, allowMboxFrom: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A safety net only: the fuzz tests check this never happens.
            _warnings.Add(new MimeWarning(MimeWarningCode.ParserError, string.Empty, ex.GetType().Name + ": " + ex.Message));
            var empty = new MimePart(new HeaderList(), ContentType.TextPlain, _data) { Path = "1" };
            return new MimeMessage(empty, _warnings);
        }
    }

    private MimeMessage ParseMessage(int start, int end, int depth, string messagePath, bool allowMboxFrom)
    {
        var headers = ParseHeaders(start, end, out var bodyStart, messagePath, allowMboxFrom);
        var body = ParseEntity(headers, bodyStart, end, depth, messagePath, isMessageBody: true, defaultType: null);
        return new MimeMessage(body, _warnings);
    }

    private HeaderList ParseHeaders(int start, int end, out int bodyStart, string path, bool allowMboxFrom)
    {
        var span = _data.Span;
        var list = new List<Header>();
        var pos = start;
        if (allowMboxFrom && span[pos..end].StartsWith("From "u8))
        {
            // An mbox "From " envelope line before the headers is not a header.
            var lf = Bytes.LineEnd(span, pos, end);
            pos = lf < end ? lf + 1 : end;
        }

        int nameStart = -1, nameEnd = 0, valueEnd = 0;
        var countWarned = false;
        while (true)
        {
            if (pos >= end)
            {
                Finish();
                bodyStart = end;
                break;
            }

            var lf = Bytes.LineEnd(span, pos, end);
            var lineEnd = lf > pos && span[lf - 1] == '\r' ? lf - 1 : lf;
            var next = lf < end ? lf + 1 : end;
            if (lineEnd == pos)
            {
                Finish();
                bodyStart = next;
                break;
            }

            var first = span[pos];
            if (first is (byte)' ' or (byte)'\t')
            {
                // RFC 5322 §2.2.3 folding; a continuation before any field is dropped.
                if (nameStart >= 0)
                {
                    valueEnd = lineEnd;
                }

                pos = next;
                continue;
            }

            var colon = -1;
            for (var j = pos; j < lineEnd; j++)
            {
                var b = span[j];
                if (b == ':')
                {
                    colon = j;
                    break;
                }

                if (b < 33 || b > 126)
                {
                    break;
                }
            }

            if (colon <= pos)
            {
                Finish();
                _warnings.Add(new MimeWarning(MimeWarningCode.MissingHeaderBodySeparator, path, "a header line without colon starts the body"));
                bodyStart = pos;
                break;
            }

            Finish();
            nameStart = pos;
            nameEnd = colon;
            valueEnd = lineEnd;
            pos = next;
        }

        return new HeaderList(list);

        void Finish()
        {
            if (nameStart < 0)
            {
                return;
            }

            var s = nameStart;
            nameStart = -1;
            if (list.Count >= _options.MaxHeaderCount)
            {
                if (!countWarned)
                {
                    countWarned = true;
                    _warnings.Add(new MimeWarning(MimeWarningCode.HeaderCountLimit, path, $"more than {_options.MaxHeaderCount} header fields, the rest ignored"));
                }

                return;
            }

            var valueStart = nameEnd + 1;
            var length = valueEnd - valueStart;
            var name = Encoding.ASCII.GetString(_data.Span[s..nameEnd]);
            if (length > _options.MaxHeaderLength)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.HeaderLengthLimit, path, $"header {name} longer than {_options.MaxHeaderLength} bytes, cut"));
                length = _options.MaxHeaderLength;
            }

            list.Add(new Header(name, _data.Slice(valueStart, length)));
        }
    }

    private MimeEntity ParseEntity(HeaderList headers, int bodyStart, int end, int depth, string path, bool isMessageBody, ContentType? defaultType)
    {
        var ctHeader = headers.Get("Content-Type");
        var contentType = ctHeader is null ? (defaultType ?? ContentType.TextPlain) : ContentType.Parse(ctHeader.UnfoldedValue, defaultType);
        var leafPath = isMessageBody ? (path.Length == 0 ? "1" : path + ".1") : path;
        if (contentType.MediaType == "multipart")
        {
            if (depth >= _maxDepth)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.DepthLimit, leafPath, $"nesting deeper than {_maxDepth}, kept as an opaque part"));
            }
            else if (string.IsNullOrEmpty(contentType.Boundary))
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.MissingBoundary, leafPath, "multipart without boundary parameter, kept as an opaque part"));
            }
            else
            {
                return ParseMultipart(headers, contentType, bodyStart, end, depth, path);
            }
        }
        else if (contentType.MediaType == "message" && contentType.MediaSubtype is "rfc822" or "global")
        {
            if (depth >= _maxDepth)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.DepthLimit, leafPath, $"nesting deeper than {_maxDepth}, kept as an opaque part"));
            }
            else
            {
                return ParseEncapsulated(headers, contentType, bodyStart, end, depth, leafPath);
            }
        }

        CheckLineLength(bodyStart, end, leafPath);
        return new MimePart(headers, contentType, _data[bodyStart..end]) { Path = leafPath };
    }

    private MessagePart ParseEncapsulated(HeaderList headers, ContentType contentType, int bodyStart, int end, int depth, string path)
    {
        var cte = headers.Get("Content-Transfer-Encoding")?.UnfoldedValue.Trim().ToLowerInvariant();
        MimeMessage inner;
        if (cte is "base64" or "quoted-printable")
        {
            // RFC 2046 §5.2.1 forbids encoding message/rfc822, but some clients do it anyway.
            var decoded = TransferEncoding.Decode(_data.Span[bodyStart..end], cte, out _);
            inner = new MimeParser(decoded, _options, _warnings, _parts).ParseMessage(0, decoded.Length, depth + 1, path, allowMboxFrom: false);
        }
        else
        {
            inner = ParseMessage(bodyStart, end, depth + 1, path, allowMboxFrom: false);
        }

        return new MessagePart(headers, contentType, inner, _data[bodyStart..end]) { Path = path };
    }

    private Multipart ParseMultipart(HeaderList headers, ContentType contentType, int bodyStart, int end, int depth, string path)
    {
        var span = _data.Span;
        var delimiter = Encoding.UTF8.GetBytes("--" + contentType.Boundary);
        var pos = bodyStart;
        // (start of the delimiter line, end of the content before it, start of the line after it)
        var delimiters = new List<(int At, int ContentEnd, int Next)>();
        var closed = false;
        while (pos < end)
        {
            var idx = span[pos..end].IndexOf(delimiter);
            if (idx < 0)
            {
                break;
            }

            var at = pos + idx;
            if (at != bodyStart && span[at - 1] != '\n')
            {
                pos = at + 1;
                continue;
            }

            var k = at + delimiter.Length;
            var isClose = k + 1 < end && span[k] == '-' && span[k + 1] == '-';
            if (isClose)
            {
                k += 2;
            }

            // RFC 2046 §5.1.1: only linear whitespace may follow the boundary on its line.
            while (k < end && Bytes.IsWsp(span[k]))
            {
                k++;
            }

            if (k < end && span[k] != '\r' && span[k] != '\n')
            {
                pos = at + 1;
                continue;
            }

            var contentEnd = at;
            if (at > bodyStart)
            {
                // The line break before the delimiter belongs to the delimiter.
                contentEnd = at - 1;
                if (contentEnd > bodyStart && span[contentEnd - 1] == '\r')
                {
                    contentEnd--;
                }
            }

            var lf = Bytes.LineEnd(span, k, end);
            var next = lf < end ? lf + 1 : end;
            delimiters.Add((at, contentEnd, next));
            if (isClose)
            {
                closed = true;
                break;
            }

            pos = next;
        }

        var children = new List<MimeEntity>();
        var childDefault = contentType.MediaSubtype == "digest" ? new ContentType("message", "rfc822") : null;
        var partCount = closed ? delimiters.Count - 1 : delimiters.Count;
        var epilogueStart = closed ? delimiters[^1].Next : end;
        for (var i = 0; i < partCount; i++)
        {
            var partStart = delimiters[i].Next;
            var partEnd = i + 1 < delimiters.Count ? delimiters[i + 1].ContentEnd : end;
            partEnd = Math.Max(partStart, partEnd);
            if (++_parts.Value > _options.MaxParts)
            {
                if (!_parts.Warned)
                {
                    _parts.Warned = true;
                    _warnings.Add(new MimeWarning(MimeWarningCode.PartCountLimit, path, $"more than {_options.MaxParts} parts, the rest ignored"));
                }

                epilogueStart = delimiters[i].At;
                break;
            }

            var childPath = path.Length == 0 ? (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) : path + "." + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var childHeaders = ParseHeaders(partStart, partEnd, out var childBody, childPath, allowMboxFrom: false);
            children.Add(ParseEntity(childHeaders, childBody, partEnd, depth + 1, childPath, isMessageBody: false, childDefault));
        }

        var leafPath = path.Length == 0 ? "1" : path;
        if (delimiters.Count == 0)
        {
            _warnings.Add(new MimeWarning(MimeWarningCode.MissingBoundary, leafPath, "no boundary delimiter found in the multipart"));
        }
        else if (!closed)
        {
            _warnings.Add(new MimeWarning(MimeWarningCode.MissingFinalBoundary, leafPath, "multipart without closing delimiter"));
        }

        var preambleEnd = delimiters.Count > 0 ? delimiters[0].ContentEnd : end;
        var preamble = _data[bodyStart..Math.Max(bodyStart, preambleEnd)];
        var epilogue = _data[Math.Min(epilogueStart, end)..end];
        return new Multipart(headers, contentType, children, preamble, epilogue) { Path = path, HasClosingDelimiter = closed };
    }

    private void CheckLineLength(int start, int end, string path)
    {
        var max = _options.MaxLineLength;
        if (end - start <= max)
        {
            return;
        }

        var span = _data.Span;
        var pos = start;
        while (pos < end)
        {
            var i = span[pos..end].IndexOf((byte)'\n');
            var lineLength = i < 0 ? end - pos : i;
            if (lineLength > max)
            {
                _warnings.Add(new MimeWarning(MimeWarningCode.LineTooLong, path, $"a line longer than {max} bytes"));
                return;
            }

            if (i < 0)
            {
                return;
            }

            pos += i + 1;
        }
    }
}
