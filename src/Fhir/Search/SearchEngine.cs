using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;

using YTeSo.Fhir.Access;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Persistence;

namespace YTeSo.Fhir.Search;

/// <summary>What one page of a search produced.</summary>
internal sealed record SearchOutcome(List<StoredResource> Matches, List<StoredResource> Included, long? Total, string? NextCursor);

/// <summary>
/// Runs searches. Paging is keyset-based (ADR 0003): the cursor carries the sort values and key of the last row,
/// so a page never repeats or skips a resource when others insert or delete meanwhile, and deep pages cost the
/// same as the first.
/// </summary>
internal sealed class SearchEngine(FhirStore store, SearchSqlBuilder builder, SearchParameterCatalog catalog, AccessSql accessSql)
{
    public async Task<SearchOutcome> SearchAsync(FhirAccess access, SearchQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        var p = new SqlParameters();
        var where = await WhereAsync(connection, access, query, p, cancellationToken);
        long? total = null;
        var exactTotal = query.Total == TotalMode.Accurate || query.Summary == "count";
        if (exactTotal || (query.Total == TotalMode.Default && query.Cursor is null))
        {
            // search.html#total: the total is optional unless asked for. Counting every match of a broad search
            // ("name=nguyen" in a province) costs more than the page itself, so by default the count stops past
            // FhirSearchPage.DefaultTotalLimit and Bundle.total is left out; _total=accurate always counts.
            await using var countCommand = connection.CreateCommand();
            countCommand.CommandText = exactTotal
                ? $"SELECT COUNT(*) FROM resources r WHERE {where}"
                : $"SELECT COUNT(*) FROM (SELECT 1 FROM resources r WHERE {where} LIMIT {FhirSearchPage.DefaultTotalLimit + 1}) counted";
            p.ApplyTo(countCommand);
            total = Convert.ToInt64(await countCommand.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (!exactTotal && total > FhirSearchPage.DefaultTotalLimit)
            {
                total = null;
            }
        }

        if (query.Summary == "count" || query.Count == 0)
        {
            return new SearchOutcome([], [], total, null);
        }

        var sorts = query.Sort.Select(s => (Key: s, Expr: SearchSqlBuilder.SortExpression(s, p))).ToList();
        var keyset = query.Cursor is null ? null : KeysetCondition(sorts, DecodeCursor(query.Cursor, sorts.Count), p);
        var select = new StringBuilder().Append("SELECT r.resource_key, r.resource_type, r.resource_id, r.version, r.last_updated, r.is_deleted, ").Append(store.Database.BodyText("r.body"));
        for (var i = 0; i < sorts.Count; i++)
        {
            select.Append(", ").Append(sorts[i].Expr.Sql).Append(" AS s").Append(i);
        }

        select.Append(" FROM resources r WHERE ").Append(where);
        if (keyset is not null)
        {
            select.Append(" AND (").Append(keyset).Append(')');
        }

        select.Append(" ORDER BY ");
        for (var i = 0; i < sorts.Count; i++)
        {
            select.Append('s').Append(i).Append(sorts[i].Key.Descending ? " DESC, " : " ASC, ");
        }

        select.Append("r.resource_key ASC LIMIT ").Append(p.Add(query.Count + 1));

        await using var command = connection.CreateCommand();
        command.CommandText = select.ToString();
        p.ApplyTo(command);
        var matches = new List<StoredResource>();
        var lastSortValues = new object?[sorts.Count];
        var hasMore = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (matches.Count == query.Count)
                {
                    hasMore = true;
                    break;
                }

                matches.Add(FhirStore.ReadRow(reader));
                for (var i = 0; i < sorts.Count; i++)
                {
                    lastSortValues[i] = reader.IsDBNull(7 + i) ? null : ReadSortValue(reader, 7 + i, sorts[i].Expr.ValueType);
                }
            }
        }

        var cursor = hasMore ? EncodeCursor(lastSortValues, matches[^1].Key) : null;
        var included = await IncludesAsync(connection, access, query, matches, cancellationToken);
        return new SearchOutcome(matches, included, total, cursor);
    }

    /// <summary>
    /// The search criteria and the caller's access, in one WHERE clause (see <see cref="AccessSql"/>). A facility-scoped
    /// search starts from the facility's patients (<see cref="AccessSql.Candidates"/>, every criterion then checked per
    /// row) when no criterion leads, or on SQLite when <paramref name="connection"/> is given and
    /// <see cref="FacilityLeadsAsync"/> finds the leading criterion broader than the facility. Either plan returns the same rows: the access condition
    /// decides every row in both.
    /// </summary>
    private async Task<string> WhereAsync(DbConnection? connection, FhirAccess access, SearchQuery query, SqlParameters p, CancellationToken cancellationToken)
    {
        // PostgreSQL's planner already turns the filter's EXISTS into semi-joins that start from the facility
        // (docs/security.md); forcing the candidate list there made Condition?code three times slower (docs/benchmarks.md).
        var facilityLeads = !SearchSqlBuilder.HasLeadingCriterion(query)
            || (connection is not null && store.Database.Provider == DatabaseProvider.Sqlite && await FacilityLeadsAsync(connection, access, query, cancellationToken));
        var candidates = facilityLeads ? accessSql.Candidates(access, query.ResourceType, "r", p) : null;
        var rowVisible = candidates is null ? null : accessSql.Visible(access, query.ResourceType, "r", p, fromCandidates: true) ?? "1 = 1";
        var where = builder.Where(query, p, visibility: (type, alias) => accessSql.Visible(access, type, alias, p), criteriaLead: candidates is null, rowVisible: rowVisible);
        return candidates is null ? where : where + " AND " + candidates;
    }

    /// <summary>
    /// A selectivity estimate from the indexes themselves, for a facility-scoped search led by a criterion: true when the
    /// criterion has more index rows than the facility has candidate rows (its patients, or their compartment rows of
    /// the type). Criterion-first walks every match and checks the filter on each (a facility sees ~1/23 of
    /// "name=nguyen" province-wide, so the capped total of 1,000 never stops it early); facility-first walks the
    /// candidates and checks the criterion on each. Both counts stop early: the criterion's at <see cref="ProbeLimit"/>,
    /// and not at all past <see cref="NarrowLead"/> rows (one citizen's encounters, a CCCD), where criterion-first is
    /// cheap whatever the facility; the facility's at the criterion's count, all the comparison needs.
    /// SQLite's sqlite_stat1 is pinned to a large store's shape (Schema.cs), so it cannot tell one value from another.
    /// </summary>
    private async Task<bool> FacilityLeadsAsync(DbConnection connection, FhirAccess access, SearchQuery query, CancellationToken cancellationToken)
    {
        var (pc, pm) = (new SqlParameters(), new SqlParameters());
        if (SearchSqlBuilder.LeadingCriterion(query) is not { } lead || accessSql.CandidateRows(access, query.ResourceType, pc) is not { } candidates)
        {
            return false;
        }

        if (candidates.Length == 0)
        {
            return true;
        }

        var matches = await CountAsync(connection, builder.MatchRows(lead, pm), ProbeLimit, pm, cancellationToken);
        return matches > NarrowLead && await CountAsync(connection, candidates, matches, pc, cancellationToken) < matches;
    }

    private const int NarrowLead = 100;

    private const long ProbeLimit = 20_000;

    private static async Task<long> CountAsync(DbConnection connection, string rows, long limit, SqlParameters p, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM ({rows} LIMIT {limit.ToString(CultureInfo.InvariantCulture)}) probed";
        p.ApplyTo(command);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Keys of current resources matching the query that the caller can see (for conditional create, update and delete:
    /// a hidden resource never matches, so writing never reveals that it exists).
    /// </summary>
    public async Task<List<(long Key, string Id)>> FindAsync(FhirAccess access, DbConnection connection, DbTransaction? transaction, SearchQuery query, int limit, CancellationToken cancellationToken)
    {
        var p = new SqlParameters();
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // Conditional writes keep the criterion-first plan (no probe inside the write transaction): they name one resource.
        command.CommandText = $"SELECT r.resource_key, r.resource_id FROM resources r WHERE {await WhereAsync(null, access, query, p, cancellationToken)} ORDER BY r.resource_key LIMIT {limit}";
        p.ApplyTo(command);
        var found = new List<(long, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add((reader.GetInt64(0), reader.GetString(1)));
        }

        return found;
    }

    /// <summary>Included and revincluded resources, through the same access condition as the matches.</summary>
    private async Task<List<StoredResource>> IncludesAsync(DbConnection connection, FhirAccess access, SearchQuery query, List<StoredResource> matches, CancellationToken cancellationToken)
    {
        if (matches.Count == 0 || (query.Includes.Count == 0 && query.RevIncludes.Count == 0))
        {
            return [];
        }

        var seen = matches.Select(m => m.Key).ToHashSet();
        var included = new List<StoredResource>();
        var keys = string.Join(",", matches.Select(m => m.Key));
        foreach (var include in query.Includes)
        {
            var p = new SqlParameters();
            var paramFilter = include.Wildcard
                ? string.Join(",", catalog.For(query.ResourceType).Where(x => x.Kind == SearchParamKind.Reference && x.Id != 0).Select(x => x.Id.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("0"))
                : include.Parameter!.Id.ToString(CultureInfo.InvariantCulture);
            var typeFilter = include.TargetType is null ? string.Empty : $" AND x.target_type = {p.Add(include.TargetType)}";
            var visible = accessSql.Visible(access, include.TargetType, "t", p) is { } v ? $" AND {v}" : string.Empty;
            var sql = $"""
                SELECT t.resource_key FROM resources t
                WHERE t.is_deleted = 0{visible} AND EXISTS (SELECT 1 FROM idx_reference x WHERE x.resource_key IN ({keys}) AND x.param_id IN ({paramFilter}){typeFilter}
                  AND x.target_type = t.resource_type AND x.target_id = t.resource_id)
                LIMIT {SearchLimits.MaxIncluded}
                """;
            await AddByKeysAsync(connection, sql, p, seen, included, cancellationToken);
        }

        foreach (var revInclude in query.RevIncludes)
        {
            var p = new SqlParameters();
            var paramFilter = revInclude.Wildcard
                ? string.Join(",", catalog.For(revInclude.SourceType).Where(x => x.Kind == SearchParamKind.Reference && x.Id != 0).Select(x => x.Id.ToString(CultureInfo.InvariantCulture)).DefaultIfEmpty("0"))
                : revInclude.Parameter!.Id.ToString(CultureInfo.InvariantCulture);
            var ids = string.Join(",", matches.Select(m => p.Add(m.Id)));
            var visible = accessSql.Visible(access, revInclude.SourceType, "s", p) is { } v ? $" AND {v}" : string.Empty;
            var sql = $"""
                SELECT DISTINCT x.resource_key FROM idx_reference x JOIN resources s ON s.resource_key = x.resource_key
                WHERE x.param_id IN ({paramFilter}) AND x.target_type = {p.Add(query.ResourceType)} AND x.target_id IN ({ids})
                  AND s.resource_type = {p.Add(revInclude.SourceType)} AND s.is_deleted = 0{visible}
                LIMIT {SearchLimits.MaxIncluded}
                """;
            await AddByKeysAsync(connection, sql, p, seen, included, cancellationToken);
        }

        // Included resources are read, so the caller needs the read scope on their type as well.
        return [.. included.Where(i => access.Allows(i.ResourceType, FhirInteractions.Read))];
    }

    private async Task AddByKeysAsync(DbConnection connection, string sql, SqlParameters p, HashSet<long> seen, List<StoredResource> included, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        p.ApplyTo(command);
        var keys = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = reader.GetInt64(0);
                if (seen.Add(key))
                {
                    keys.Add(key);
                }
            }
        }

        included.AddRange(await store.ReadByKeysAsync(connection, null, keys, cancellationToken));
    }

    // Each branch boxed on its own: as one conditional expression "long : double" is a double, and instants in ticks
    // (~6.4e17) lose their last digits in a double, so cursors over _lastUpdated or dates skipped and repeated rows.
    private static object ReadSortValue(DbDataReader reader, int ordinal, Type type) =>
        type == typeof(string) ? reader.GetString(ordinal)
        : type == typeof(long) ? (object)reader.GetInt64(ordinal)
        : (object)reader.GetDouble(ordinal);

    private static string KeysetCondition(List<(SortKey Key, (string Sql, Type ValueType) Expr)> sorts, (object?[] Values, long Key) cursor, SqlParameters p)
    {
        // (s0 > v0) OR (s0 = v0 AND s1 > v1) OR ... OR (s0 = v0 AND ... AND key > k), with < for descending keys.
        var branches = new List<string>();
        var equalities = new List<string>();
        for (var i = 0; i < sorts.Count; i++)
        {
            var value = p.Add(cursor.Values[i]);
            var op = sorts[i].Key.Descending ? "<" : ">";
            branches.Add(string.Join(" AND ", equalities.Append($"{sorts[i].Expr.Sql} {op} {value}")));
            equalities.Add($"{sorts[i].Expr.Sql} = {value}");
        }

        branches.Add(string.Join(" AND ", equalities.Append($"r.resource_key > {p.Add(cursor.Key)}")));
        return string.Join(" OR ", branches.Select(b => $"({b})"));
    }

    private static string EncodeCursor(object?[] values, long key)
    {
        var json = JsonSerializer.Serialize(new CursorState(values.Select(v => v switch
        {
            string s => "s:" + s,
            long l => "l:" + l.ToString(CultureInfo.InvariantCulture),
            double d => "d:" + d.ToString("R", CultureInfo.InvariantCulture),
            _ => "n:",
        }).ToArray(), key));
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static (object?[] Values, long Key) DecodeCursor(string cursor, int expected)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var state = JsonSerializer.Deserialize<CursorState>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)))!;
            if (state.V.Length != expected)
            {
                throw new SearchException("The paging cursor does not belong to this search.");
            }

            var values = state.V.Select(v => (object?)(v[..2] switch
            {
                "s:" => v[2..],
                "l:" => long.Parse(v[2..], CultureInfo.InvariantCulture),
                "d:" => double.Parse(v[2..], CultureInfo.InvariantCulture),
                _ => null,
            })).ToArray();
            return (values, state.K);
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException or NullReferenceException)
        {
            throw new SearchException("The paging cursor is not valid.");
        }
    }

    private sealed record CursorState(string[] V, long K);
}
