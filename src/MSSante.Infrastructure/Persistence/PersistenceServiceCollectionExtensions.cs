using System.Data.Common;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MSSante.Infrastructure.Persistence.DataProtection;

namespace MSSante.Infrastructure.Persistence;

/// <summary>Registration of the database and of the Data Protection key ring stored in it.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IDbContextFactory{TContext}"/> of <see cref="MSSanteDbContext"/> for
    /// the provider chosen in section <c>Database</c>, and keeps the Data Protection key ring in
    /// that database under <paramref name="applicationName"/>.
    /// </summary>
    public static IServiceCollection AddWebmailPersistence(
        this IServiceCollection services,
        IConfiguration configuration,
        string contentRootPath,
        string applicationName = "MSSante.Webmail")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.Provider != DatabaseProvider.PostgreSql || !string.IsNullOrWhiteSpace(o.ConnectionString),
                "Database:ConnectionString is required when Database:Provider is PostgreSql.")
            .ValidateOnStart();

        var options = new DatabaseOptions();
        configuration.GetSection(DatabaseOptions.SectionName).Bind(options);
        services.AddMSSanteDbContextFactory(options, contentRootPath);

        var dataProtection = services.AddDataProtection()
            .SetApplicationName(applicationName);
        var encryption = new KeyEncryptionOptions();
        configuration.GetSection(KeyEncryptionOptions.SectionName).Bind(encryption);
        if (!string.IsNullOrWhiteSpace(encryption.CertificateFile))
        {
            var current = LoadCertificate(encryption.CertificateFile, encryption.KeyFile);
            var readable = encryption.PreviousCertificates
                .Select(pair => pair.Split('|', 2))
                .Select(parts => LoadCertificate(parts[0], parts.Length > 1 ? parts[1] : null))
                .Prepend(current)
                .ToArray();
            dataProtection.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate(readable);
        }
        services.AddSingleton<DatabaseXmlRepository>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<DatabaseXmlRepository>((o, repository) => o.XmlRepository = repository);
        return services;
    }

    private static X509Certificate2 LoadCertificate(string certificateFile, string? keyFile)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(certificateFile, string.IsNullOrWhiteSpace(keyFile) ? null : keyFile);
            if (!certificate.HasPrivateKey || certificate.GetRSAPublicKey() is null)
            {
                throw new InvalidOperationException(
                    $"DataProtection: {certificateFile} needs an RSA key and its private key (KeyFile) to encrypt and read the key ring.");
            }

            return certificate;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"DataProtection: cannot load the key-encryption certificate {certificateFile}: {ex.Message}", ex);
        }
    }

    /// <summary>Registers the context factory alone (tests and tools use it without a web host).</summary>
    public static IServiceCollection AddMSSanteDbContextFactory(
        this IServiceCollection services, DatabaseOptions options, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var sqlite = ResolveSqliteConnectionString(options, contentRootPath);
                services.AddDbContextFactory<SqliteMSSanteDbContext>(b => ConfigureSqlite(b, sqlite, options.CommandTimeoutSeconds));
                services.AddSingleton<IDbContextFactory<MSSanteDbContext>>(sp =>
                    new BaseContextFactory<SqliteMSSanteDbContext>(sp.GetRequiredService<IDbContextFactory<SqliteMSSanteDbContext>>()));
                break;
            case DatabaseProvider.PostgreSql:
                var connectionString = options.ConnectionString ?? "";
                services.AddDbContextFactory<PostgreSqlMSSanteDbContext>(b => ConfigurePostgreSql(b, connectionString, options.CommandTimeoutSeconds));
                services.AddSingleton<IDbContextFactory<MSSanteDbContext>>(sp =>
                    new BaseContextFactory<PostgreSqlMSSanteDbContext>(sp.GetRequiredService<IDbContextFactory<PostgreSqlMSSanteDbContext>>()));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {options.Provider}.");
        }
        return services;
    }

    /// <summary>Applies pending migrations, when <see cref="DatabaseOptions.MigrateOnStartup"/> says so.</summary>
    public static async Task MigrateWebmailDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStartup)
        {
            return;
        }
        var factory = services.GetRequiredService<IDbContextFactory<MSSanteDbContext>>();
        await using var context = await factory.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        // EF Core takes a database lock while migrating, so several hosts may start together.
        await context.Database.MigrateAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder builder, string connectionString, int commandTimeoutSeconds) =>
        builder.UseSqlite(connectionString, sqlite => sqlite
            .CommandTimeout(commandTimeoutSeconds)
            .MigrationsHistoryTable("__ef_migrations_history"));

    internal static void ConfigurePostgreSql(DbContextOptionsBuilder builder, string connectionString, int commandTimeoutSeconds) =>
        builder.UseNpgsql(connectionString, npgsql => npgsql
            .CommandTimeout(commandTimeoutSeconds)
            .MigrationsHistoryTable("__ef_migrations_history"));

    /// <summary>
    /// The SQLite connection string with a relative data source resolved against the content
    /// root, and the file's directory created (SQLite creates the file, not its directory).
    /// </summary>
    public static string ResolveSqliteConnectionString(DatabaseOptions options, string contentRootPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataDirectory, "webmail.db") }
            : new SqliteConnectionStringBuilder(options.ConnectionString);
        var source = builder.DataSource;
        if (!string.IsNullOrEmpty(source) && source != ":memory:" && builder.Mode != SqliteOpenMode.Memory)
        {
            source = Path.GetFullPath(source, contentRootPath);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            builder.DataSource = source;
        }
        // Several circuits write preferences at once; wait for the lock instead of failing.
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, options.CommandTimeoutSeconds);
        return builder.ToString();
    }

    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<MSSanteDbContext>
        where TContext : MSSanteDbContext
    {
        public MSSanteDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<MSSanteDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
    }
}
