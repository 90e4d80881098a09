using MSSante.Mime.Internal;

namespace MSSante.Mime;

/// <summary>
/// An Internet message (RFC 5322) with its MIME tree. Load one with <see cref="Load(ReadOnlyMemory{byte}, MimeParserOptions?)"/>
/// or <see cref="LoadAsync"/>; parsing never throws on malformed or hostile input, it records
/// <see cref="Warnings"/> instead.
/// </summary>
public sealed partial class MimeMessage
{
    private readonly List<MimeWarning> _warnings;

    /// <summary>Wraps a root entity (whose headers are the message headers) as a message.</summary>
    public MimeMessage(MimeEntity body)
        : this(body, [])
    {
    }

    internal MimeMessage(MimeEntity body, List<MimeWarning> warnings)
    {
        Body = body;
        _warnings = warnings;
    }

    /// <summary>The root entity; its headers are the message headers.</summary>
    public MimeEntity Body { get; }

    /// <summary>The message header fields, in order.</summary>
    public HeaderList Headers => Body.Headers;

    /// <summary>What the parser found irregular (limits reached, missing boundaries...), for the whole tree.</summary>
    public IReadOnlyList<MimeWarning> Warnings => _warnings;

    /// <summary>The decoded Subject, or null.</summary>
    public string? Subject => Headers["Subject"];

    /// <summary>The From addresses.</summary>
    public IReadOnlyList<InternetAddress> From => Addresses("From");

    /// <summary>The Sender address, or null.</summary>
    public MailboxAddress? Sender => Addresses("Sender").Mailboxes().FirstOrDefault();

    /// <summary>The To addresses.</summary>
    public IReadOnlyList<InternetAddress> To => Addresses("To");

    /// <summary>The Cc addresses.</summary>
    public IReadOnlyList<InternetAddress> Cc => Addresses("Cc");

    /// <summary>The Bcc addresses.</summary>
    public IReadOnlyList<InternetAddress> Bcc => Addresses("Bcc");

    /// <summary>The Reply-To addresses.</summary>
    public IReadOnlyList<InternetAddress> ReplyTo => Addresses("Reply-To");

    /// <summary>The address an MDN must go to (RFC 8098 §2.1), or null when none was asked for.</summary>
    public MailboxAddress? DispositionNotificationTo => Addresses("Disposition-Notification-To").Mailboxes().FirstOrDefault();

    /// <summary>The Date, or null when absent or unreadable.</summary>
    public DateTimeOffset? Date => DateParser.Parse(Headers.Get("Date")?.UnfoldedValue);

    /// <summary>The Message-ID without angle brackets, or null.</summary>
    public string? MessageId => FirstId("Message-ID");

    /// <summary>The first In-Reply-To id without angle brackets, or null.</summary>
    public string? InReplyTo => FirstId("In-Reply-To");

    /// <summary>The References ids without angle brackets, oldest first.</summary>
    public IReadOnlyList<string> References => MessageIds.Parse(Headers.Get("References")?.UnfoldedValue);

    /// <summary>Every address list field of that name, parsed and concatenated.</summary>
    public IReadOnlyList<InternetAddress> Addresses(string headerName)
    {
        var list = new List<InternetAddress>();
        foreach (var h in Headers.GetAll(headerName))
        {
            list.AddRange(AddressParser.Parse(h.UnfoldedValue));
        }

        return list;
    }

    private string? FirstId(string name)
    {
        var ids = MessageIds.Parse(Headers.Get(name)?.UnfoldedValue);
        return ids.Count > 0 ? ids[0] : null;
    }

    /// <summary>Parses a message held in memory. The bytes are not copied: parts refer to them.</summary>
    public static MimeMessage Load(ReadOnlyMemory<byte> data, MimeParserOptions? options = null)
    {
        options ??= MimeParserOptions.Default;
        var warnings = new List<MimeWarning>();
        if (data.Length > options.MaxMessageSize)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, string.Empty, $"message larger than {options.MaxMessageSize} bytes, cut"));
            data = data[..(int)Math.Min(options.MaxMessageSize, int.MaxValue)];
        }

        return new MimeParser(data, options, warnings).ParseRoot();
    }

    /// <summary>
    /// Reads a stream to its end (at most <see cref="MimeParserOptions.MaxMessageSize"/> bytes;
    /// the rest is not read and the message is flagged) and parses it. A stream that fails gives
    /// what was read, flagged <see cref="MimeWarningCode.ReadError"/>.
    /// </summary>
    public static async Task<MimeMessage> LoadAsync(Stream stream, MimeParserOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        options ??= MimeParserOptions.Default;
        var limit = options.MaxMessageSize;
        var capacity = 64 * 1024;
        if (stream.CanSeek)
        {
            capacity = (int)Math.Clamp(stream.Length - stream.Position + 1, 1, Math.Min(limit + 1, Array.MaxLength));
        }

        var buffer = new byte[capacity];
        var length = 0;
        var warnings = new List<MimeWarning>();
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        break;
                    }

                    var grown = new byte[(int)Math.Min((long)buffer.Length * 2, Math.Min(limit + 1, Array.MaxLength))];
                    if (grown.Length == buffer.Length)
                    {
                        break;
                    }

                    buffer.AsSpan(0, length).CopyTo(grown);
                    buffer = grown;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (IOException ex)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.ReadError, string.Empty, "stream failed after " + length + " bytes: " + ex.GetType().Name));
        }

        if (length > limit)
        {
            warnings.Add(new MimeWarning(MimeWarningCode.Truncated, string.Empty, $"message larger than {limit} bytes, cut"));
            length = (int)limit;
        }

        return new MimeParser(buffer.AsMemory(0, length), options, warnings).ParseRoot();
    }
}
