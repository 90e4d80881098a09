using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// The full-text structures behind the directory search, which EF migrations cannot express
/// for both providers: an FTS5 external-content table kept in step by triggers on SQLite, a
/// GIN index over a <c>tsvector</c> expression on PostgreSQL. Created idempotently before the
/// first import or search of a process.
/// </summary>
internal static class DirectorySearchIndex
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly ConcurrentDictionary<string, bool> Ensured = new(StringComparer.Ordinal);

    /// <summary>The tsvector expression the PostgreSQL index is built on (queries must repeat it exactly).</summary>
    public const string PostgreSqlVector = "to_tsvector('simple'::regconfig, search_names || ' ' || search_other)";

    public static async Task EnsureAsync(DbContext context, DbConnection connection, CancellationToken cancellationToken)
    {
        var key = (DirectorySql.IsPostgreSql(context) ? "pg:" : "sqlite:") + connection.ConnectionString;
        if (Ensured.ContainsKey(key))
        {
            return;
        }

        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Ensured.ContainsKey(key))
            {
                return;
            }

            if (DirectorySql.IsPostgreSql(context))
            {
                await ExecuteAsync(connection, $"CREATE INDEX IF NOT EXISTS ix_directory_entries_search ON {DirectorySql.Table} USING gin ({PostgreSqlVector})", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await EnsureSqliteAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            Ensured[key] = true;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task EnsureSqliteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = $"SELECT count(*) FROM sqlite_master WHERE name = '{DirectorySql.FtsTable}'";
        var exists = Convert.ToInt64(await check.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
        const string Fts = DirectorySql.FtsTable;
        const string T = DirectorySql.Table;
        // Prefix indexes of 1 to 3 characters keep "m", "ma", "mar" fast for autocomplete.
        await ExecuteAsync(connection, $"CREATE VIRTUAL TABLE IF NOT EXISTS {Fts} USING fts5(search_names, search_other, content='{T}', content_rowid='id', tokenize='unicode61', prefix='1 2 3')", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE TRIGGER IF NOT EXISTS {T}_fts_ai AFTER INSERT ON {T} BEGIN INSERT INTO {Fts}(rowid, search_names, search_other) VALUES (new.id, new.search_names, new.search_other); END", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE TRIGGER IF NOT EXISTS {T}_fts_ad AFTER DELETE ON {T} BEGIN INSERT INTO {Fts}({Fts}, rowid, search_names, search_other) VALUES ('delete', old.id, old.search_names, old.search_other); END", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE TRIGGER IF NOT EXISTS {T}_fts_au AFTER UPDATE ON {T} BEGIN INSERT INTO {Fts}({Fts}, rowid, search_names, search_other) VALUES ('delete', old.id, old.search_names, old.search_other); INSERT INTO {Fts}(rowid, search_names, search_other) VALUES (new.id, new.search_names, new.search_other); END", cancellationToken).ConfigureAwait(false);
        if (!exists)
        {
            // Rows stored before the index existed.
            await ExecuteAsync(connection, $"INSERT INTO {Fts}({Fts}) VALUES ('rebuild')", cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
