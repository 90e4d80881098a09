using System.Globalization;

namespace MSSante.Mime;

/// <summary>
/// Parses RFC 5322 §3.3 dates and the broken forms seen in real mail: missing day name or
/// seconds, two-digit years, obsolete and alphabetic zones, asctime order, ISO 8601, comments.
/// </summary>
public static class DateParser
{
    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    /// <summary>Parses a date, or returns null when no day, month and year can be found.</summary>
    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = StripComments(value).Trim();
        if (text.Length >= 10 && char.IsAsciiDigit(text[0]) && text[4] == '-'
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var iso))
        {
            return iso;
        }

        var tokens = text.Split([' ', '\t', ',', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries);
        int? day = null, month = null, year = null;
        int hour = 0, minute = 0, second = 0;
        TimeSpan? offset = null;
        var timeSeen = false;
        foreach (var raw in tokens)
        {
            var t = raw.TrimEnd('.');
            if (!timeSeen && t.Contains(':', StringComparison.Ordinal))
            {
                var parts = t.Split(':');
                if (parts.Length is 2 or 3 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out hour)
                    && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minute))
                {
                    if (parts.Length == 3)
                    {
                        var secText = parts[2];
                        var dot = secText.IndexOf('.', StringComparison.Ordinal);
                        if (dot >= 0)
                        {
                            secText = secText[..dot];
                        }

                        _ = int.TryParse(secText, NumberStyles.None, CultureInfo.InvariantCulture, out second);
                    }

                    timeSeen = true;
                    continue;
                }
            }

            if ((t[0] == '+' || t[0] == '-') && t.Length >= 3 && t.Skip(1).All(char.IsAsciiDigit))
            {
                var digits = t[1..].PadLeft(4, '0');
                if (digits.Length == 4)
                {
                    var h = int.Parse(digits.AsSpan(0, 2), CultureInfo.InvariantCulture);
                    var m = int.Parse(digits.AsSpan(2, 2), CultureInfo.InvariantCulture);
                    if (h < 24 && m < 60)
                    {
                        offset = new TimeSpan(h, m, 0) * (t[0] == '-' ? -1 : 1);
                    }
                }

                continue;
            }

            if (t.All(char.IsAsciiDigit))
            {
                // Hostile or broken dates may carry digit runs too long for an int: not a date part.
                if (!int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                {
                    continue;
                }

                if (t.Length >= 3 || (day is not null && month is not null))
                {
                    year ??= n;
                }
                else
                {
                    day ??= n;
                }

                continue;
            }

            var lower = t.ToLowerInvariant();
            if (lower.Length >= 3 && month is null)
            {
                var mi = Array.IndexOf(Months, lower[..3]);
                if (mi >= 0 && (lower.Length == 3 || lower.StartsWith(FullMonth(mi), StringComparison.Ordinal)))
                {
                    month = mi + 1;
                    continue;
                }
            }

            if (offset is null && ZoneOffset(lower) is { } zone)
            {
                offset = zone;
            }
        }

        if (day is null || month is null || year is null)
        {
            return null;
        }

        // RFC 5322 §4.3: two-digit years 00-49 are 20xx, 50-99 are 19xx; three digits add 1900.
        var y = year.Value switch
        {
            < 50 => year.Value + 2000,
            < 100 => year.Value + 1900,
            < 1000 => year.Value + 1900,
            _ => year.Value,
        };

        if (y > 9999 || day < 1 || day > DateTime.DaysInMonth(y, month.Value) || hour > 23 || minute > 59 || second > 60)
        {
            return null;
        }

        try
        {
            return new DateTimeOffset(y, month.Value, day.Value, hour, minute, Math.Min(second, 59), offset ?? TimeSpan.Zero);
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    private static string FullMonth(int i) => CultureInfo.InvariantCulture.DateTimeFormat.MonthNames[i].ToLowerInvariant()[..3];

    // RFC 5322 §4.3 obsolete zones; military letters other than Z are ambiguous and read as +0000.
    private static TimeSpan? ZoneOffset(string zone) => zone switch
    {
        "ut" or "utc" or "gmt" or "z" => TimeSpan.Zero,
        "edt" => TimeSpan.FromHours(-4),
        "est" or "cdt" => TimeSpan.FromHours(zone == "est" ? -5 : -5),
        "cst" or "mdt" => TimeSpan.FromHours(zone == "cst" ? -6 : -6),
        "mst" or "pdt" => TimeSpan.FromHours(zone == "mst" ? -7 : -7),
        "pst" => TimeSpan.FromHours(-8),
        "cet" => TimeSpan.FromHours(1),
        "cest" => TimeSpan.FromHours(2),
        _ => null,
    };

    private static string StripComments(string s)
    {
        if (!s.Contains('(', StringComparison.Ordinal))
        {
            return s;
        }

        var sb = new System.Text.StringBuilder(s.Length);
        var depth = 0;
        foreach (var c in s)
        {
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && depth > 0)
            {
                depth--;
            }
            else if (depth == 0)
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Formats a date as RFC 5322 §3.3 requires: <c>Tue, 01 Apr 2025 10:00:00 +0200</c>.</summary>
    public static string Format(DateTimeOffset date)
    {
        var off = date.Offset;
        var sign = off < TimeSpan.Zero ? '-' : '+';
        off = off.Duration();
        return string.Create(CultureInfo.InvariantCulture, $"{date.ToString("ddd, dd MMM yyyy HH:mm:ss", CultureInfo.InvariantCulture)} {sign}{off.Hours:00}{off.Minutes:00}");
    }
}
