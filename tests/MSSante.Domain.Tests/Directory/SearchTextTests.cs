using MSSante.Domain.NationalDirectory;

namespace MSSante.Domain.Tests.NationalDirectory;

public class SearchTextTests
{
    [Theory]
    [InlineData("Hélène Lefèvre", "HELENE LEFEVRE")]
    [InlineData("  ŒUVRARD  ", "OEUVRARD")]
    [InlineData("Jean-Pierre N'Diaye", "JEAN PIERRE N DIAYE")]
    [InlineData("François Côté", "FRANCOIS COTE")]
    [InlineData("Zoë Müller", "ZOE MULLER")]
    [InlineData("SAINT-ÉTIENNE 42000", "SAINT ETIENNE 42000")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalises_accents_case_and_separators(string? input, string expected)
    {
        Assert.Equal(expected, SearchText.Normalize(input));
    }

    [Fact]
    public void Composed_and_decomposed_forms_give_the_same_key()
    {
        // "é" as one code point and as e + combining acute: what a Mac and a PC may each send.
        Assert.Equal(SearchText.Normalize("H\u00e9l\u00e8ne"), SearchText.Normalize("He\u0301le\u0300ne"));
    }
}
