using System.Text;

namespace MSSante.Mime.Tests;

public sealed class CodecTests
{
    [Theory]
    [InlineData("fin  =20\r\nx", "fin   \r\nx")]
    [InlineData("trailing   \r\nx", "trailing\r\nx")]
    [InlineData("soft=\r\nbreak", "softbreak")]
    [InlineData("soft=  \nbreak", "softbreak")]
    [InlineData("lower=e9", "lower\u00e9")]
    [InlineData("bad=ZZ and = alone", "bad=ZZ and = alone")]
    [InlineData("end=", "end")]
    public void QuotedPrintableDecodesTolerantly(string input, string expected)
    {
        var bytes = TransferEncoding.DecodeQuotedPrintable(Encoding.Latin1.GetBytes(input), out _);
        Assert.Equal(expected, Encoding.Latin1.GetString(bytes));
    }

    [Theory]
    [InlineData("SGVsbG8=", "Hello")]
    [InlineData("SGVsbG8", "Hello")]
    [InlineData("SGV sbG\r\n8=", "Hello")]
    [InlineData("SGVsbG8===junk", "Hello")]
    [InlineData("SGVs*bG8", "Hello")]
    public void Base64DecodesTolerantly(string input, string expected)
    {
        Assert.Equal(expected, Encoding.ASCII.GetString(TransferEncoding.DecodeBase64(Encoding.ASCII.GetBytes(input), out _)));
    }

    [Fact]
    public void QuotedPrintableRoundTripsArbitraryText()
    {
        var text = "Ligne avec espaces en fin   \nFrom the start\n.point\n=égal " + new string('x', 200) + "\n\tTab\t\n";
        var encoded = TransferEncoding.EncodeQuotedPrintable(Encoding.UTF8.GetBytes(text));
        foreach (var line in Encoding.ASCII.GetString(encoded).Split("\r\n"))
        {
            Assert.True(line.Length <= 76, line);
        }

        var decoded = Encoding.UTF8.GetString(TransferEncoding.DecodeQuotedPrintable(encoded, out var errors));
        Assert.False(errors);
        Assert.Equal(text.Replace("\n", "\r\n"), decoded);
    }

    [Fact]
    public void Base64RoundTripsAndWrapsAt76()
    {
        var data = new byte[1000];
        new Random(1).NextBytes(data);
        var encoded = TransferEncoding.EncodeBase64(data);
        Assert.All(Encoding.ASCII.GetString(encoded).Split("\r\n"), l => Assert.True(l.Length <= 76));
        Assert.Equal(data, TransferEncoding.DecodeBase64(encoded, out var errors));
        Assert.False(errors);
    }

    [Theory]
    [InlineData("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=", "café")]
    [InlineData("=?utf-8?q?Bon?=   =?utf-8?q?jour?=", "Bonjour")]
    [InlineData("Re: =?utf-8?B?w6l0w6k=?= suite", "Re: été suite")]
    [InlineData("=?ISO-8859-1*fr?Q?R=E9sum=E9?=", "Résumé")]
    [InlineData("=?utf-8?q?incomplete", "=?utf-8?q?incomplete")]
    [InlineData("a =?utf-8?x?bad?= b", "a =?utf-8?x?bad?= b")]
    public void EncodedWordsDecode(string input, string expected) => Assert.Equal(expected, EncodedWords.Decode(input));

    [Theory]
    [InlineData("Compte rendu d'hospitalisation — élève")]
    [InlineData("Émoji 🩺 et 検査 très long " + "très long sujet qui dépasse la limite de soixante-quinze caractères")]
    public void EncodedWordsRoundTrip(string text)
    {
        var encoded = EncodedWords.Encode(text);
        Assert.True(Ascii.IsValid(encoded));
        Assert.All(encoded.Split(' '), w => Assert.True(w.Length <= 75, w));
        Assert.Equal(text, EncodedWords.Decode(encoded));
    }
}
