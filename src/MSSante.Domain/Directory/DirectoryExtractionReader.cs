using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;

namespace MSSante.Domain.NationalDirectory;

/// <summary>Thrown when a file is not the national directory extraction.</summary>
public sealed class DirectoryFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DirectoryFormatException(string message)
        : base(message)
    {
    }
}

/// <summary>Counts of what a parse met; malformed lines are reported, not fatal.</summary>
public sealed class DirectoryParseReport
{
    private readonly List<string> _samples = [];

    /// <summary>Data lines read (header excluded, blank lines excluded).</summary>
    public int Lines { get; internal set; }

    /// <summary>Entries produced.</summary>
    public int Entries { get; internal set; }

    /// <summary>Lines rejected (wrong column count, no valid address).</summary>
    public int Malformed { get; internal set; }

    /// <summary>The first few malformed lines' numbers and reasons (never their content: it names people).</summary>
    public IReadOnlyList<string> MalformedSamples => _samples;

    internal void AddMalformed(long lineNumber, string reason)
    {
        Malformed++;
        if (_samples.Count < 20)
        {
            _samples.Add(FormattableString.Invariant($"line {lineNumber}: {reason}"));
        }
    }
}

/// <summary>
/// Streaming reader of the daily public extraction
/// (<c>Extraction_Correspondance_MSSante_AAAAMMJJhhmm.txt</c>, UTF-8, <c>|</c>-separated,
/// one header line, 31 columns), from the TXT or from the ZIP that carries it.
/// Memory use does not depend on the file's size.
/// </summary>
public static class DirectoryExtractionReader
{
    /// <summary>The 31 column names in file order, as published.</summary>
    public static readonly IReadOnlyList<string> Columns =
    [
        "Type de BAL", "Adresse BAL", "Type Identifiant PP", "Identifiant PP", "Identification nationale PP",
        "Type identifiant structure", "Identification Structure", "Service de rattachement", "Civilité d'exercice",
        "Nom d'exercice", "Prénom d'exercice", "Catégorie profession", "Libellé de catégorie profession",
        "Code Profession", "Libellé Profession", "Code savoir-faire", "Libellé savoir-faire", "Dématérialisation",
        "Raison Sociale structure BAL", "Enseigne commerciale structure BAL", "L2COMPLEMENTLOCALISATION structure BAL",
        "L3COMPLEMENTDISTRIBUTION structure BAL", "L4NUMEROVOIE structure BAL", "L4COMPLEMENTNUMEROVOIE structure BAL",
        "NL4TYPEVOIE structure BAL", "L4LIBELLEVOIE structure BAL", "L5LIEUDITMENTION structure BAL",
        "L6LIGNEACHEMINEMENT structure BAL", "Code postal structure BAL", "Département structure BAL", "Pays structure BAL",
    ];

    /// <summary>
    /// Opens an extraction file: a ZIP is recognised by its signature and the
    /// <c>Extraction_Correspondance_MSSante_*.txt</c> inside it (or its only .txt) is returned.
    /// Disposing the returned stream closes the file.
    /// </summary>
    public static Stream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            Span<byte> magic = stackalloc byte[4];
            var read = file.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            file.Position = 0;
            if (read < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4)
            {
                return file;
            }

            var archive = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false);
            var texts = archive.Entries.Where(e => e.Name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase)).ToList();
            var entry = texts.FirstOrDefault(e => e.Name.StartsWith("Extraction_Correspondance_MSSante_", StringComparison.OrdinalIgnoreCase))
                ?? (texts.Count == 1 ? texts[0] : null);
            if (entry is null)
            {
                archive.Dispose();
                throw new DirectoryFormatException("The ZIP holds no Extraction_Correspondance_MSSante_*.txt file.");
            }

            return new ArchiveEntryStream(archive, entry.Open());
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads entries one by one. The header must name the 31 columns (compared without accents
    /// or case); lines with another column count or no valid address are counted in
    /// <paramref name="report"/> and skipped.
    /// </summary>
    /// <exception cref="DirectoryFormatException">The header is missing or not the extraction's.</exception>
    public static async IAsyncEnumerable<DirectoryEntry> ReadAsync(
        Stream stream,
        DirectoryParseReport report,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(report);
        using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, 1 << 16, leaveOpen: true);
        var header = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        CheckHeader(header);
        long lineNumber = 1;
        var fields = new string[Columns.Count];
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            report.Lines++;
            var count = Split(line, fields);
            if (count != Columns.Count)
            {
                report.AddMalformed(lineNumber, FormattableString.Invariant($"{count} columns instead of {Columns.Count}"));
                continue;
            }

            var entry = ToEntry(fields);
            if (entry is null)
            {
                report.AddMalformed(lineNumber, "no valid mailbox address");
                continue;
            }

            report.Entries++;
            yield return entry;
        }
    }

    /// <summary>Builds an entry from the 31 raw values; null when the address is unusable.</summary>
    public static DirectoryEntry? ToEntry(IReadOnlyList<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var address = fields[1].Trim().ToLowerInvariant();
        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1 || address.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return new DirectoryEntry
        {
            MailboxType = ParseType(fields[0]),
            Address = address,
            PractitionerIdType = Value(fields[2]),
            PractitionerId = Value(fields[3]),
            NationalId = Value(fields[4]),
            StructureIdType = Value(fields[5]),
            StructureId = Value(fields[6]),
            Service = Value(fields[7]),
            Civility = Value(fields[8]),
            LastName = Value(fields[9]),
            FirstName = Value(fields[10]),
            ProfessionCategory = Value(fields[11]),
            ProfessionCategoryLabel = Value(fields[12]),
            ProfessionCode = Value(fields[13]),
            ProfessionLabel = Value(fields[14]),
            SpecialtyCode = Value(fields[15]),
            SpecialtyLabel = Value(fields[16]),
            Dematerialisation = ParseBool(fields[17]),
            StructureName = Value(fields[18]),
            StructureTradeName = Value(fields[19]),
            AddressComplement = Value(fields[20]),
            DistributionComplement = Value(fields[21]),
            StreetNumber = Value(fields[22]),
            StreetNumberSuffix = Value(fields[23]),
            StreetType = Value(fields[24]),
            StreetName = Value(fields[25]),
            Locality = Value(fields[26]),
            DeliveryLine = Value(fields[27]),
            PostalCode = Value(fields[28]),
            Department = Value(fields[29]),
            Country = Value(fields[30]),
            RowHash = HashOf(fields),
        };
    }

    /// <summary>Parses a Type de BAL value.</summary>
    public static MailboxType ParseType(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "PER" => MailboxType.Per,
        "ORG" => MailboxType.Org,
        "APP" => MailboxType.App,
        "CAB" => MailboxType.Cab,
        _ => MailboxType.Unknown,
    };

    private static bool? ParseBool(string value) => value.Trim().ToUpperInvariant() switch
    {
        "1" or "TRUE" or "VRAI" or "OUI" or "O" or "Y" or "YES" => true,
        "0" or "FALSE" or "FAUX" or "NON" or "N" or "NO" => false,
        _ => null,
    };

    private static string? Value(string raw)
    {
        var trimmed = raw.Trim();
        return trimmed.Length == 0 ? null : trimmed;
    }

    private static string HashOf(IReadOnlyList<string> fields)
    {
        // Unit separator between values so that moving text across columns changes the hash.
        var joined = string.Join('\u001f', fields.Select(f => f.Trim()));
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(joined), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }

    private static int Split(string line, string[] fields)
    {
        // Some exports end every line with a separator: tolerate one trailing empty column.
        var span = line.AsSpan();
        if (span.Length > 0 && span[^1] == '\r')
        {
            span = span[..^1];
        }

        var count = 0;
        var start = 0;
        for (var i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != '|')
            {
                continue;
            }

            if (count < fields.Length)
            {
                fields[count] = span[start..i].ToString();
            }
            else if (!(count == fields.Length && i == span.Length && i == start))
            {
                return count + 1;
            }
            else
            {
                return fields.Length;
            }

            count++;
            start = i + 1;
        }

        return count;
    }

    private static void CheckHeader(string? header)
    {
        if (header is null)
        {
            throw new DirectoryFormatException("The directory file is empty.");
        }

        var names = header.TrimStart('\uFEFF').TrimEnd('\r').Split('|');
        var count = names.Length == Columns.Count + 1 && names[^1].Length == 0 ? Columns.Count : names.Length;
        if (count != Columns.Count)
        {
            throw new DirectoryFormatException(FormattableString.Invariant(
                $"Not a directory extraction: the header has {names.Length} columns, expected {Columns.Count}."));
        }

        for (var i = 0; i < Columns.Count; i++)
        {
            if (!string.Equals(SearchText.Normalize(names[i]), SearchText.Normalize(Columns[i]), StringComparison.Ordinal))
            {
                throw new DirectoryFormatException(FormattableString.Invariant(
                    $"Not a directory extraction: column {i + 1} is '{names[i]}', expected '{Columns[i]}'."));
            }
        }
    }

    private sealed class ArchiveEntryStream(ZipArchive archive, Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            inner.ReadAsync(buffer, cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                archive.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
