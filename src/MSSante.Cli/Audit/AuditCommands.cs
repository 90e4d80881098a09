using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MSSante.Cli.Whitelist;
using MSSante.Domain.Audit;
using MSSante.Infrastructure.Audit;

namespace MSSante.Cli.Audit;

/// <summary>The <c>audit</c> command group: the tamper-evident audit trail.</summary>
public static class AuditCommands
{
    /// <summary>Builds the <c>audit</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var audit = new Command("audit", "The audit trail of mailbox actions (hash chain)");
        audit.Subcommands.Add(CreateVerify());
        audit.Subcommands.Add(CreateExport());
        audit.Subcommands.Add(CreatePurge());
        return audit;
    }

    private static Command CreateVerify()
    {
        var command = new Command("verify", "Check the hash chain; exit 0 when intact, 4 naming the first broken link otherwise");
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var result = await services.GetRequiredService<IAuditTrail>().VerifyAsync(cancellationToken).ConfigureAwait(false);
            if (result.FirstBreak is { } broken)
            {
                await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                    $"BROKEN at entry {broken.Sequence}: {broken.Kind.ToString().ToLowerInvariant()}: {broken.Description} ({result.EntriesChecked} entries verified before it)")).ConfigureAwait(false);
                return 4;
            }

            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                $"OK {result.EntriesChecked} entries verified; head {result.HeadHash}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var mailbox = new Option<string[]>("--mailbox") { Description = "Only this mailbox (repeatable)", AllowMultipleArgumentsPerToken = false };
        var from = new Option<string?>("--from") { Description = "From this date or time, inclusive (ISO 8601; a bare date is midnight UTC)" };
        var to = new Option<string?>("--to") { Description = "Up to this date or time, exclusive (ISO 8601)" };
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the CSV to this file instead of standard output" };
        var command = new Command("export", "Export entries as CSV (RFC 4180), in chain order");
        command.Options.Add(mailbox);
        command.Options.Add(from);
        command.Options.Add(to);
        command.Options.Add(output);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (!TryParseTime(parseResult.GetValue(from), out var fromTime) || !TryParseTime(parseResult.GetValue(to), out var toTime))
            {
                await error.WriteLineAsync("audit export: --from and --to take ISO 8601 dates, e.g. 2026-01-31 or 2026-01-31T08:00:00Z").ConfigureAwait(false);
                return 2;
            }

            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var query = new AuditQuery(Mailboxes: parseResult.GetValue(mailbox), From: fromTime, To: toTime);
            var entries = services.GetRequiredService<IAuditTrail>().ReadAsync(query, cancellationToken);
            var file = parseResult.GetValue(output);
            if (file is null)
            {
                await AuditCsv.WriteAsync(parseResult.InvocationConfiguration.Output, entries, cancellationToken).ConfigureAwait(false);
                return 0;
            }

            int count;
            var writer = new StreamWriter(file.FullName, append: false, new System.Text.UTF8Encoding(false));
            await using (writer.ConfigureAwait(false))
            {
                count = await AuditCsv.WriteAsync(writer, entries, cancellationToken).ConfigureAwait(false);
            }

            await error.WriteLineAsync(FormattableString.Invariant($"exported {count} entries to {file.FullName}")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static Command CreatePurge()
    {
        var before = new Option<string?>("--before") { Description = "Remove entries older than this date (ISO 8601); default: now minus Audit:Retention (6 months)" };
        var command = new Command("purge", "Apply the retention: remove the oldest entries, anchoring the chain so it stays verifiable");
        command.Options.Add(before);
        TrustSpaceCliHost.AddDatabaseOptions(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!TryParseTime(parseResult.GetValue(before), out var limit))
            {
                await parseResult.InvocationConfiguration.Error.WriteLineAsync("audit purge: --before takes an ISO 8601 date").ConfigureAwait(false);
                return 2;
            }

            await using var services = await TrustSpaceCliHost.BuildAsync(parseResult, null, cancellationToken).ConfigureAwait(false);
            var retention = services.GetRequiredService<IOptions<AuditOptions>>().Value.Retention;
            var result = await services.GetRequiredService<IAuditTrail>()
                .PurgeAsync(limit ?? DateTimeOffset.UtcNow - retention, cancellationToken).ConfigureAwait(false);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync(FormattableString.Invariant(
                $"purged {result.Purged} entries; anchor at entry {result.AnchorSequence} ({result.AnchorHash})")).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }
}
