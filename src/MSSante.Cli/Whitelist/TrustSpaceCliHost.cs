using System.CommandLine;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MSSante.Infrastructure.Persistence;
using MSSante.Infrastructure.TrustSpace;

namespace MSSante.Cli.Whitelist;

/// <summary>
/// The database and trust-space services as the CLI uses them: the same settings as the web
/// host (<c>MSSANTE_SETTINGS_DIR</c>/*.json, then <c>Database__*</c>-style environment
/// variables), overridable by <c>--provider</c> and <c>--connection</c>. Pending migrations are
/// applied first, so an administrator can import into a fresh database.
/// </summary>
internal static class TrustSpaceCliHost
{
    public static readonly Option<DatabaseProvider?> ProviderOption = new("--provider")
    {
        Description = "Database engine: Sqlite or PostgreSql (default: the Database section of the settings, else Sqlite)",
    };

    public static readonly Option<string?> ConnectionOption = new("--connection")
    {
        Description = "ADO.NET connection string (default: the Database section of the settings, else data/webmail.db)",
    };

    /// <summary>Adds the database options to a command.</summary>
    public static void AddDatabaseOptions(Command command)
    {
        command.Options.Add(ProviderOption);
        command.Options.Add(ConnectionOption);
    }

    /// <summary>Builds the services for one command, migrated and ready.</summary>
    public static async Task<ServiceProvider> BuildAsync(ParseResult parseResult, IDictionary<string, string?>? overrides, CancellationToken cancellationToken)
    {
        var builder = new ConfigurationBuilder();
        var settingsDir = Environment.GetEnvironmentVariable("MSSANTE_SETTINGS_DIR");
        if (!string.IsNullOrEmpty(settingsDir) && System.IO.Directory.Exists(settingsDir))
        {
            foreach (var file in System.IO.Directory.GetFiles(settingsDir, "*.json").Order(StringComparer.Ordinal))
            {
                builder.AddJsonFile(file, optional: true);
            }
        }

        builder.AddEnvironmentVariables();
        var values = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (parseResult.GetValue(ProviderOption) is { } provider)
        {
            values["Database:Provider"] = provider.ToString();
        }

        if (parseResult.GetValue(ConnectionOption) is { } connection)
        {
            values["Database:ConnectionString"] = connection;
        }

        builder.AddInMemoryCollection(values);
        var configuration = builder.Build();
        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.SectionName).Bind(options);
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Error));
        services.AddMSSanteDbContextFactory(options, System.IO.Directory.GetCurrentDirectory());
        services.AddMSSanteTrustSpace(configuration, scheduled: false);
        var provider2 = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        var factory = provider2.GetRequiredService<IDbContextFactory<MSSanteDbContext>>();
        var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return provider2;
    }
}
