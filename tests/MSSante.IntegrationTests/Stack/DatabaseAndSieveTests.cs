using Npgsql;

namespace MSSante.IntegrationTests.Stack;

/// <summary>The stack's PostgreSQL cluster and ManageSieve service answer as the contract says.</summary>
[Collection(StackCollection.Name)]
public sealed class DatabaseAndSieveTests
{
    private readonly StackFacts _stack = StackFacts.Load();

    [Fact]
    public async Task The_mssante_role_logs_in_over_TCP_and_may_create_throwaway_databases()
    {
        var connectionString = _stack.Info.Json.GetProperty("postgres").GetProperty("connectionString").GetString()!;
        var name = "stack_test_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        await using (var who = new NpgsqlCommand("SELECT current_user, current_database()", connection))
        await using (var reader = await who.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal("mssante", reader.GetString(0));
            Assert.Equal("mssante", reader.GetString(1));
        }
        await using (var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection))
        {
            await create.ExecuteNonQueryAsync();
        }
        await using (var drop = new NpgsqlCommand($"DROP DATABASE {name}", connection))
        {
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_wrong_database_password_is_refused()
    {
        var builder = new NpgsqlConnectionStringBuilder(_stack.Info.Json.GetProperty("postgres").GetProperty("connectionString").GetString()!)
        {
            Password = "pas-le-bon-mot-de-passe",
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);

        var e = await Assert.ThrowsAsync<PostgresException>(() => connection.OpenAsync());
        Assert.Equal("28P01", e.SqlState);
    }

    [Fact]
    public async Task ManageSieve_offers_STARTTLS_and_the_sieve_extensions()
    {
        await using var sieve = await RawConnection.OpenAsync(_stack, _stack.Info.Port("managesieve"), implicitTls: false);
        var capabilities = new List<string>();
        string? line;
        while ((line = await sieve.ReadLineAsync()) is not null && !line.StartsWith("OK", StringComparison.Ordinal))
        {
            capabilities.Add(line);
        }

        Assert.NotNull(line);
        Assert.Contains("\"STARTTLS\"", capabilities);
        Assert.Contains(capabilities, c => c.StartsWith("\"SIEVE\"", StringComparison.Ordinal) && c.Contains("vacation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_mailbox_has_the_national_2_GB_quota()
    {
        await using var imap = await RawImap.ConnectAsync(_stack);
        await imap.LoginAsync(_stack, StackFacts.Jeanne);

        var quota = await imap.CommandAsync("GETQUOTAROOT INBOX");

        Assert.True(quota.Ok, quota.ToString());
        // RFC 9208 §5.1: STORAGE usage and limit in units of 1024 octets.
        Assert.Contains(quota.Untagged, l => l.StartsWith("* QUOTA ", StringComparison.Ordinal) && l.Contains(" 2097152", StringComparison.Ordinal));
    }
}
