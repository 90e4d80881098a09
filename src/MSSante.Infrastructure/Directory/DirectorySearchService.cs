using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MSSante.Domain.NationalDirectory;
using MSSante.Domain.TrustSpace;
using MSSante.Infrastructure.Persistence;

namespace MSSante.Infrastructure.NationalDirectory;

/// <summary>
/// Directory search over the full-text index: every query word must start a word of the
/// entry (names, profession, specialty, structure, address, postcode, ids); surname and first
/// name matches weigh ten times more than the rest. SQLite uses FTS5 with BM25, PostgreSQL a
/// GIN <c>tsvector</c> index with <c>ts_rank</c>.
/// </summary>
public sealed class DirectorySearchService(IDbContextFactory<MSSanteDbContext> contexts, IOptions<DirectoryOptions>? options = null)
    : IDirectorySearch, ITrustSpaceSuggestionSource
{
    private readonly int _rankedMatchLimit = options?.Value.RankedMatchLimit ?? new DirectoryOptions().RankedMatchLimit;

    /// <inheritdoc />
    public async Task<DirectoryPage> SearchAsync(DirectoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        if (query.Tokens.Count == 0)
        {
            return new DirectoryPage([], false);
        }

        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var connection = await OpenAsync(context, cancellationToken).ConfigureAwait(false);
            if (!DirectorySql.IsPostgreSql(context))
            {
                return await SearchSqliteAsync(connection, query, cancellationToken).ConfigureAwait(false);
            }

            await using var command = connection.CreateCommand();
            var typeFilter = query.Type is { } type ? " AND e.mailbox_type = @type" : string.Empty;
            if (query.Type is { } t)
            {
                DirectorySql.AddParameter(command, "@type", t.ToString().ToUpperInvariant());
            }

            // Tokens hold letters and digits only (SearchText), so they are safe tsquery words.
            DirectorySql.AddParameter(command, "@q", string.Join(" & ", query.Tokens.Select(w => w + ":*")));
            command.CommandText =
                $"SELECT {Prefixed()} FROM {DirectorySql.Table} e, to_tsquery('simple', @q) q "
                + $"WHERE {DirectorySearchIndex.PostgreSqlVector.Replace("search_", "e.search_", StringComparison.Ordinal)} @@ q{typeFilter} "
                + "ORDER BY ts_rank(setweight(to_tsvector('simple'::regconfig, e.search_names), 'A') || setweight(to_tsvector('simple'::regconfig, e.search_other), 'D'), q) DESC, e.search_names, e.id "
                + "LIMIT @take OFFSET @skip";
            DirectorySql.AddParameter(command, "@take", query.PageSize + 1);
            DirectorySql.AddParameter(command, "@skip", query.Page * query.PageSize);
            var entries = new List<DirectoryEntry>(query.PageSize + 1);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                entries.Add(DirectorySql.Read(reader));
            }

            var hasMore = entries.Count > query.PageSize;
            if (hasMore)
            {
                entries.RemoveAt(entries.Count - 1);
            }

            return new DirectoryPage(entries, hasMore);
        }
    }

    /// <summary>
    /// SQLite: BM25 costs about ten microseconds per matching row, so it ranks only queries
    /// with at most <see cref="DirectoryOptions.RankedMatchLimit"/> matches. A broader query
    /// ("mar", a specialty, a big town) is paged without scoring: entries whose names hold
    /// every word first, then the others, each in index order. Both tiers stop at the page.
    /// </summary>
    private async Task<DirectoryPage> SearchSqliteAsync(DbConnection connection, DirectoryQuery query, CancellationToken cancellationToken)
    {
        const string Fts = DirectorySql.FtsTable;
        var match = string.Join(" AND ", query.Tokens.Select(w => "\"" + w + "\"*"));
        var typeJoin = query.Type is null ? string.Empty : $" JOIN {DirectorySql.Table} t ON t.id = {Fts}.rowid AND t.mailbox_type = @type";
        var type = query.Type?.ToString().ToUpperInvariant();
        var take = query.PageSize + 1;
        var skip = query.Page * query.PageSize;

        var probe = await ReadIdsAsync(connection, $"SELECT {Fts}.rowid FROM {Fts}{typeJoin} WHERE {Fts} MATCH @q LIMIT @take OFFSET 0",
            match, type, _rankedMatchLimit + 1, 0, cancellationToken).ConfigureAwait(false);
        List<long> ids;
        if (probe.Count <= _rankedMatchLimit)
        {
            ids = await ReadIdsAsync(connection,
                $"SELECT {Fts}.rowid FROM {Fts}{typeJoin} WHERE {Fts} MATCH @q ORDER BY bm25({Fts}, 10.0, 1.0), {Fts}.rowid LIMIT @take OFFSET @skip",
                match, type, take, skip, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var names = "{search_names} : (" + match + ")";
            var tier = $"SELECT {Fts}.rowid FROM {Fts}{typeJoin} WHERE {Fts} MATCH @q ORDER BY {Fts}.rowid LIMIT @take OFFSET @skip";
            ids = await ReadIdsAsync(connection, tier, names, type, take, skip, cancellationToken).ConfigureAwait(false);
            if (ids.Count < take)
            {
                // The names tier ends in this page: continue with the other matches.
                var namesCount = ids.Count > 0 ? skip + ids.Count
                    : await CountAsync(connection, $"SELECT count(*) FROM {Fts}{typeJoin} WHERE {Fts} MATCH @q", names, type, cancellationToken).ConfigureAwait(false);
                var others = "(" + match + ") NOT (" + names + ")";
                ids.AddRange(await ReadIdsAsync(connection, tier, others, type, take - ids.Count, Math.Max(0, skip - namesCount), cancellationToken).ConfigureAwait(false));
            }
        }

        var entries = await ReadEntriesAsync(connection, ids, cancellationToken).ConfigureAwait(false);
        var hasMore = entries.Count > query.PageSize;
        if (hasMore)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return new DirectoryPage(entries, hasMore);
    }

    private static async Task<List<long>> ReadIdsAsync(DbConnection connection, string sql, string match, string? type, int take, int skip, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        DirectorySql.AddParameter(command, "@q", match);
        DirectorySql.AddParameter(command, "@take", take);
        DirectorySql.AddParameter(command, "@skip", skip);
        if (type is not null)
        {
            DirectorySql.AddParameter(command, "@type", type);
        }

        var ids = new List<long>(Math.Min(take, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<int> CountAsync(DbConnection connection, string sql, string match, string? type, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        DirectorySql.AddParameter(command, "@q", match);
        if (type is not null)
        {
            DirectorySql.AddParameter(command, "@type", type);
        }

        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The entries of <paramref name="ids"/>, in that order.</summary>
    private static async Task<List<DirectoryEntry>> ReadEntriesAsync(DbConnection connection, List<long> ids, CancellationToken cancellationToken)
    {
        var entries = new List<DirectoryEntry>(ids.Count);
        if (ids.Count == 0)
        {
            return entries;
        }

        await using var command = connection.CreateCommand();
        var names = new string[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            names[i] = "@id" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            DirectorySql.AddParameter(command, names[i], ids[i]);
        }

        command.CommandText = $"SELECT {Prefixed()} FROM {DirectorySql.Table} e WHERE e.id IN ({string.Join(", ", names)})";
        var byId = new Dictionary<long, DirectoryEntry>(ids.Count);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                byId[reader.GetInt64(0)] = DirectorySql.Read(reader);
            }
        }

        foreach (var id in ids)
        {
            if (byId.TryGetValue(id, out var entry))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    /// <inheritdoc />
    public async Task<DirectoryEntry?> FindByAddressAsync(string address, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var context = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using (context.ConfigureAwait(false))
        {
            var connection = await OpenAsync(context, cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {DirectorySql.SelectList} FROM {DirectorySql.Table} WHERE address = @a";
            DirectorySql.AddParameter(command, "@a", address.Trim().ToLowerInvariant());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? DirectorySql.Read(reader) : null;
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<TrustSpaceSuggestion>> SuggestAsync(
        IReadOnlyList<string> nameTokens, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nameTokens);
        if (nameTokens.Count == 0 || limit <= 0)
        {
            return [];
        }

        var page = await SearchAsync(new DirectoryQuery(string.Join(' ', nameTokens), 0, Math.Min(limit, 100)), cancellationToken).ConfigureAwait(false);
        return page.Entries
            .Where(e => nameTokens.All(t => DirectoryMatcher.Matches(e.SearchNames, string.Empty, [t])))
            .Select(e => new TrustSpaceSuggestion(e.Address, e.DisplayName))
            .ToList();
    }

    private static string Prefixed()
    {
        var builder = new StringBuilder("e.id");
        foreach (var column in DirectorySql.Columns)
        {
            builder.Append(", e.").Append(column.Name);
        }

        return builder.ToString();
    }

    private static async Task<DbConnection> OpenAsync(DbContext context, CancellationToken cancellationToken)
    {
        var connection = context.Database.GetDbConnection();
        if (connection.State != ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        await DirectorySearchIndex.EnsureAsync(context, connection, cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
