using System.ComponentModel.DataAnnotations;

namespace MSSante.Infrastructure.Persistence;

/// <summary>Which database engine holds the webmail's data.</summary>
public enum DatabaseProvider
{
    /// <summary>An embedded file: one host.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: several hosts share it (and the Data Protection key ring).</summary>
    PostgreSql,
}

/// <summary>Settings of section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// ADO.NET connection string. For SQLite it may be left empty: the file is then
    /// <c>webmail.db</c> under <see cref="DataDirectory"/>. Required for PostgreSQL.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Where the SQLite file goes when no connection string is given; relative to the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Apply pending migrations when the host starts (the default).</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>Seconds a single command may take before it is abandoned.</summary>
    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}
