namespace MSSante.Domain.NationalDirectory;

/// <summary>Presentation helpers shared by the directory entry and its consumers.</summary>
public static class DirectoryText
{
    /// <summary>The town part of an L6 delivery line ("75012 PARIS" → "PARIS").</summary>
    public static string? TownOf(string? deliveryLine, string? postalCode)
    {
        if (string.IsNullOrWhiteSpace(deliveryLine))
        {
            return null;
        }

        var line = deliveryLine.Trim();
        if (!string.IsNullOrEmpty(postalCode) && line.StartsWith(postalCode, StringComparison.Ordinal))
        {
            line = line[postalCode.Length..].Trim();
        }
        else
        {
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && line[..space].All(char.IsAsciiDigit))
            {
                line = line[(space + 1)..].Trim();
            }
        }

        return line.Length == 0 ? null : line;
    }

    /// <summary>How an entry reads to a person.</summary>
    public static string DisplayNameOf(DirectoryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var person = string.Join(' ', new[] { entry.Civility, entry.FirstName, entry.LastName }
            .Where(s => !string.IsNullOrWhiteSpace(s)));
        if (!string.IsNullOrEmpty(person) && !string.IsNullOrWhiteSpace(entry.LastName))
        {
            return person;
        }

        var structure = entry.Service ?? entry.StructureTradeName ?? entry.StructureName;
        return string.IsNullOrWhiteSpace(structure) ? entry.Address : structure;
    }

    /// <summary>French label of a mailbox type.</summary>
    public static string LabelOf(MailboxType type) => type switch
    {
        MailboxType.Per => "Personnelle",
        MailboxType.Org => "Organisationnelle",
        MailboxType.App => "Applicative",
        MailboxType.Cab => "Cabinet",
        _ => "Inconnue",
    };

    /// <summary>French label of the dematerialisation choice.</summary>
    public static string DematerialisationLabel(bool? value) => value switch
    {
        true => "Ne reçoit plus de papier pour ce qui arrive par messagerie sécurisée",
        false => "Reçoit encore les courriers papier",
        null => "Choix non renseigné",
    };
}
