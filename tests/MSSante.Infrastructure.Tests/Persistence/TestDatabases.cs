using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using MSSante.Infrastructure.Persistence;
using Npgsql;

namespace MSSante.Infrastructure.Tests.Persistence;

/// <summary>A database created for one test and removed afterwards, on either provider.</summary>
public abstract class TestDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    public abstract string ConnectionString { get; }

    public DatabaseOptions Options => new() { Provider = Provider, ConnectionString = ConnectionString };

    /// <summary>A service provider as a web host builds it: context factory and Data Protection.</summary>
    public ServiceProvider BuildHost(string applicationName = "MSSante.Webmail", IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = Provider.ToString(),
            ["Database:ConnectionString"] = ConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWebmailPersistence(configuration, Path.GetTempPath(), applicationName);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public abstract ValueTask DisposeAsync();

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.Sqlite => new SqliteTestDatabase(),
        DatabaseProvider.PostgreSql => await PostgreSqlTestDatabase.CreateAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

public sealed class SqliteTestDatabase : TestDatabase
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "mssante-db-" + Guid.NewGuid().ToString("N"));

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override string ConnectionString => $"Data Source={Path.Combine(_directory, "webmail.db")};Pooling=False";

    public override ValueTask DisposeAsync()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A throwaway database on the operator stack's PostgreSQL (deploy/stack.sh start; connection
/// string in .state/stack.json). Fails, never skips, when the stack is not running.
/// </summary>
public sealed class PostgreSqlTestDatabase : TestDatabase
{
    private readonly string _adminConnectionString;
    private readonly string _name;

    private PostgreSqlTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        _name = name;
        ConnectionString = connectionString;
    }

    public override DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public override string ConnectionString { get; }

    public static async Task<PostgreSqlTestDatabase> CreateAsync()
    {
        var admin = StackConnectionString();
        var name = "mssante_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(admin))
        {
            try
            {
                await connection.OpenAsync();
            }
            catch (NpgsqlException e)
            {
                throw new InvalidOperationException(
                    "The operator stack's PostgreSQL does not answer. Start the stack with: deploy/stack.sh start", e);
            }
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false };
        return new PostgreSqlTestDatabase(admin, name, builder.ConnectionString);
    }

    public override ValueTask DisposeAsync() => new(DropAsync(_adminConnectionString, _name));

    /// <summary>
    /// Drops a throwaway database. Not <c>WITH (FORCE)</c>: that fails with 42501 when an
    /// autovacuum worker (which runs as no ordinary role) is analysing the freshly loaded
    /// database. The test role's own leftover sessions are ended first; a plain DROP then asks
    /// autovacuum to leave by itself, and is tried again while a session is still going away.
    /// </summary>
    public static async Task DropAsync(string adminConnectionString, string name)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync();
        for (var attempt = 0; ; attempt++)
        {
            await using (var terminate = new NpgsqlCommand(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name AND usename = current_user AND pid <> pg_backend_pid()", connection))
            {
                terminate.Parameters.AddWithValue("name", name);
                await terminate.ExecuteNonQueryAsync();
            }
            try
            {
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\"", connection);
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectInUse && attempt < 20)
            {
                // A terminated session has not finished leaving yet.
                await Task.Delay(250);
            }
        }
    }

    private static string StackConnectionString()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MSSanteWebmail.sln")))
        {
            dir = dir.Parent;
        }
        var file = dir is null ? null : Path.Combine(dir.FullName, ".state", "stack.json");
        if (file is null || !File.Exists(file))
        {
            throw new InvalidOperationException(
                $"The operator stack is not running ({file ?? ".state/stack.json"} is missing). Start it with: deploy/stack.sh start");
        }
        using var document = JsonDocument.Parse(File.ReadAllText(file));
        var connectionString = document.RootElement.GetProperty("postgres").GetProperty("connectionString").GetString()!;
        return new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
    }
}
