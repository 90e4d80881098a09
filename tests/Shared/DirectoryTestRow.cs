namespace MSSante.Tests.Shared;

/// <summary>
/// One fictitious line of the national directory extraction (31 '|'-separated columns, in the
/// order ../shared/MSSANTE.md gives), for tests that import a small directory. Only the columns
/// the tests read have a property; the others stay empty. The identification columns are filled
/// only when <see cref="IdNat"/> is given (type "8", RPPS without its leading 8, the idNat).
/// </summary>
internal sealed record DirectoryTestRow(string Type, string Address)
{
    public string IdNat { get; init; } = "";
    public string Service { get; init; } = "";
    public string Civility { get; init; } = "";
    public string LastName { get; init; } = "";
    public string FirstName { get; init; } = "";
    public string Profession { get; init; } = "";
    public string Specialty { get; init; } = "";
    public string Dematerialisation { get; init; } = "";
    public string Structure { get; init; } = "";
    public string Sign { get; init; } = "";
    public string StreetNumber { get; init; } = "";
    public string StreetType { get; init; } = "";
    public string Street { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string Town { get; init; } = "";

    /// <summary>The line as the extraction file holds it.</summary>
    public string ToLine()
    {
        var f = new string[31];
        Array.Fill(f, string.Empty);
        f[0] = Type;
        f[1] = Address;
        if (IdNat.Length > 0)
        {
            f[2] = "8";
            f[3] = IdNat[1..];
            f[4] = IdNat;
        }
        f[7] = Service;
        f[8] = Civility;
        f[9] = LastName;
        f[10] = FirstName;
        f[14] = Profession;
        f[16] = Specialty;
        f[17] = Dematerialisation;
        f[18] = Structure;
        f[19] = Sign;
        f[22] = StreetNumber;
        f[24] = StreetType;
        f[25] = Street;
        f[27] = string.Join(' ', new[] { PostalCode, Town }.Where(p => p.Length > 0));
        f[28] = PostalCode;
        return string.Join('|', f);
    }
}
