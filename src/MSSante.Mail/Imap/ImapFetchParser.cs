using System.Globalization;
using System.Text;

namespace MSSante.Mail.Imap;

/// <summary>
/// Parses FETCH data (RFC 9051 §7.5.2): ENVELOPE, BODYSTRUCTURE, FLAGS, body sections. Lenient
/// where real servers deviate (NIL for required strings, missing extension data, unknown items
/// such as Gmail's X-GM-*), strict on structure (unbalanced lists, truncated literals throw).
/// </summary>
internal static class ImapFetchParser
{
    private static readonly string[] DateFormats =
    [
        "d-MMM-yyyy HH:mm:ss zzz",
        "dd-MMM-yyyy HH:mm:ss zzz",
    ];

    public static ImapMessage ParseFetch(ImapTokenizer t, uint sequenceNumber)
    {
        var msg = new ImapMessage { SequenceNumber = sequenceNumber };
        t.Expect((byte)'(');
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated FETCH");
            }
            var name = t.ReadFetchAttributeName();
            var upper = name.ToUpperInvariant();
            switch (upper)
            {
                case "UID":
                    msg.Uid = t.ReadNumber();
                    break;
                case "FLAGS":
                    msg.Flags = t.ReadAtomList();
                    break;
                case "INTERNALDATE":
                    msg.InternalDate = ParseInternalDate(t.ReadNString());
                    break;
                case "RFC822.SIZE":
                    msg.Size = (long)t.ReadNumber64();
                    break;
                case "ENVELOPE":
                    msg.Envelope = ParseEnvelope(t);
                    break;
                case "BODYSTRUCTURE":
                case "BODY" when t.Peek() == (byte)' ' || t.Peek() == (byte)'(':
                    msg.BodyStructure = ParseBody(t, string.Empty, true);
                    break;
                case "MODSEQ":
                    t.Expect((byte)'(');
                    msg.ModSeq = t.ReadNumber64();
                    t.Expect((byte)')');
                    break;
                case "PREVIEW":
                    msg.Preview = t.ReadNString();
                    break;
                case "X-GM-LABELS":
                    msg.GmailLabels = t.ReadAtomList();
                    break;
                case "RFC822":
                case "RFC822.HEADER":
                case "RFC822.TEXT":
                    {
                        var bytes = t.ReadStringBytes(out var nil);
                        msg.AddSection(upper == "RFC822" ? string.Empty : upper == "RFC822.HEADER" ? "HEADER" : "TEXT", nil ? [] : bytes.ToArray());
                        break;
                    }
                default:
                    if (upper.StartsWith("BODY[", StringComparison.Ordinal) || upper.StartsWith("BINARY[", StringComparison.Ordinal))
                    {
                        var open = name.IndexOf('[', StringComparison.Ordinal);
                        var close = name.LastIndexOf(']');
                        var section = name[(open + 1)..close];
                        var bytes = t.ReadStringBytes(out var nil);
                        msg.AddSection(section, nil ? [] : bytes.ToArray());
                    }
                    else
                    {
                        t.SkipValue();
                    }
                    break;
            }
        }
        return msg;
    }

    public static DateTimeOffset? ParseInternalDate(string? s)
    {
        if (s is null)
        {
            return null;
        }
        return DateTimeOffset.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var d)
            ? d
            : null;
    }

    public static ImapEnvelope? ParseEnvelope(ImapTokenizer t)
    {
        if (t.IsNil())
        {
            return null;
        }
        t.Expect((byte)'(');
        var date = t.ReadNString();
        var subject = t.ReadNString();
        var from = ParseAddresses(t);
        var sender = ParseAddresses(t);
        var replyTo = ParseAddresses(t);
        var to = ParseAddresses(t);
        var cc = ParseAddresses(t);
        var bcc = ParseAddresses(t);
        var inReplyTo = t.ReadNString();
        var messageId = t.ReadNString();
        // Tolerate extra trailing items some servers add.
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated ENVELOPE");
            }
            t.SkipValue();
        }
        return new ImapEnvelope(date, DecodeText(subject), from, sender, replyTo, to, cc, bcc, inReplyTo, messageId) { RawSubject = subject };
    }

    private static IReadOnlyList<ImapAddress> ParseAddresses(ImapTokenizer t)
    {
        if (t.IsNil())
        {
            return [];
        }
        t.Expect((byte)'(');
        var list = new List<ImapAddress>(1);
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated address list");
            }
            t.Expect((byte)'(');
            var name = t.ReadNString();
            t.ReadNString(); // source route (obsolete)
            var mailbox = t.ReadNString();
            var host = t.ReadNString();
            t.Expect((byte)')');
            list.Add(new ImapAddress(DecodeText(name), mailbox, host) { RawName = name });
        }
        return list;
    }

    /// <summary>
    /// RFC 2047 §6.2 decoding of ENVELOPE text (the server passes the header's text through,
    /// RFC 9051 §7.5.2): adjacent words joined, any charset System.Text.Encoding knows, malformed
    /// words kept as sent. Folding whitespace left by the server is unfolded (RFC 5322 §2.2.3).
    /// </summary>
    internal static string? DecodeText(string? raw)
    {
        if (raw is null)
        {
            return null;
        }
        if (raw.Contains('\r') || raw.Contains('\n'))
        {
            raw = raw.Replace("\r\n", string.Empty, StringComparison.Ordinal).Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        }
        return raw.Contains("=?", StringComparison.Ordinal) ? MSSante.Mime.EncodedWords.Decode(raw) : raw;
    }

    /// <summary>body = "(" (body-type-1part / body-type-mpart) ")" (RFC 9051 §9).</summary>
    public static ImapBodyPart ParseBody(ImapTokenizer t, string specifier, bool isRoot)
    {
        t.Expect((byte)'(');
        t.SkipSpaces();
        if (t.Peek() == (byte)'(')
        {
            var parts = new List<ImapBodyPart>();
            var index = 1;
            while (true)
            {
                t.SkipSpaces();
                if (t.Peek() != (byte)'(')
                {
                    break;
                }
                var childSpec = specifier.Length == 0 ? index.ToString(CultureInfo.InvariantCulture) : specifier + "." + index.ToString(CultureInfo.InvariantCulture);
                parts.Add(ParseBody(t, childSpec, false));
                index++;
            }
            var subtype = (t.ReadNString() ?? "mixed").ToLowerInvariant();
            IReadOnlyDictionary<string, string> parameters = new Dictionary<string, string>();
            ImapContentDisposition? disposition = null;
            IReadOnlyList<string> languages = [];
            if (!Peek(t, ')'))
            {
                parameters = ParseParameters(t);
                if (!Peek(t, ')'))
                {
                    disposition = ParseDisposition(t);
                    if (!Peek(t, ')'))
                    {
                        languages = ParseLanguages(t);
                    }
                }
            }
            SkipExtensions(t);
            return new ImapMultipart
            {
                PartSpecifier = specifier,
                MediaType = "multipart",
                MediaSubtype = subtype,
                Parameters = parameters,
                Disposition = disposition,
                Languages = languages,
                Parts = parts,
            };
        }

        var type = (t.ReadNString() ?? "application").ToLowerInvariant();
        var sub = (t.ReadNString() ?? "octet-stream").ToLowerInvariant();
        var prms = ParseParameters(t);
        var id = t.ReadNString();
        var description = t.ReadNString();
        var encoding = (t.ReadNString() ?? "7bit").ToLowerInvariant();
        var size = t.PeekIsDigit() ? (long)t.ReadNumber64() : SkipNilNumber(t);
        // A single-part message's only part is addressed as "1" (RFC 9051 §6.4.5).
        var spec = isRoot && specifier.Length == 0 ? "1" : specifier;
        ImapEnvelope? envelope = null;
        ImapBodyPart? inner = null;
        long? lines = null;
        var isMessage = type == "message" && sub is "rfc822" or "global";
        if (isMessage && Peek(t, '('))
        {
            envelope = ParseEnvelope(t);
            inner = ParseBody(t, spec, false);
            if (inner is ImapBasicPart && inner is not ImapMessagePart && inner.PartSpecifier == spec)
            {
                // a non-multipart embedded body is "<spec>.1"
                inner.PartSpecifier = spec + ".1";
            }
            lines = t.PeekIsDigit() ? (long)t.ReadNumber64() : null;
        }
        else if (type == "text" && t.PeekIsDigit())
        {
            lines = (long)t.ReadNumber64();
        }
        string? md5 = null;
        ImapContentDisposition? disp = null;
        IReadOnlyList<string> langs = [];
        if (!Peek(t, ')'))
        {
            md5 = t.ReadNString();
            if (!Peek(t, ')'))
            {
                disp = ParseDisposition(t);
                if (!Peek(t, ')'))
                {
                    langs = ParseLanguages(t);
                }
            }
        }
        SkipExtensions(t);
        if (isMessage)
        {
            return new ImapMessagePart
            {
                PartSpecifier = spec,
                MediaType = type,
                MediaSubtype = sub,
                Parameters = prms,
                ContentId = id,
                Description = description,
                Encoding = encoding,
                Size = size,
                Lines = lines,
                Md5 = md5,
                Disposition = disp,
                Languages = langs,
                Envelope = envelope,
                Body = inner,
            };
        }
        return new ImapBasicPart
        {
            PartSpecifier = spec,
            MediaType = type,
            MediaSubtype = sub,
            Parameters = prms,
            ContentId = id,
            Description = description,
            Encoding = encoding,
            Size = size,
            Lines = lines,
            Md5 = md5,
            Disposition = disp,
            Languages = langs,
        };
    }

    private static long SkipNilNumber(ImapTokenizer t)
    {
        t.SkipValue();
        return 0;
    }

    private static bool Peek(ImapTokenizer t, char c)
    {
        t.SkipSpaces();
        return t.Peek() == (byte)c;
    }

    private static void SkipExtensions(ImapTokenizer t)
    {
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated body structure");
            }
            t.SkipValue();
        }
    }

    private static Dictionary<string, string> ParseParameters(ImapTokenizer t)
    {
        var dict = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (t.IsNil())
        {
            return dict;
        }
        t.SkipSpaces();
        if (t.Peek() != (byte)'(')
        {
            // Some servers send a bare string here; keep going rather than fail the whole FETCH.
            t.SkipValue();
            return dict;
        }
        t.Expect((byte)'(');
        while (!t.TryConsume((byte)')'))
        {
            if (t.AtEnd)
            {
                throw t.Error("unterminated parameter list");
            }
            var key = t.ReadNString() ?? string.Empty;
            if (Peek(t, ')'))
            {
                break;
            }
            var value = t.ReadNString() ?? string.Empty;
            dict[key.ToLowerInvariant()] = value;
        }
        return dict;
    }

    private static ImapContentDisposition? ParseDisposition(ImapTokenizer t)
    {
        if (t.IsNil())
        {
            return null;
        }
        t.SkipSpaces();
        if (t.Peek() != (byte)'(')
        {
            t.SkipValue();
            return null;
        }
        t.Expect((byte)'(');
        var type = (t.ReadNString() ?? "attachment").ToLowerInvariant();
        var prms = Peek(t, ')') ? new Dictionary<string, string>() : ParseParameters(t);
        SkipExtensions(t);
        return new ImapContentDisposition(type, prms);
    }

    private static IReadOnlyList<string> ParseLanguages(ImapTokenizer t)
    {
        t.SkipSpaces();
        if (t.Peek() == (byte)'(')
        {
            return t.ReadAtomList();
        }
        var single = t.ReadNString();
        return single is null ? [] : [single];
    }

    internal static string Decode(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);
}
