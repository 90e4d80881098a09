using System.IO.Compression;
using System.Text;
using MSSante.Domain.NationalDirectory;

namespace MSSante.Domain.Tests.NationalDirectory;

public class DirectoryExtractionReaderTests
{
    private static readonly string Header = DirectoryGenerator.Header;

    private static async Task<(List<DirectoryEntry> Entries, DirectoryParseReport Report)> ReadAsync(string text)
    {
        var report = new DirectoryParseReport();
        var list = new List<DirectoryEntry>();
        await foreach (var e in DirectoryExtractionReader.ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(text)), report))
        {
            list.Add(e);
        }

        return (list, report);
    }

    private static string Row(params (int Index, string Value)[] values)
    {
        var fields = new string[31];
        Array.Fill(fields, string.Empty);
        foreach (var (index, value) in values)
        {
            fields[index] = value;
        }

        return string.Join('|', fields);
    }

    [Fact]
    public async Task Reads_every_column_of_a_row()
    {
        var row = "PER|Jeanne.Martin@Medecin.MSSante.fr|8|99700100015|899700100015|1|1990000001|Cabinet|DR|MARTIN|Jeanne|C|Civil|10|Médecin|SM54|Médecine générale (SM)|true"
            + "|CABINET DÉMO|MSP Démo|Bât. A|BP 1|12|B|R|DE LA RÉPUBLIQUE|Lieu-dit|75012 PARIS|75012|75|FRANCE";
        var (entries, report) = await ReadAsync(Header + "\n" + row + "\n");

        var e = Assert.Single(entries);
        Assert.Equal(1, report.Entries);
        Assert.Equal(0, report.Malformed);
        Assert.Equal(MailboxType.Per, e.MailboxType);
        Assert.Equal("jeanne.martin@medecin.mssante.fr", e.Address);
        Assert.Equal("99700100015", e.PractitionerId);
        Assert.Equal("899700100015", e.NationalId);
        Assert.Equal("MARTIN", e.LastName);
        Assert.Equal("Jeanne", e.FirstName);
        Assert.Equal("Médecin", e.ProfessionLabel);
        Assert.Equal("Médecine générale (SM)", e.SpecialtyLabel);
        Assert.True(e.Dematerialisation);
        Assert.Equal("CABINET DÉMO", e.StructureName);
        Assert.Equal("DE LA RÉPUBLIQUE", e.StreetName);
        Assert.Equal("75012", e.PostalCode);
        Assert.Equal("PARIS", e.Town);
        Assert.Equal("FRANCE", e.Country);
        Assert.Equal("DR Jeanne MARTIN", e.DisplayName);
        Assert.Equal("MARTIN JEANNE", e.SearchNames);
        Assert.Contains("MEDECINE GENERALE", e.SearchOther, StringComparison.Ordinal);
        Assert.Contains("899700100015", e.SearchOther, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_lines_are_counted_not_fatal()
    {
        var text = Header + "\r\n"
            + Row((0, "PER"), (1, "a@medecin.mssante.fr"), (9, "A")) + "\r\n"
            + "PER|trop|peu|de|colonnes\r\n"
            + Row((0, "ORG"), (1, "pas-une-adresse")) + "\r\n"
            + "\r\n"
            + Row((0, "APP"), (1, "labo@ch-demo.mssante.fr")) + "|\r\n"; // one trailing separator tolerated
        var (entries, report) = await ReadAsync(text);

        Assert.Equal(["a@medecin.mssante.fr", "labo@ch-demo.mssante.fr"], entries.Select(e => e.Address));
        Assert.Equal(4, report.Lines);
        Assert.Equal(2, report.Malformed);
        Assert.Equal(["line 3: 5 columns instead of 31", "line 4: no valid mailbox address"], report.MalformedSamples);
        Assert.Equal(MailboxType.App, entries[1].MailboxType);
    }

    [Fact]
    public async Task Wrong_header_is_refused()
    {
        var header = Header.Replace("Adresse BAL", "Courriel", StringComparison.Ordinal);
        await Assert.ThrowsAsync<DirectoryFormatException>(() => ReadAsync(header + "\n"));
        await Assert.ThrowsAsync<DirectoryFormatException>(() => ReadAsync("a;b;c\n"));
        await Assert.ThrowsAsync<DirectoryFormatException>(() => ReadAsync(string.Empty));
    }

    [Fact]
    public async Task Header_without_accents_in_upper_case_with_a_bom_is_accepted()
    {
        var header = "\uFEFF" + string.Join('|', DirectoryExtractionReader.Columns.Select(SearchText.Normalize));
        var (entries, _) = await ReadAsync(header + "\n" + Row((0, "PER"), (1, "x@pro.mssante.fr")) + "\n");
        Assert.Equal("x@pro.mssante.fr", Assert.Single(entries).Address);
    }

    [Fact]
    public async Task Row_hash_changes_with_any_column_and_only_then()
    {
        var a = Row((0, "PER"), (1, "x@pro.mssante.fr"), (9, "DUPONT"));
        var b = Row((0, "PER"), (1, "x@pro.mssante.fr"), (9, "DUPOND"));
        var moved = Row((0, "PER"), (1, "x@pro.mssante.fr"), (10, "DUPONT"));
        var (entries, _) = await ReadAsync(Header + "\n" + a + "\n" + a + "\n" + b + "\n" + moved + "\n");

        Assert.Equal(entries[0].RowHash, entries[1].RowHash);
        Assert.NotEqual(entries[0].RowHash, entries[2].RowHash);
        Assert.NotEqual(entries[0].RowHash, entries[3].RowHash);
    }

    [Fact]
    public async Task Zip_and_txt_files_give_the_same_entries()
    {
        var dir = System.IO.Directory.CreateTempSubdirectory("mssante-dir-");
        try
        {
            var txt = Path.Combine(dir.FullName, "extraction.txt");
            var zip = Path.Combine(dir.FullName, "extraction.zip");
            await DirectoryGenerator.WriteFileAsync(txt, 500, zip: false);
            await DirectoryGenerator.WriteFileAsync(zip, 500, zip: true);
            using (var archive = ZipFile.OpenRead(zip))
            {
                Assert.StartsWith("Extraction_Correspondance_MSSante_", Assert.Single(archive.Entries).Name, StringComparison.Ordinal);
            }

            var fromTxt = await ReadFileAsync(txt);
            var fromZip = await ReadFileAsync(zip);

            Assert.Equal(500, fromTxt.Count);
            Assert.Equal(fromTxt.Select(e => e.RowHash), fromZip.Select(e => e.RowHash));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Zip_without_an_extraction_is_refused()
    {
        var path = Path.GetTempFileName();
        try
        {
            using (var archive = ZipFile.Open(path, ZipArchiveMode.Update))
            {
                archive.CreateEntry("a.csv");
                archive.CreateEntry("b.csv");
            }

            Assert.Throws<DirectoryFormatException>(() => DirectoryExtractionReader.Open(path).Dispose());
        }
        finally
        {
            File.Delete(path);
        }

        await Task.CompletedTask;
    }

    private static async Task<List<DirectoryEntry>> ReadFileAsync(string path)
    {
        await using var stream = DirectoryExtractionReader.Open(path);
        var list = new List<DirectoryEntry>();
        await foreach (var e in DirectoryExtractionReader.ReadAsync(stream, new DirectoryParseReport()))
        {
            list.Add(e);
        }

        return list;
    }
}
