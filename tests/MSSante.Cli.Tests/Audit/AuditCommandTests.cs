using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Cli.Tests.Whitelist;
using MSSante.Domain.Audit;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;

namespace MSSante.Cli.Tests.Audit;

public sealed class AuditCommandTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly CliRunner _cli = new();

    public void Dispose() => _cli.Dispose();

    private async Task AppendAsync(int count)
    {
        // Entries written the way the web host writes them.
        Assert.Equal(0, (await _cli.RunAsync("audit", "verify")).ExitCode); // creates and migrates the database
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = _cli.ConnectionString,
        }).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddMSSanteDbContextFactory(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = _cli.ConnectionString }, _cli.Directory);
        services.AddMSSanteTrustSpace(configuration, scheduled: false);
        await using var provider = services.BuildServiceProvider();
        var trail = provider.GetRequiredService<IAuditTrail>();
        for (var i = 0; i < count; i++)
        {
            await trail.AppendAsync(new AuditRecord(
                "3990000001/SB0001",
                i % 2 == 0 ? "pneumologie@ch-demo.mssante.fr" : "paul.durand@ch-demo.mssante.fr",
                i % 3 == 0 ? AuditAction.Envoi : AuditAction.Consultation,
                true,
                TargetUid: 100 + i,
                TargetMessageId: $"<m{i}@ch-demo.mssante.fr>",
                ServerResponse: "OK",
                OccurredAt: T0.AddDays(i)));
        }
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection(_cli.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Verify_reports_an_intact_chain_then_names_a_modified_entry()
    {
        await AppendAsync(10);
        var ok = await _cli.RunAsync("audit", "verify");
        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("OK 10 entries verified; head ", ok.Output, StringComparison.Ordinal);

        await SqlAsync("UPDATE audit_entries SET action = 'Suppression' WHERE sequence = 7");
        var broken = await _cli.RunAsync("audit", "verify");

        Assert.Equal(4, broken.ExitCode);
        Assert.StartsWith("BROKEN at entry 7: modified:", broken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_names_deleted_and_reordered_entries()
    {
        await AppendAsync(10);
        await SqlAsync("UPDATE audit_entries SET sequence = 100 WHERE sequence = 3; UPDATE audit_entries SET sequence = 3 WHERE sequence = 4; UPDATE audit_entries SET sequence = 4 WHERE sequence = 100;");
        var reordered = await _cli.RunAsync("audit", "verify");
        Assert.StartsWith("BROKEN at entry 3: reordered:", reordered.Output, StringComparison.Ordinal);

        await SqlAsync("UPDATE audit_entries SET sequence = 100 WHERE sequence = 3; UPDATE audit_entries SET sequence = 3 WHERE sequence = 4; UPDATE audit_entries SET sequence = 4 WHERE sequence = 100;");
        Assert.Equal(0, (await _cli.RunAsync("audit", "verify")).ExitCode);
        await SqlAsync("DELETE FROM audit_entries WHERE sequence = 5");
        var deleted = await _cli.RunAsync("audit", "verify");
        Assert.StartsWith("BROKEN at entry 5: deleted:", deleted.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_filters_by_mailbox_and_dates_as_csv()
    {
        await AppendAsync(10);
        var csv = _cli.PathOf("audit.csv");

        var result = await _cli.RunAsync("audit", "export", "--mailbox", "pneumologie@ch-demo.mssante.fr", "--from", "2026-02-03", "--to", "2026-02-09", "--output", csv);

        Assert.Equal(0, result.ExitCode);
        var lines = await File.ReadAllLinesAsync(csv);
        Assert.Equal(string.Join(',', AuditCsv.Columns), lines[0]);
        // Days 2, 4, 6 (pneumologie is every even entry, 2026-02-01 + i days).
        Assert.Equal(["3", "5", "7"], lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.All(lines.Skip(1), l => Assert.Contains(",pneumologie@ch-demo.mssante.fr,", l, StringComparison.Ordinal));
        Assert.Contains("exported 3 entries", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purge_applies_the_retention_and_the_chain_still_verifies()
    {
        await AppendAsync(10);

        var purge = await _cli.RunAsync("audit", "purge", "--before", "2026-02-05");

        Assert.Equal(0, purge.ExitCode);
        Assert.StartsWith("purged 4 entries; anchor at entry 4 ", purge.Output, StringComparison.Ordinal);
        var verify = await _cli.RunAsync("audit", "verify");
        Assert.StartsWith("OK 6 entries verified", verify.Output, StringComparison.Ordinal);
        await using var connection = new SqliteConnection(_cli.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT min(sequence) FROM audit_entries";
        Assert.Equal(5L, await command.ExecuteScalarAsync());
    }
}
