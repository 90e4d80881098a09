namespace MSSante.Domain.Identity;

/// <summary>What kind of national identifier a card carries (MSSANTE.md "Identities").</summary>
public enum IdNatKind
{
    /// <summary><c>8</c> + RPPS (11 digits).</summary>
    Rpps,
    /// <summary><c>0</c> + ADELI (9 digits).</summary>
    Adeli,
    /// <summary><c>3</c> + FINESS of a structure, optionally <c>/</c> + a local id (establishment staff cards).</summary>
    Structure,
    /// <summary>Any other identifier a card profile may carry.</summary>
    Other,
}

/// <summary>The holder of a CPS (or establishment) card, as its authentication certificate names them.</summary>
/// <param name="IdNat">National identifier (idNat_PS), OID 1.2.250.1.71.4.2.1.</param>
/// <param name="Kind">What the identifier is.</param>
/// <param name="Surname">SN, e.g. "MARTIN".</param>
/// <param name="GivenName">GN, e.g. "JEANNE".</param>
/// <param name="Profession">title, e.g. "Médecin".</param>
public sealed record CpsIdentity(string IdNat, IdNatKind Kind, string? Surname, string? GivenName, string? Profession)
{
    /// <summary>"Jeanne MARTIN": given name capitalised, surname as printed on the card.</summary>
    public string DisplayName
    {
        get
        {
            var given = string.IsNullOrWhiteSpace(GivenName) ? null : Capitalise(GivenName);
            return (given, Surname) switch
            {
                (null, null) => IdNat,
                (null, _) => Surname!,
                (_, null) => given,
                _ => given + " " + Surname,
            };
        }
    }

    /// <summary>True for a test identity (the <c>8997</c> prefix of the test PKI's RPPS range).</summary>
    public bool IsTestIdentity => IdNat.StartsWith("8997", StringComparison.Ordinal);

    private static string Capitalise(string name)
    {
        // "JEAN-PIERRE" -> "Jean-Pierre"; the card prints given names in capitals.
        var chars = name.Trim().ToLowerInvariant().ToCharArray();
        var start = true;
        for (var i = 0; i < chars.Length; i++)
        {
            if (start && char.IsLetter(chars[i]))
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
            start = chars[i] is ' ' or '-' or '\'';
        }
        return new string(chars);
    }
}
