using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Cli.Whitelist;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.NationalDirectory;

namespace MSSante.Cli.NationalDirectory;

/// <summary>The <c>directory</c> command group: the national MSSanté directory (annuaire).</summary>
public static class DirectoryCommands
{
    /// <summary>Builds the <c>directory</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var directory = new Command("directory", "The national MSSanté directory (extraction Correspondance MSSanté)");
        directory.Subcommands.Add(CreateImport());
        directory.Subcommands.Add(CreateSearch());
        directory.Subcommands.Add(CreateGenerate());
        return directory;
    }

    private static Command CreateImport()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "The extraction: Extraction_Correspondance_MSSante_*.txt or the ZIP holding it" };
        var command = new Command("import", "Import the extraction: new mailboxes inserted, changed rows updated, vanished ones deleted");
        command.Arguments.Add(file);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var path = parseResult.GetValue(file)!;
            var error = parseResult.InvocationConfiguration.Error;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"directory import: file not found: {path.FullName}").ConfigureAwait(false);
                return 2;
            }

            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var watch = Stopwatch.StartNew();
            try
            {
                var result = await services.GetRequiredService<DirectoryImporter>().ImportFileAsync(path.FullName, cancellationToken).ConfigureAwait(false);
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                    $"read={result.Read} inserted={result.Inserted} updated={result.Updated} unchanged={result.Unchanged} deleted={result.Deleted} malformed={result.Malformed} seconds={watch.Elapsed.TotalSeconds:F1}")).ConfigureAwait(false);
                foreach (var sample in result.MalformedSamples)
                {
                    await error.WriteLineAsync("malformed " + sample).ConfigureAwait(false);
                }

                return 0;
            }
            catch (DirectoryFormatException ex)
            {
                await error.WriteLineAsync($"directory import: refused: {ex.Message}").ConfigureAwait(false);
                return 3;
            }
            catch (System.IO.InvalidDataException ex)
            {
                await error.WriteLineAsync($"directory import: unreadable file: {ex.Message}").ConfigureAwait(false);
                return 3;
            }
        });
        return command;
    }

    private static Command CreateSearch()
    {
        var text = new Argument<string[]>("QUERY") { Description = "Words: name (with or without accents), first name, profession, specialty, town, postcode, idNat/RPPS, street", Arity = ArgumentArity.OneOrMore };
        var page = new Option<int>("--page") { Description = "Zero-based page", DefaultValueFactory = _ => 0 };
        var size = new Option<int>("--page-size") { Description = "Entries per page (1-100)", DefaultValueFactory = _ => 20 };
        var type = new Option<MailboxType?>("--type") { Description = "Only this mailbox type: Per, Org, App or Cab" };
        var command = new Command("search", "Search the directory; one line per entry: address, type, name, profession, specialty, structure, town, dematerialisation");
        command.Arguments.Add(text);
        command.Options.Add(page);
        command.Options.Add(size);
        command.Options.Add(type);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var pageSize = parseResult.GetValue(size);
            if (pageSize is < 1 or > 100 || parseResult.GetValue(page) < 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("directory search: --page-size must be 1 to 100 and --page 0 or more").ConfigureAwait(false);
                return 2;
            }

            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var query = new DirectoryQuery(string.Join(' ', parseResult.GetValue(text)!), parseResult.GetValue(page), pageSize, parseResult.GetValue(type));
            var result = await services.GetRequiredService<IDirectorySearch>().SearchAsync(query, cancellationToken).ConfigureAwait(false);
            var output = parseResult.InvocationConfiguration.Output;
            foreach (var e in result.Entries)
            {
                await output.WriteLineAsync(string.Join('\t',
                    e.Address,
                    e.MailboxType.ToString().ToUpperInvariant(),
                    e.DisplayName,
                    e.ProfessionLabel ?? string.Empty,
                    e.SpecialtyLabel ?? string.Empty,
                    e.StructureName ?? string.Empty,
                    string.Join(' ', e.PostalCode, e.Town).Trim(),
                    e.Dematerialisation switch { true => "dematerialisation=oui", false => "dematerialisation=non", null => "dematerialisation=?" })).ConfigureAwait(false);
            }

            if (result.HasMore)
            {
                await output.WriteLineAsync($"# more results: --page {query.Page + 1}").ConfigureAwait(false);
            }

            return result.Entries.Count > 0 ? 0 : 1;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var rows = new Option<int>("--rows") { Description = "Number of rows", DefaultValueFactory = _ => 300_000 };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The file to write", Required = true };
        var zip = new Option<bool>("--zip") { Description = "Write a ZIP holding Extraction_Correspondance_MSSante_<date>.txt, as published" };
        var seed = new Option<int>("--seed") { Description = "Random seed (same seed, same file)", DefaultValueFactory = _ => 42 };
        var command = new Command("generate", "Write a realistic fictitious extraction (test identifiers 8997..., never real data)");
        command.Options.Add(rows);
        command.Options.Add(output);
        command.Options.Add(zip);
        command.Options.Add(seed);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetValue(output)!;
            var count = parseResult.GetValue(rows);
            if (count < 0)
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("directory generate: --rows must be 0 or more").ConfigureAwait(false);
                return 2;
            }

            await DirectoryGenerator.WriteFileAsync(file.FullName, count, parseResult.GetValue(zip), parseResult.GetValue(seed), cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant($"wrote {count} rows to {file.FullName}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
