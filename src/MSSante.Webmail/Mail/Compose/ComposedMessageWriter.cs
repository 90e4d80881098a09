using System.Text;
using MSSante.Mime;

namespace MSSante.Webmail.Mail.Compose;

/// <summary>Builds the RFC 5322 bytes of a composed message (MIME, RFC 2045-2049).</summary>
public static class ComposedMessageWriter
{
    /// <summary>
    /// The message: multipart/mixed of a multipart/alternative (text/plain then text/html,
    /// RFC 2046 §5.1.4: the preferred last) and the attachments. With <paramref name="includeBcc"/>
    /// the Bcc header is kept (drafts only; a sent message never carries it).
    /// </summary>
    public static byte[] Build(ComposeModel model, MailboxAddress from, MailboxAddress? sender, bool includeBcc, DateTimeOffset date)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sb = new StringBuilder();
        Header(sb, "Date", DateParser.Format(date));
        Header(sb, "From", FormatAddress(from));
        if (sender is not null && !sender.Address.Equals(from.Address, StringComparison.OrdinalIgnoreCase))
        {
            // RFC 5322 §3.6.2: the person who actually sends for the service mailbox.
            Header(sb, "Sender", FormatAddress(sender));
        }
        AddressHeader(sb, "To", model.To);
        AddressHeader(sb, "Cc", model.Cc);
        if (includeBcc)
        {
            AddressHeader(sb, "Bcc", model.Bcc);
        }
        Header(sb, "Subject", EncodeText(model.Subject));
        Header(sb, "Message-ID", "<" + model.MessageId + ">");
        if (!string.IsNullOrEmpty(model.InReplyTo))
        {
            Header(sb, "In-Reply-To", "<" + model.InReplyTo + ">");
        }
        if (model.References.Count > 0)
        {
            Header(sb, "References", string.Join(" ", model.References.Select(r => "<" + r + ">")));
        }
        if (model.RequestReadReceipt)
        {
            Header(sb, "Disposition-Notification-To", FormatAddress(from));
        }
        Header(sb, "MIME-Version", "1.0");
        Header(sb, "User-Agent", "Messagerie MSSante (webmail)");

        var html = WrapHtml(model.Html);
        var text = HtmlToText.Convert(model.Html);
        var alternative = Boundary();
        var body = new StringBuilder();
        if (model.Attachments.Count == 0)
        {
            Header(sb, "Content-Type", $"multipart/alternative; boundary=\"{alternative}\"");
            sb.Append("\r\n");
            AppendAlternative(sb, alternative, text, html);
        }
        else
        {
            var mixed = Boundary();
            Header(sb, "Content-Type", $"multipart/mixed; boundary=\"{mixed}\"");
            sb.Append("\r\n");
            sb.Append("This is a multi-part message in MIME format.\r\n");
            sb.Append("--").Append(mixed).Append("\r\n");
            sb.Append("Content-Type: multipart/alternative; boundary=\"").Append(alternative).Append("\"\r\n\r\n");
            AppendAlternative(sb, alternative, text, html);
            foreach (var attachment in model.Attachments)
            {
                sb.Append("--").Append(mixed).Append("\r\n");
                AppendAttachment(sb, attachment);
            }
            sb.Append("--").Append(mixed).Append("--\r\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static void AppendAlternative(StringBuilder sb, string boundary, string text, string html)
    {
        sb.Append("--").Append(boundary).Append("\r\n");
        sb.Append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        Base64Lines(sb, Encoding.UTF8.GetBytes(text));
        sb.Append("--").Append(boundary).Append("\r\n");
        sb.Append("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        Base64Lines(sb, Encoding.UTF8.GetBytes(html));
        sb.Append("--").Append(boundary).Append("--\r\n");
    }

    private static void AppendAttachment(StringBuilder sb, ComposeAttachment attachment)
    {
        var name = SafeName(attachment.FileName);
        if (attachment.IsMessage)
        {
            // RFC 2046 §5.2.1: message/rfc822 is 7bit/8bit/binary only, never base64.
            sb.Append("Content-Type: message/rfc822\r\n");
            sb.Append("Content-Disposition: attachment;").Append(FileNameParameters(name)).Append("\r\n\r\n");
            var raw = Encoding.UTF8.GetString(attachment.Content).ReplaceLineEndings("\r\n");
            sb.Append(raw);
            if (!raw.EndsWith("\r\n", StringComparison.Ordinal))
            {
                sb.Append("\r\n");
            }
            return;
        }
        sb.Append("Content-Type: ").Append(SafeContentType(attachment.ContentType)).Append("; name=\"").Append(EncodeText(name).Replace("\"", "", StringComparison.Ordinal)).Append("\"\r\n");
        sb.Append("Content-Transfer-Encoding: base64\r\n");
        sb.Append("Content-Disposition: attachment;").Append(FileNameParameters(name)).Append("\r\n\r\n");
        Base64Lines(sb, attachment.Content);
    }

    /// <summary>RFC 2231 §4 <c>filename*</c> for any name, plus a plain <c>filename</c> for ASCII names.</summary>
    private static string FileNameParameters(string name)
    {
        if (IsAscii(name) && !name.Contains('"', StringComparison.Ordinal))
        {
            return "\r\n filename=\"" + name + "\"";
        }
        var encoded = new StringBuilder("utf-8''");
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9') or (byte)'.' or (byte)'-' or (byte)'_')
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        return "\r\n filename*=" + encoded;
    }

    private static string SafeContentType(string contentType) =>
        System.Text.RegularExpressions.Regex.IsMatch(contentType, "^[A-Za-z0-9!#$&^_.+-]+/[A-Za-z0-9!#$&^_.+-]+$") ? contentType : "application/octet-stream";

    private static string SafeName(string name)
    {
        var cleaned = new string(name.Where(ch => !char.IsControl(ch) && ch is not '/' and not '\\').ToArray()).Trim();
        return cleaned.Length == 0 ? "piece-jointe" : cleaned;
    }

    private static string WrapHtml(string html) =>
        "<!DOCTYPE html>\r\n<html><head><meta charset=\"utf-8\"></head><body>" + html + "</body></html>\r\n";

    private static void Base64Lines(StringBuilder sb, byte[] data)
    {
        var encoded = Convert.ToBase64String(data);
        for (var i = 0; i < encoded.Length; i += 76)
        {
            sb.Append(encoded, i, Math.Min(76, encoded.Length - i)).Append("\r\n");
        }
    }

    private static void AddressHeader(StringBuilder sb, string name, string list)
    {
        var addresses = ParseAddresses(list);
        if (addresses.Count > 0)
        {
            Header(sb, name, string.Join(",\r\n ", addresses.Select(FormatAddress)));
        }
    }

    /// <summary>Splits what the user typed (commas or semicolons) into addresses; throws <see cref="FormatException"/> with the French reason.</summary>
    public static IReadOnlyList<MailboxAddress> ParseAddresses(string? list)
    {
        var result = new List<MailboxAddress>();
        if (string.IsNullOrWhiteSpace(list))
        {
            return result;
        }
        foreach (var part in list.Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var address = MailboxAddress.Parse(part);
            if (address is null || !System.Text.RegularExpressions.Regex.IsMatch(address.Address, @"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$"))
            {
                throw new FormatException($"L'adresse « {part} » n'est pas valide.");
            }
            result.Add(address);
        }
        return result;
    }

    private static string FormatAddress(MailboxAddress address)
    {
        if (string.IsNullOrEmpty(address.DisplayName))
        {
            return address.Address;
        }
        var name = IsAscii(address.DisplayName)
            ? "\"" + address.DisplayName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : EncodedWords.Encode(address.DisplayName);
        return name + " <" + address.Address + ">";
    }

    private static string EncodeText(string text)
    {
        text = text.ReplaceLineEndings(" ");
        return IsAscii(text) && text.Length < 900 ? text : EncodedWords.Encode(text).Replace(" =?", "\r\n =?", StringComparison.Ordinal);
    }

    private static void Header(StringBuilder sb, string name, string value) => sb.Append(name).Append(": ").Append(value).Append("\r\n");

    private static bool IsAscii(string s) => s.All(ch => ch < 128);

    private static string Boundary() => "=_mss_" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));
}
