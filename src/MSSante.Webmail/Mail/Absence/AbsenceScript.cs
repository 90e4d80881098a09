using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MSSante.Webmail.Mail.Absence;

/// <summary>An absence as the practitioner sets it on the absence page.</summary>
public sealed record AbsenceSettings
{
    /// <summary>True when the auto-reply (and redirection) is on.</summary>
    public bool Enabled { get; init; }

    /// <summary>First day of absence (inclusive).</summary>
    public DateOnly Start { get; init; }

    /// <summary>Last day of absence (inclusive).</summary>
    public DateOnly End { get; init; }

    /// <summary>Subject of the auto-reply.</summary>
    public string Subject { get; init; } = "Absence";

    /// <summary>Text of the auto-reply (French, plain text).</summary>
    public string Message { get; init; } = "";

    /// <summary>A colleague who receives a copy of each message during the absence, or null.</summary>
    public string? RedirectTo { get; init; }

    /// <summary>
    /// The colleague to contact during the absence, shown in the national directory entry of the
    /// mailbox ("Absent jusqu'au ..., contactez ..."), or null.
    /// </summary>
    public string? ContactAddress { get; init; }

    /// <summary>True when the directory entry of the mailbox shows the absence (dates and contact only).</summary>
    public bool ShowInDirectory { get; init; } = true;

    /// <summary>Minimum days between two auto-replies to the same sender (RFC 5230 :days).</summary>
    public int Days { get; init; } = 1;

    /// <summary>The script that was active before ours, included so that it keeps running, or null.</summary>
    public string? PreviousActiveScript { get; init; }
}

/// <summary>
/// Writes the Sieve script of an absence and reads its settings back. The script uses vacation
/// (RFC 5230) with :days, :subject, :from and :addresses, the absence dates through currentdate
/// (RFC 5260 date, RFC 5231 relational), redirect :copy (RFC 3894) so the mailbox keeps every
/// message, and include (RFC 6609) for a script that was active before. The settings travel in a
/// comment so the page can show them again without parsing Sieve.
/// </summary>
public static class AbsenceScript
{
    private const string SettingsMarker = "# mssante-absence: ";

    /// <summary>The script for <paramref name="settings"/> on <paramref name="mailbox"/>.</summary>
    public static string Build(AbsenceSettings settings, string mailbox, string? displayName)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentException.ThrowIfNullOrEmpty(mailbox);
        var json = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(settings));
        var requires = new List<string> { "vacation", "date", "relational" };
        if (settings.RedirectTo is not null)
        {
            requires.Add("copy");
        }
        if (settings.PreviousActiveScript is not null)
        {
            requires.Add("include");
        }
        var s = new StringBuilder();
        s.Append("# Absence set from the MSSante webmail; rewritten by the absence page.\r\n");
        s.Append(SettingsMarker).Append(json).Append("\r\n");
        s.Append("require [").Append(string.Join(", ", requires.Select(Quote))).Append("];\r\n");
        if (settings.Enabled)
        {
            var start = settings.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = settings.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            // RFC 5260 §5: currentdate "date" part is yyyy-mm-dd; "ge"/"le" compare as strings (RFC 5231).
            s.Append("if allof (currentdate :value \"ge\" \"date\" ").Append(Quote(start))
             .Append(", currentdate :value \"le\" \"date\" ").Append(Quote(end)).Append(") {\r\n");
            if (settings.RedirectTo is { } colleague)
            {
                s.Append("  redirect :copy ").Append(Quote(colleague)).Append(";\r\n");
            }
            var from = string.IsNullOrWhiteSpace(displayName) ? mailbox : $"{Phrase(displayName)} <{mailbox}>";
            s.Append("  vacation :days ").Append(Math.Clamp(settings.Days, 1, 30).ToString(CultureInfo.InvariantCulture))
             .Append(" :subject ").Append(Quote(settings.Subject))
             .Append(" :from ").Append(Quote(from))
             .Append(" :addresses [").Append(Quote(mailbox)).Append(']')
             .Append(' ').Append(Quote(settings.Message)).Append(";\r\n");
            s.Append("}\r\n");
        }
        if (settings.PreviousActiveScript is { } previous)
        {
            s.Append("include :personal ").Append(Quote(previous)).Append(";\r\n");
        }
        return s.ToString();
    }

    /// <summary>The settings carried by a script this class wrote, or null for any other script.</summary>
    public static AbsenceSettings? Read(string script)
    {
        ArgumentNullException.ThrowIfNull(script);
        foreach (var line in script.Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l.StartsWith(SettingsMarker, StringComparison.Ordinal))
            {
                try
                {
                    return JsonSerializer.Deserialize<AbsenceSettings>(Convert.FromBase64String(l[SettingsMarker.Length..].Trim()));
                }
                catch (Exception e) when (e is FormatException or JsonException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    /// <summary>French problems with the settings, empty when they can be saved.</summary>
    public static IReadOnlyList<string> Validate(AbsenceSettings settings, string mailbox)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<string>();
        if (!settings.Enabled)
        {
            return problems;
        }
        if (settings.End < settings.Start)
        {
            problems.Add("La date de retour doit suivre la date de départ.");
        }
        if (string.IsNullOrWhiteSpace(settings.Subject))
        {
            problems.Add("Indiquez l'objet de la réponse automatique.");
        }
        if (string.IsNullOrWhiteSpace(settings.Message))
        {
            problems.Add("Rédigez le texte de la réponse automatique.");
        }
        if (settings.RedirectTo is { } to)
        {
            if (!IsPlainAddress(to))
            {
                problems.Add($"L'adresse du collègue « {to} » n'est pas valide.");
            }
            else if (to.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("La redirection ne peut pas viser votre propre boîte.");
            }
        }
        if (settings.ContactAddress is { } contact)
        {
            if (!IsPlainAddress(contact))
            {
                problems.Add($"L'adresse à contacter pendant l'absence « {contact} » n'est pas valide.");
            }
            else if (contact.Equals(mailbox, StringComparison.OrdinalIgnoreCase))
            {
                problems.Add("La personne à contacter pendant l'absence ne peut pas être vous-même.");
            }
        }
        return problems;
    }

    private static bool IsPlainAddress(string address)
    {
        var at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1 && !address.Any(c => char.IsWhiteSpace(c) || c is '"' or '<' or '>' or ',');
    }

    // RFC 5228 §2.4.2: a quoted string escapes only '"' and '\'; CRLF may appear inside.
    private static string Quote(string value) =>
        "\"" + value.ReplaceLineEndings("\r\n").Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private static string Phrase(string displayName)
    {
        var name = displayName.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
        return name.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '-')
            ? name
            : "\"" + name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
    }
}
