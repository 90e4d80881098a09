using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>The disposition of an MDN (RFC 8098 §3.2.6): action mode, sending mode, type and modifiers.</summary>
/// <param name="ActionMode">"manual-action" or "automatic-action".</param>
/// <param name="SendingMode">"MDN-sent-manually" or "MDN-sent-automatically".</param>
/// <param name="Type">"displayed", "deleted", "dispatched", "processed"...</param>
/// <param name="Modifiers">Modifiers after '/', e.g. "error".</param>
public sealed record MdnDisposition(string ActionMode, string SendingMode, string Type, IReadOnlyList<string> Modifiers)
{
    /// <summary>True when the "error" modifier is present.</summary>
    public bool IsError => Modifiers.Any(m => string.Equals(m, "error", StringComparison.OrdinalIgnoreCase));

    /// <inheritdoc />
    public override string ToString() =>
        $"{ActionMode}/{SendingMode}; {Type}{string.Concat(Modifiers.Select(m => "/" + m))}";
}

/// <summary>A parsed message disposition notification (RFC 8098 §3.1).</summary>
public sealed record DispositionNotification
{
    /// <summary>Reporting-UA, or null.</summary>
    public string? ReportingUserAgent { get; init; }

    /// <summary>Original-Recipient address (type prefix removed), or null.</summary>
    public string? OriginalRecipient { get; init; }

    /// <summary>Final-Recipient address (type prefix removed), or null when absent (it is required).</summary>
    public string? FinalRecipient { get; init; }

    /// <summary>Original-Message-ID without brackets, or null.</summary>
    public string? OriginalMessageId { get; init; }

    /// <summary>The disposition, or null when absent or unreadable.</summary>
    public MdnDisposition? Disposition { get; init; }

    /// <summary>Error fields (MSSanté uses <c>code^label</c>), in order.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    /// <summary>Every field of the notification, in order.</summary>
    public HeaderList Fields { get; init; } = new();
}

/// <summary>One per-recipient block of a DSN (RFC 3464 §2.3).</summary>
public sealed record DeliveryStatusRecipient
{
    /// <summary>Final-Recipient address (type prefix removed).</summary>
    public string? FinalRecipient { get; init; }

    /// <summary>Original-Recipient address, or null.</summary>
    public string? OriginalRecipient { get; init; }

    /// <summary>Action: failed, delayed, delivered, relayed or expanded (lower case).</summary>
    public string? Action { get; init; }

    /// <summary>Status code, e.g. "5.1.1" (RFC 3463).</summary>
    public string? Status { get; init; }

    /// <summary>Remote-MTA (type prefix removed), or null.</summary>
    public string? RemoteMta { get; init; }

    /// <summary>Diagnostic-Code (type prefix removed), or null.</summary>
    public string? DiagnosticCode { get; init; }

    /// <summary>Last-Attempt-Date, or null.</summary>
    public DateTimeOffset? LastAttemptDate { get; init; }

    /// <summary>Every field of the block.</summary>
    public HeaderList Fields { get; init; } = new();

    /// <summary>True for a permanent failure (action failed or status 5.x.x).</summary>
    public bool IsPermanentFailure => Action == "failed" || Status?.StartsWith('5') == true;
}

/// <summary>A parsed delivery status notification (RFC 3464 §2.2 and §2.3).</summary>
public sealed record DeliveryStatusReport
{
    /// <summary>Reporting-MTA (type prefix removed), or null.</summary>
    public string? ReportingMta { get; init; }

    /// <summary>Original-Envelope-Id, or null.</summary>
    public string? OriginalEnvelopeId { get; init; }

    /// <summary>Arrival-Date, or null.</summary>
    public DateTimeOffset? ArrivalDate { get; init; }

    /// <summary>The per-recipient blocks.</summary>
    public IReadOnlyList<DeliveryStatusRecipient> Recipients { get; init; } = [];

    /// <summary>The per-message fields.</summary>
    public HeaderList Fields { get; init; } = new();
}

public sealed partial class MimeMessage
{
    /// <summary>
    /// The MDN carried by this message (a message/disposition-notification part, normally inside
    /// multipart/report; report-type=disposition-notification), or null when it is not an MDN.
    /// </summary>
    public DispositionNotification? GetDispositionNotification()
    {
        var part = FindReportPart("disposition-notification", "global-disposition-notification");
        if (part is null)
        {
            return null;
        }

        var blocks = FieldBlocks(part);
        var fields = blocks.Count > 0 ? blocks[0] : new HeaderList();
        return new DispositionNotification
        {
            ReportingUserAgent = fields["Reporting-UA"],
            OriginalRecipient = StripType(fields["Original-Recipient"]),
            FinalRecipient = StripType(fields["Final-Recipient"]),
            OriginalMessageId = MessageIds.Parse(fields.Get("Original-Message-ID")?.UnfoldedValue) is { Count: > 0 } ids ? ids[0] : null,
            Disposition = ParseDisposition(fields["Disposition"]),
            Errors = fields.GetAll("Error").Select(h => h.Value).ToList(),
            Fields = fields,
        };
    }

    /// <summary>The DSN carried by this message (a message/delivery-status part), or null when it is not a DSN.</summary>
    public DeliveryStatusReport? GetDeliveryStatus()
    {
        var part = FindReportPart("delivery-status", "global-delivery-status");
        if (part is null)
        {
            return null;
        }

        var blocks = FieldBlocks(part);
        var perMessage = blocks.Count > 0 ? blocks[0] : new HeaderList();
        var recipients = blocks.Skip(1).Where(b => b.Count > 0).Select(b => new DeliveryStatusRecipient
        {
            FinalRecipient = StripType(b["Final-Recipient"]),
            OriginalRecipient = StripType(b["Original-Recipient"]),
            Action = b["Action"]?.Trim().ToLowerInvariant(),
            Status = FirstWord(b["Status"]),
            RemoteMta = StripType(b["Remote-MTA"]),
            DiagnosticCode = StripType(b["Diagnostic-Code"]),
            LastAttemptDate = DateParser.Parse(b["Last-Attempt-Date"]),
            Fields = b,
        }).ToList();
        return new DeliveryStatusReport
        {
            ReportingMta = StripType(perMessage["Reporting-MTA"]),
            OriginalEnvelopeId = perMessage["Original-Envelope-Id"],
            ArrivalDate = DateParser.Parse(perMessage["Arrival-Date"]),
            Recipients = recipients,
            Fields = perMessage,
        };
    }

    /// <summary>The original message (or its headers) returned inside a report, or null.</summary>
    public MimeEntity? GetReturnedContent()
    {
        foreach (var e in Body.DescendantsAndSelf())
        {
            if (e.Parent is Multipart { ContentType.MediaSubtype: "report" } && (e is MessagePart || e.ContentType.Is("text", "rfc822-headers")))
            {
                return e;
            }
        }

        return null;
    }

    private MimePart? FindReportPart(params string[] subtypes)
    {
        foreach (var e in Body.DescendantsAndSelf())
        {
            if (e is MessagePart && !ReferenceEquals(e, Body))
            {
                // Do not look into returned messages: their reports are not ours.
                continue;
            }

            if (e is MimePart p && p.ContentType.MediaType == "message" && subtypes.Contains(p.ContentType.MediaSubtype))
            {
                return p;
            }
        }

        return null;
    }

    // RFC 3464 §2.1: blocks of header-like fields separated by blank lines.
    private static List<HeaderList> FieldBlocks(MimePart part)
    {
        var content = part.GetContent();
        var blocks = new List<HeaderList>();
        var pos = 0;
        var data = new ReadOnlyMemory<byte>(content);
        while (pos < content.Length)
        {
            var headerEnd = FindBlankLine(content, pos);
            var parsed = MimeMessage.Load(data[pos..headerEnd], new MimeParserOptions { MaxDepth = 0 });
            if (parsed.Headers.Count > 0)
            {
                blocks.Add(parsed.Headers);
            }
            else if (headerEnd == pos)
            {
                pos = SkipLine(content, pos);
                continue;
            }

            pos = headerEnd;
        }

        return blocks;
    }

    private static int FindBlankLine(byte[] content, int pos)
    {
        var span = content.AsSpan();
        while (pos < span.Length)
        {
            var lf = Bytes.LineEnd(span, pos, span.Length);
            var lineEnd = lf > pos && span[lf - 1] == '\r' ? lf - 1 : lf;
            var next = lf < span.Length ? lf + 1 : span.Length;
            if (lineEnd == pos)
            {
                return next;
            }

            pos = next;
        }

        return span.Length;
    }

    private static int SkipLine(byte[] content, int pos)
    {
        var lf = Bytes.LineEnd(content, pos, content.Length);
        return lf < content.Length ? lf + 1 : content.Length;
    }

    private static string? StripType(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var semi = value.IndexOf(';', StringComparison.Ordinal);
        return (semi >= 0 ? value[(semi + 1)..] : value).Trim();
    }

    private static string? FirstWord(string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            return null;
        }

        var space = v.IndexOfAny([' ', '\t', '(']);
        return space < 0 ? v : v[..space];
    }

    // RFC 8098 §3.2.6: action-mode "/" sending-mode ";" disposition-type *("/" modifier)
    private static MdnDisposition? ParseDisposition(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var semi = value.IndexOf(';', StringComparison.Ordinal);
        if (semi < 0)
        {
            return null;
        }

        var modes = value[..semi].Split('/', StringSplitOptions.TrimEntries);
        var rest = value[(semi + 1)..].Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (rest.Length == 0)
        {
            return null;
        }

        return new MdnDisposition(modes[0], modes.Length > 1 ? modes[1] : string.Empty, rest[0].ToLowerInvariant(), rest.Skip(1).SelectMany(m => m.Split(',', StringSplitOptions.TrimEntries)).ToList());
    }
}
