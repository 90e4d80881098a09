using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;
using Npgsql;

namespace MSSante.Infrastructure.Tests.TrustSpace;

/// <summary>
/// A throwaway database for one test, migrated with the project's migrations, and the
/// trust-space services over it. PostgreSQL is the operator stack's (.state/stack.json):
/// the test fails, never skips, when the stack is not running.
/// </summary>
public sealed class TrustSpaceDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _drop;

    private TrustSpaceDatabase(DatabaseProvider provider, string connectionString, Func<ValueTask> drop, IReadOnlyDictionary<string, string?>? settings)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _drop = drop;
        var values = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = connectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.SectionName).Bind(options);
        services.AddMSSanteDbContextFactory(options, Path.GetTempPath());
        services.AddMSSanteTrustSpace(configuration, scheduled: false);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.PostgreSql];

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public ServiceProvider Services { get; }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public static async Task<TrustSpaceDatabase> CreateAsync(DatabaseProvider provider, IReadOnlyDictionary<string, string?>? settings = null)
    {
        TrustSpaceDatabase database;
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "mssante-trust-" + Guid.NewGuid().ToString("N"));
            System.IO.Directory.CreateDirectory(dir);
            database = new TrustSpaceDatabase(provider, $"Data Source={Path.Combine(dir, "webmail.db")};Pooling=False", () =>
            {
                System.IO.Directory.Delete(dir, recursive: true);
                return ValueTask.CompletedTask;
            }, settings);
        }
        else
        {
            var admin = StackConnectionString();
            var name = "mssante_trust_" + Guid.NewGuid().ToString("N")[..16];
            await using (var connection = new NpgsqlConnection(admin))
            {
                try
                {
                    await connection.OpenAsync();
                }
                catch (NpgsqlException e)
                {
                    throw new InvalidOperationException("The operator stack's PostgreSQL does not answer. Start the stack with: deploy/stack.sh start", e);
                }

                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync();
            }

            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = false }.ConnectionString;
            database = new TrustSpaceDatabase(provider, connectionString, () => new ValueTask(Persistence.PostgreSqlTestDatabase.DropAsync(admin, name)), settings);
        }

        // The project's migrations, as the web host applies them at start-up.
        await using var context = await database.Get<IDbContextFactory<MSSanteDbContext>>().CreateDbContextAsync();
        await context.Database.MigrateAsync();
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        await _drop();
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
