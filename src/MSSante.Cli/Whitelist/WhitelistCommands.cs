using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.TrustSpace;

namespace MSSante.Cli.Whitelist;

/// <summary>The <c>whitelist</c> command group: the trust space's list of operator domains.</summary>
public static class WhitelistCommands
{
    /// <summary>Builds the <c>whitelist</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var whitelist = new Command("whitelist", "The MSSanté trust space whitelist (liste blanche des domaines)");
        whitelist.Subcommands.Add(CreateImport());
        whitelist.Subcommands.Add(CreatePostfixMap());
        whitelist.Subcommands.Add(CreateCheck());
        whitelist.Subcommands.Add(CreateGenerate());
        return whitelist;
    }

    private static Command CreateImport()
    {
        var source = new Argument<string>("FILE|URL") { Description = "The published XML list: a file path or an http(s) URL" };
        var maxShrink = new Option<double?>("--max-shrink") { Description = "Largest accepted loss of domains, as a fraction (default 0.10 or Whitelist:MaxShrinkFraction)" };
        var command = new Command("import", "Import the whitelist into the database (refused if empty or shrinking beyond the limit; the stored list is then kept)");
        command.Arguments.Add(source);
        command.Options.Add(maxShrink);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var overrides = new Dictionary<string, string?>();
            if (parseResult.GetValue(maxShrink) is { } fraction)
            {
                overrides["Whitelist:MaxShrinkFraction"] = fraction.ToString(CultureInfo.InvariantCulture);
            }

            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, overrides, cancellationToken).ConfigureAwait(false);
            try
            {
                var outcome = await services.GetRequiredService<WhitelistImporter>()
                    .ImportAsync(parseResult.GetValue(source)!, cancellationToken).ConfigureAwait(false);
                var line = FormattableString.Invariant(
                    $"entries={outcome.Entries} domains={outcome.Domains} previous={outcome.PreviousDomains} truncated={outcome.Truncated.ToString().ToLowerInvariant()}");
                if (!outcome.Accepted)
                {
                    await error.WriteLineAsync($"whitelist import: refused: {outcome.Reason}").ConfigureAwait(false);
                    await output.WriteLineAsync("refused " + line).ConfigureAwait(false);
                    return 3;
                }

                await output.WriteLineAsync("imported " + line).ConfigureAwait(false);
                return 0;
            }
            catch (WhitelistFormatException ex)
            {
                await error.WriteLineAsync($"whitelist import: refused: {ex.Message}").ConfigureAwait(false);
                return 3;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"whitelist import: {ex.Message}").ConfigureAwait(false);
                return 2;
            }
        });
        return command;
    }

    private static Command CreatePostfixMap()
    {
        var file = new Option<FileInfo?>("--output", "-o") { Description = "Write the map to this file (atomically replaced) instead of standard output" };
        var command = new Command("postfix-map", "Write the Postfix check_recipient_access map of the stored whitelist ('domain OK' lines; postmap it)");
        command.Options.Add(file);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var store = services.GetRequiredService<IWhitelistStore>();
            if (await store.CountDomainsAsync(cancellationToken).ConfigureAwait(false) == 0)
            {
                // An empty map would make Postfix refuse every recipient.
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("whitelist postfix-map: the stored whitelist is empty; import one first").ConfigureAwait(false);
                return 3;
            }

            var target = parseResult.GetValue(file);
            if (target is null)
            {
                await PostfixRecipientMap.WriteAsync(parseResult.InvocationConfiguration.Output, store.ListDomainsAsync(cancellationToken), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            // Postfix may read the map at any moment: write beside it, then rename over it.
            var temp = target.FullName + ".tmp";
            int count;
            var writer = new StreamWriter(temp, append: false, new System.Text.UTF8Encoding(false));
            await using (writer.ConfigureAwait(false))
            {
                count = await PostfixRecipientMap.WriteAsync(writer, store.ListDomainsAsync(cancellationToken), DateTimeOffset.UtcNow, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, target.FullName, overwrite: true);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant($"wrote {count} domains to {target.FullName}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CreateCheck()
    {
        var address = new Argument<string>("ADDRESS") { Description = "A recipient address" };
        var command = new Command("check", "Tell whether an address belongs to the trust space (exit 0) or not (exit 3, French explanation)");
        command.Arguments.Add(address);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var verdict = await services.GetRequiredService<ITrustSpace>().CheckAsync(parseResult.GetValue(address)!, cancellationToken).ConfigureAwait(false);
            if (verdict.Allowed)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync($"allowed {verdict.Domain}").ConfigureAwait(false);
                return 0;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"refused {verdict.Message}").ConfigureAwait(false);
            return 3;
        });
        return command;
    }

    private static Command CreateGenerate()
    {
        var entries = new Option<int>("--entries") { Description = "Number of Domaine entries", DefaultValueFactory = _ => 7000 };
        var duplicateEvery = new Option<int>("--duplicate-every") { Description = "Every Nth entry repeats the previous domain (0: none)", DefaultValueFactory = _ => 7 };
        var truncated = new Option<bool>("--truncated") { Description = "Leave out the closing root tag, as the published copies do" };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The XML file to write", Required = true };
        var command = new Command("generate", "Write a fictitious whitelist in the official format (tests and demonstrations)");
        command.Options.Add(entries);
        command.Options.Add(duplicateEvery);
        command.Options.Add(truncated);
        command.Options.Add(output);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetValue(output)!;
            int distinct;
            var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false));
            await using (writer.ConfigureAwait(false))
            {
                distinct = WhitelistGenerator.Write(writer, parseResult.GetValue(entries), parseResult.GetValue(duplicateEvery), parseResult.GetValue(truncated));
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                $"wrote {parseResult.GetValue(entries)} entries, {distinct} distinct domains to {file.FullName}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }
}
