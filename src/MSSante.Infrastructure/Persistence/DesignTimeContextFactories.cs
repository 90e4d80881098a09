using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace MSSante.Infrastructure.Persistence;

// Used only by dotnet-ef (deploy/ef-migrations.sh) to build the model of each provider;
// generating a migration never opens these connections.

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteMSSanteDbContext>
{
    public SqliteMSSanteDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<SqliteMSSanteDbContext>();
        PersistenceServiceCollectionExtensions.ConfigureSqlite(builder, "Data Source=design-time.db", 30);
        return new SqliteMSSanteDbContext(builder.Options);
    }
}

internal sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlMSSanteDbContext>
{
    public PostgreSqlMSSanteDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PostgreSqlMSSanteDbContext>();
        PersistenceServiceCollectionExtensions.ConfigurePostgreSql(builder, "Host=127.0.0.1;Database=design_time", 30);
        return new PostgreSqlMSSanteDbContext(builder.Options);
    }
}
