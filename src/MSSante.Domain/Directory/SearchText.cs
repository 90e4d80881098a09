using System.Globalization;
using System.Text;

namespace MSSante.Domain.NationalDirectory;

/// <summary>
/// The accent-free, upper-case form used to store and query searchable text, so that
/// "Hélène Lefèvre", "HELENE LEFEVRE" and "helene lefevre" are the same search.
/// </summary>
public static class SearchText
{
    /// <summary>
    /// Removes diacritics (é → E, ç → C), expands ligatures (œ → OE, æ → AE, ß → SS),
    /// upper-cases, and replaces every run of non letter-or-digit characters with one space.
    /// </summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var decomposed = value.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            string? mapped = c switch
            {
                'œ' or 'Œ' => "OE",
                'æ' or 'Æ' => "AE",
                'ß' => "SS",
                'ø' or 'Ø' => "O",
                'đ' or 'Đ' => "D",
                'ł' or 'Ł' => "L",
                _ => null,
            };
            if (mapped is null && !char.IsLetterOrDigit(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            if (mapped is not null)
            {
                builder.Append(mapped);
            }
            else
            {
                builder.Append(char.ToUpperInvariant(c));
            }
        }

        return builder.ToString();
    }

    /// <summary>Normalises then splits into tokens.</summary>
    public static IReadOnlyList<string> Tokenize(string? value)
    {
        var normalized = Normalize(value);
        return normalized.Length == 0 ? [] : normalized.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
