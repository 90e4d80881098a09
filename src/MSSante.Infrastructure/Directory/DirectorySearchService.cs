using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
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
public sealed class DirectorySearchService(IDbContextFactory<MSSanteDbContext> contexts) : IDirectorySearch, ITrustSpaceSuggestionSource
{
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
            await using var command = connection.CreateCommand();
            var pg = DirectorySql.IsPostgreSql(context);
            var typeFilter = query.Type is { } type ? " AND e.mailbox_type = @type" : string.Empty;
            if (query.Type is { } t)
            {
                DirectorySql.AddParameter(command, "@type", t.ToString().ToUpperInvariant());
            }

            if (pg)
            {
                // Tokens hold letters and digits only (SearchText), so they are safe tsquery words.
                DirectorySql.AddParameter(command, "@q", string.Join(" & ", query.Tokens.Select(w => w + ":*")));
                command.CommandText =
                    $"SELECT {Prefixed()} FROM {DirectorySql.Table} e, to_tsquery('simple', @q) q "
                    + $"WHERE {DirectorySearchIndex.PostgreSqlVector.Replace("search_", "e.search_", StringComparison.Ordinal)} @@ q{typeFilter} "
                    + "ORDER BY ts_rank(setweight(to_tsvector('simple'::regconfig, e.search_names), 'A') || setweight(to_tsvector('simple'::regconfig, e.search_other), 'D'), q) DESC, e.search_names, e.id "
                    + "LIMIT @take OFFSET @skip";
            }
            else
            {
                DirectorySql.AddParameter(command, "@q", string.Join(" AND ", query.Tokens.Select(w => "\"" + w + "\"*")));
                // Rank and page inside the FTS table, then join only the page: joining every
                // match before sorting made broad queries ("mar", a big town) slow.
                var ranked = query.Type is null
                    ? $"SELECT rowid AS id, bm25({DirectorySql.FtsTable}, 10.0, 1.0) AS score FROM {DirectorySql.FtsTable} "
                        + $"WHERE {DirectorySql.FtsTable} MATCH @q ORDER BY score, rowid LIMIT @take OFFSET @skip"
                    : $"SELECT {DirectorySql.FtsTable}.rowid AS id, bm25({DirectorySql.FtsTable}, 10.0, 1.0) AS score FROM {DirectorySql.FtsTable} "
                        + $"JOIN {DirectorySql.Table} t ON t.id = {DirectorySql.FtsTable}.rowid "
                        + $"WHERE {DirectorySql.FtsTable} MATCH @q AND t.mailbox_type = @type ORDER BY score, {DirectorySql.FtsTable}.rowid LIMIT @take OFFSET @skip";
                command.CommandText =
                    $"SELECT {Prefixed()} FROM ({ranked}) r JOIN {DirectorySql.Table} e ON e.id = r.id ORDER BY r.score, r.id";
            }

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
