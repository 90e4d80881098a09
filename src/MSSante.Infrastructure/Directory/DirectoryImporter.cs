using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MSSante.Domain.NationalDirectory;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// Imports the national directory extraction: streamed in batches (memory does not grow with
/// the file), idempotent (new mailboxes inserted, changed rows updated by comparing row hashes,
/// vanished mailboxes deleted), in one transaction so readers see the old or the new
/// directory, never half of it.
/// </summary>
public sealed partial class DirectoryImporter(
    IDbContextFactory<MSSanteDbContext> contexts,
    ILogger<DirectoryImporter> logger,
    TimeProvider? timeProvider = null)
{
    private const int BatchSize = 1000;
    private const int RowsPerInsert = 200; // 200 x 34 parameters stays under SQLite's 32,766.

    /// <summary>Imports a TXT or ZIP extraction file.</summary>
    public async Task<DirectoryImportResult> ImportFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = DirectoryExtractionReader.Open(path);
        await using (stream.ConfigureAwait(false))
        {
            return await ImportAsync(stream, Path.GetFullPath(path), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Imports an extraction read from <paramref name="stream"/> (the TXT content).</summary>
    /// <exception cref="DirectoryFormatException">Not an extraction, or no valid entry at all (the stored directory is kept).</exception>
    public async Task<DirectoryImportResult> ImportAsync(Stream stream, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var report = new DirectoryParseReport();
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var pg = DirectorySql.IsPostgreSql(context);
            var connection = context.Database.GetDbConnection();
            if (connection.State != ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            await DirectorySearchIndex.EnsureAsync(context, connection, cancellationToken).ConfigureAwait(false);
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var run = new ImportRun(connection, transaction, pg);
                await using var runScope = run.ConfigureAwait(false);
                await run.PrepareAsync(cancellationToken).ConfigureAwait(false);
                var batch = new Dictionary<string, DirectoryEntry>(BatchSize, StringComparer.Ordinal);
                await foreach (var entry in DirectoryExtractionReader.ReadAsync(stream, report, cancellationToken).ConfigureAwait(false))
                {
                    batch[entry.Address] = entry; // a repeated address: the last row wins
                    if (batch.Count == BatchSize)
                    {
                        await run.ApplyAsync(batch.Values, cancellationToken).ConfigureAwait(false);
                        batch.Clear();
                    }
                }

                await run.ApplyAsync(batch.Values, cancellationToken).ConfigureAwait(false);
                if (report.Entries == 0)
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    LogEmpty(logger, sourceName, report.Malformed);
                    throw new DirectoryFormatException("The extraction holds no valid entry: the stored directory is kept.");
                }

                var deleted = await run.DeleteVanishedAsync(cancellationToken).ConfigureAwait(false);
                var result = new DirectoryImportResult(
                    report.Entries, run.Inserted, run.Updated, run.Unchanged, deleted, report.Malformed, report.MalformedSamples);
                await run.RecordAsync(result, sourceName, (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                LogImported(logger, sourceName, result.Read, result.Inserted, result.Updated, result.Unchanged, result.Deleted, result.Malformed);
                return result;
            }
        }
    }

    [LoggerMessage(EventId = 7101, Level = LogLevel.Information,
        Message = "Directory imported from {Source}: {Read} read, {Inserted} inserted, {Updated} updated, {Unchanged} unchanged, {Deleted} deleted, {Malformed} malformed lines")]
    private static partial void LogImported(ILogger logger, string source, int read, int inserted, int updated, int unchanged, int deleted, int malformed);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Warning,
        Message = "Directory import from {Source} refused: no valid entry ({Malformed} malformed lines); the stored directory is kept")]
    private static partial void LogEmpty(ILogger logger, string source, int malformed);

    private sealed class ImportRun(DbConnection connection, DbTransaction transaction, bool pg) : IAsyncDisposable
    {
        private DbCommand? _lookup;
        private DbCommand? _insert;
        private DbCommand? _update;
        private DbCommand? _seen;

        public int Inserted { get; private set; }

        public int Updated { get; private set; }

        public int Unchanged { get; private set; }

        public async Task PrepareAsync(CancellationToken cancellationToken)
        {
            if (pg)
            {
                await ExecuteAsync("CREATE TEMP TABLE directory_seen (address varchar(254) PRIMARY KEY) ON COMMIT DROP", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ExecuteAsync("CREATE TEMP TABLE IF NOT EXISTS directory_seen (address TEXT PRIMARY KEY)", cancellationToken).ConfigureAwait(false);
                await ExecuteAsync("DELETE FROM directory_seen", cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task ApplyAsync(ICollection<DirectoryEntry> batch, CancellationToken cancellationToken)
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (!pg)
            {
                await ApplyRowByRowAsync(batch, cancellationToken).ConfigureAwait(false);
                return;
            }

            var existing = await ExistingHashesAsync(batch, cancellationToken).ConfigureAwait(false);
            var inserts = new List<DirectoryEntry>(batch.Count);
            foreach (var entry in batch)
            {
                if (!existing.TryGetValue(entry.Address, out var hash))
                {
                    inserts.Add(entry);
                }
                else if (!string.Equals(hash, entry.RowHash, StringComparison.Ordinal))
                {
                    await UpdateAsync(entry, cancellationToken).ConfigureAwait(false);
                    Updated++;
                }
                else
                {
                    Unchanged++;
                }
            }

            for (var i = 0; i < inserts.Count; i += RowsPerInsert)
            {
                await InsertAsync(inserts.Skip(i).Take(RowsPerInsert).ToList(), cancellationToken).ConfigureAwait(false);
            }

            Inserted += inserts.Count;
            await MarkSeenAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>
        /// SQLite path: prepared one-row statements. An in-process engine has no round trip to
        /// save, and SQLite looks bound parameter names up linearly, which makes statements
        /// with thousands of parameters quadratic.
        /// </summary>
        private async Task ApplyRowByRowAsync(ICollection<DirectoryEntry> batch, CancellationToken cancellationToken)
        {
            _lookup ??= Prepared($"SELECT row_hash FROM {DirectorySql.Table} WHERE address = @p0", 1);
            _insert ??= Prepared(
                $"INSERT INTO {DirectorySql.Table} ({string.Join(", ", DirectorySql.Columns.Select(c => c.Name))}) VALUES ({string.Join(", ", DirectorySql.Columns.Select((_, i) => "@p" + i))})",
                DirectorySql.Columns.Length);
            _update ??= Prepared(
                $"UPDATE {DirectorySql.Table} SET {string.Join(", ", DirectorySql.Columns.Skip(1).Select((c, i) => $"{c.Name} = @p{i + 1}"))} WHERE address = @p0",
                DirectorySql.Columns.Length);
            _seen ??= Prepared("INSERT INTO directory_seen (address) VALUES (@p0) ON CONFLICT DO NOTHING", 1);
            foreach (var entry in batch)
            {
                _lookup.Parameters[0].Value = entry.Address;
                var hash = await _lookup.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
                if (hash is null)
                {
                    Bind(_insert, entry);
                    await _insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    Inserted++;
                }
                else if (!string.Equals(hash, entry.RowHash, StringComparison.Ordinal))
                {
                    Bind(_update, entry);
                    await _update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    Updated++;
                }
                else
                {
                    Unchanged++;
                }

                _seen.Parameters[0].Value = entry.Address;
                await _seen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private static void Bind(DbCommand command, DirectoryEntry entry)
        {
            for (var c = 0; c < DirectorySql.Columns.Length; c++)
            {
                command.Parameters[c].Value = DirectorySql.Bind(entry, c);
            }
        }

        private DbCommand Prepared(string sql, int parameters)
        {
            var command = Command(sql);
            for (var i = 0; i < parameters; i++)
            {
                DirectorySql.AddParameter(command, "@p" + i, DBNull.Value);
            }

            command.Prepare();
            return command;
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var command in new[] { _lookup, _insert, _update, _seen })
            {
                if (command is not null)
                {
                    await command.DisposeAsync().ConfigureAwait(false);
                }
            }
        }

        public async Task<int> DeleteVanishedAsync(CancellationToken cancellationToken)
        {
            await using var command = Command(
                $"DELETE FROM {DirectorySql.Table} WHERE NOT EXISTS (SELECT 1 FROM directory_seen s WHERE s.address = {DirectorySql.Table}.address)");
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        public async Task RecordAsync(DirectoryImportResult result, string source, DateTime now, CancellationToken cancellationToken)
        {
            await using var command = Command(
                "INSERT INTO directory_imports (imported_at_utc, source, read, inserted, updated, unchanged, deleted, malformed) "
                + "VALUES (@at, @source, @read, @inserted, @updated, @unchanged, @deleted, @malformed)");
            DirectorySql.AddParameter(command, "@at", DateTime.SpecifyKind(now, DateTimeKind.Utc));
            DirectorySql.AddParameter(command, "@source", source.Length <= 2000 ? source : source[..2000]);
            DirectorySql.AddParameter(command, "@read", result.Read);
            DirectorySql.AddParameter(command, "@inserted", result.Inserted);
            DirectorySql.AddParameter(command, "@updated", result.Updated);
            DirectorySql.AddParameter(command, "@unchanged", result.Unchanged);
            DirectorySql.AddParameter(command, "@deleted", result.Deleted);
            DirectorySql.AddParameter(command, "@malformed", result.Malformed);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task<Dictionary<string, string>> ExistingHashesAsync(ICollection<DirectoryEntry> batch, CancellationToken cancellationToken)
        {
            var sql = new StringBuilder($"SELECT address, row_hash FROM {DirectorySql.Table} WHERE address IN (");
            await using var command = Command(string.Empty);
            var i = 0;
            foreach (var entry in batch)
            {
                sql.Append(i == 0 ? "@a0" : $", @a{i}");
                DirectorySql.AddParameter(command, $"@a{i}", entry.Address);
                i++;
            }

            command.CommandText = sql.Append(')').ToString();
            var result = new Dictionary<string, string>(batch.Count, StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                result[reader.GetString(0)] = reader.GetString(1);
            }

            return result;
        }

        private async Task InsertAsync(IReadOnlyList<DirectoryEntry> rows, CancellationToken cancellationToken)
        {
            var columns = DirectorySql.Columns;
            var sql = new StringBuilder($"INSERT INTO {DirectorySql.Table} (");
            sql.AppendJoin(", ", columns.Select(c => c.Name)).Append(") VALUES ");
            await using var command = Command(string.Empty);
            for (var r = 0; r < rows.Count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < columns.Length; c++)
                {
                    var name = $"@p{r}_{c}";
                    sql.Append(c == 0 ? name : ", " + name);
                    DirectorySql.AddParameter(command, name, DirectorySql.Bind(rows[r], c));
                }

                sql.Append(')');
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task UpdateAsync(DirectoryEntry entry, CancellationToken cancellationToken)
        {
            var columns = DirectorySql.Columns;
            var sql = new StringBuilder($"UPDATE {DirectorySql.Table} SET ");
            await using var command = Command(string.Empty);
            for (var c = 1; c < columns.Length; c++)
            {
                sql.Append(c == 1 ? string.Empty : ", ").Append(columns[c].Name).Append(" = @p").Append(c);
                DirectorySql.AddParameter(command, $"@p{c}", DirectorySql.Bind(entry, c));
            }

            sql.Append(" WHERE address = @p0");
            DirectorySql.AddParameter(command, "@p0", entry.Address);
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task MarkSeenAsync(ICollection<DirectoryEntry> batch, CancellationToken cancellationToken)
        {
            var sql = new StringBuilder("INSERT INTO directory_seen (address) VALUES ");
            await using var command = Command(string.Empty);
            var i = 0;
            foreach (var entry in batch)
            {
                sql.Append(i == 0 ? "(@a0)" : $", (@a{i})");
                DirectorySql.AddParameter(command, $"@a{i}", entry.Address);
                i++;
            }

            command.CommandText = sql.Append(" ON CONFLICT DO NOTHING").ToString();
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var command = Command(sql);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        private DbCommand Command(string sql)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            command.CommandTimeout = 600;
            return command;
        }
    }
}
