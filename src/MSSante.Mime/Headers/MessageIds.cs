namespace MSSante.Mime;

/// <summary>Message-ID, In-Reply-To and References values (RFC 5322 §3.6.4).</summary>
public static class MessageIds
{
    /// <summary>
    /// The msg-ids of a field, without angle brackets, in order. Text outside brackets (obsolete
    /// phrases, comments) is ignored; a field with no brackets at all yields its single word.
    /// </summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        var ids = new List<string>();
        if (string.IsNullOrWhiteSpace(value))
        {
            return ids;
        }

        var pos = 0;
        while (pos < value.Length)
        {
            var open = value.IndexOf('<', pos);
            if (open < 0)
            {
                break;
            }

            var close = value.IndexOf('>', open + 1);
            if (close < 0)
            {
                break;
            }

            var id = value[(open + 1)..close].Trim();
            if (id.Length > 0 && !id.Contains(' ', StringComparison.Ordinal))
            {
                ids.Add(id);
            }

            pos = close + 1;
        }

        if (ids.Count == 0)
        {
            var word = value.Trim();
            if (word.Length > 0 && !word.Contains(' ', StringComparison.Ordinal) && word.Contains('@', StringComparison.Ordinal))
            {
                ids.Add(word);
            }
        }

        return ids;
    }

    /// <summary>Generates a new Message-ID (without brackets) under <paramref name="domain"/>.</summary>
    public static string Generate(string domain)
    {
        Span<byte> random = stackalloc byte[12];
        System.Security.Cryptography.RandomNumberGenerator.Fill(random);
        var stamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return $"{stamp}.{Convert.ToHexStringLower(random)}@{domain}";
    }
}
