using System.Security.Cryptography;
using System.Text;
using MSSante.Domain.TrustSpace;

namespace MSSante.Domain.Tests.TrustSpace;

public class WhitelistParserTests
{
    private static Task<WhitelistDocument> ParseAsync(string xml) =>
        WhitelistParser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public async Task Published_snapshot_without_closing_tag_yields_its_619_entries_and_516_domains()
    {
        var path = RepositoryData.WhitelistSnapshot;
        var bytes = await File.ReadAllBytesAsync(path);
        // The publisher's checksum: this test reads the exact published copy.
        Assert.Equal("fcec0113fe62c11c551882adc97f9eb254665d41fc31404cf984a0672cd9b2b2", Convert.ToHexStringLower(SHA256.HashData(bytes)));

        await using var stream = File.OpenRead(path);
        var document = await WhitelistParser.ParseAsync(stream);

        Assert.True(document.Truncated);
        Assert.Equal(619, document.Entries.Count);
        Assert.Equal(516, document.Domains.Count);
        Assert.Equal(new DateTimeOffset(2025, 3, 13, 14, 54, 10, TimeSpan.Zero), document.GeneratedAt);
        var first = document.Entries[0];
        Assert.Equal("nddtestasmae.mssante.fr", first.Name);
        Assert.Equal("BREST LA SAUVEGARDE", first.Description);
        Assert.StartsWith("CN=medimail-asip.mipih.fr", first.OperatorCertificateDn, StringComparison.Ordinal);
        Assert.Equal(new DateTimeOffset(2025, 3, 14, 15, 34, 10, TimeSpan.Zero), first.UpdatedAt);
        Assert.Contains("apta78.mssante.fr", document.Domains);
    }

    [Fact]
    public async Task Generated_7000_entries_with_duplicates_in_truncated_form_are_deduplicated()
    {
        var xml = WhitelistGenerator.ToXml(7000, duplicateEvery: 7, truncated: true);
        Assert.DoesNotContain("</ListeBlancheMSSante>", xml, StringComparison.Ordinal);

        var document = await ParseAsync(xml);

        Assert.True(document.Truncated);
        Assert.Equal(7000, document.Entries.Count);
        // Every 7th entry (i = 7, 14, ...) repeats the previous domain: 999 duplicates.
        Assert.Equal(7000 - 999, document.Domains.Count);
        Assert.Contains("medecin.mssante.fr", document.Domains);
    }

    [Fact]
    public async Task Complete_file_is_not_marked_truncated()
    {
        var document = await ParseAsync(WhitelistGenerator.ToXml(20, truncated: false));
        Assert.False(document.Truncated);
        Assert.Equal(20, document.Entries.Count);
    }

    [Fact]
    public async Task Entry_cut_in_the_middle_is_dropped_and_the_complete_ones_kept()
    {
        var xml = WhitelistGenerator.ToXml(3, duplicateEvery: 0, truncated: false);
        var cut = xml[..xml.LastIndexOf("<DNCertificatOperateur>", StringComparison.Ordinal)];

        var document = await ParseAsync(cut);

        Assert.True(document.Truncated);
        Assert.Equal(2, document.Entries.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("<?xml version=\"1.0\"?><ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration><ListeDomaines></ListeDomaines></ListeBlancheMSSante>")]
    [InlineData("<?xml version=\"1.0\"?><ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><DateDeGeneration>2025-03-13T14:54:10Z</DateDeGeneration><ListeDomaines><Domaine><Nom>incomplet.mssante.fr</Nom>")]
    [InlineData("<html><body>Service indisponible</body></html>")]
    [InlineData("not xml at all")]
    public async Task A_file_yielding_no_domain_is_refused(string content)
    {
        await Assert.ThrowsAsync<WhitelistFormatException>(() => ParseAsync(content));
    }

    [Fact]
    public async Task Domain_names_are_lower_cased_and_invalid_names_skipped()
    {
        var xml = "<ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><ListeDomaines>"
            + "<Domaine><Nom> CH-Exemple.MSSante.fr. </Nom></Domaine>"
            + "<Domaine><Nom>pas un domaine</Nom></Domaine>"
            + "<Domaine><Nom></Nom></Domaine>"
            + "</ListeDomaines></ListeBlancheMSSante>";

        var document = await ParseAsync(xml);

        Assert.Equal(["ch-exemple.mssante.fr"], document.Domains);
    }

    [Fact]
    public async Task Dtd_is_refused_rather_than_expanded()
    {
        var xml = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaa\">]><ListeBlancheMSSante xmlns=\"https://listeblanche.mssante.fr/schema\"><ListeDomaines><Domaine><Nom>&a;.fr</Nom></Domaine></ListeDomaines></ListeBlancheMSSante>";
        await Assert.ThrowsAsync<WhitelistFormatException>(() => ParseAsync(xml));
    }
}
