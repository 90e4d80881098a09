using System.Formats.Asn1;
using System.Text.RegularExpressions;

namespace MSSante.Domain.Identity;

/// <summary>The certificate's subject does not name a card holder we can identify.</summary>
public sealed class CpsIdentityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CpsIdentityException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public CpsIdentityException() { }

    /// <summary>Creates the exception.</summary>
    public CpsIdentityException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>
/// Reads the holder's identity from the DER subject of a CPS authentication certificate.
/// Subjects seen in practice put the national id, surname and given name in one multi-valued
/// RDN (<c>CN=899700075122+SN=PHARMACH0007512+GN=CAROLE</c>) with <c>title</c> and <c>C</c>
/// beside it; some profiles put the id in <c>serialNumber</c> and a name in CN. Both are read.
/// </summary>
public static partial class CpsIdentityReader
{
    private const string OidCommonName = "2.5.4.3";
    private const string OidSurname = "2.5.4.4";
    private const string OidSerialNumber = "2.5.4.5";
    private const string OidTitle = "2.5.4.12";
    private const string OidGivenName = "2.5.4.42";

    /// <summary>Every (OID, value) pair of an X.501 Name, multi-valued RDNs flattened, in order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ReadAttributes(ReadOnlyMemory<byte> subjectDer)
    {
        var result = new List<KeyValuePair<string, string>>();
        try
        {
            // RFC 5280 §4.1.2.4: Name ::= SEQUENCE OF RelativeDistinguishedName (SET OF AttributeTypeAndValue).
            var name = new AsnReader(subjectDer, AsnEncodingRules.DER).ReadSequence();
            while (name.HasData)
            {
                var rdn = name.ReadSetOf();
                while (rdn.HasData)
                {
                    var atv = rdn.ReadSequence();
                    var oid = atv.ReadObjectIdentifier();
                    var tag = atv.PeekTag();
                    var value = tag.TagClass == TagClass.Universal && IsString((UniversalTagNumber)tag.TagValue)
                        ? atv.ReadCharacterString((UniversalTagNumber)tag.TagValue)
                        : Convert.ToHexString(atv.ReadEncodedValue().Span);
                    result.Add(new KeyValuePair<string, string>(oid, value));
                }
            }
        }
        catch (AsnContentException ex)
        {
            throw new CpsIdentityException("The certificate subject is not a valid DER Name.", ex);
        }
        return result;
    }

    /// <summary>Extracts the card holder from <paramref name="subjectDer"/> (X509Certificate2.SubjectName.RawData).</summary>
    /// <exception cref="CpsIdentityException">No national identifier in CN or serialNumber.</exception>
    public static CpsIdentity Read(ReadOnlyMemory<byte> subjectDer)
    {
        var attributes = ReadAttributes(subjectDer);
        string? First(string oid) => attributes.FirstOrDefault(a => a.Key == oid).Value;
        var cn = First(OidCommonName)?.Trim();
        var serial = First(OidSerialNumber)?.Trim();
        var idNat = cn is not null && IdNatPattern().IsMatch(cn) ? cn
            : serial is not null && IdNatPattern().IsMatch(serial) ? serial
            : throw new CpsIdentityException("The certificate names no national identifier (CN or serialNumber).");
        return new CpsIdentity(idNat, KindOf(idNat), First(OidSurname)?.Trim(), First(OidGivenName)?.Trim(), First(OidTitle)?.Trim());
    }

    /// <summary>The kind of an idNat, from its first character and length.</summary>
    public static IdNatKind KindOf(string idNat)
    {
        ArgumentNullException.ThrowIfNull(idNat);
        return idNat switch
        {
            _ when idNat.Length == 12 && idNat[0] == '8' && idNat.All(char.IsAsciiDigit) => IdNatKind.Rpps,
            _ when idNat.Length == 10 && idNat[0] == '0' && idNat.All(char.IsAsciiDigit) => IdNatKind.Adeli,
            _ when idNat[0] == '3' => IdNatKind.Structure,
            _ => IdNatKind.Other,
        };
    }

    private static bool IsString(UniversalTagNumber tag) => tag is UniversalTagNumber.UTF8String or UniversalTagNumber.PrintableString
        or UniversalTagNumber.IA5String or UniversalTagNumber.BMPString or UniversalTagNumber.T61String
        or UniversalTagNumber.UniversalString or UniversalTagNumber.NumericString or UniversalTagNumber.VisibleString;

    // A digit first (8 RPPS, 0 ADELI, 3 structure, others), then digits, letters or "/" for the
    // local part of establishment cards: "3990000001/SB0001".
    [GeneratedRegex("^[0-9][0-9A-Za-z]{5,30}(/[0-9A-Za-z._-]{1,30})?$", RegexOptions.CultureInvariant)]
    private static partial Regex IdNatPattern();
}
