using System.Data.Common;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Storage;

/// <summary>
/// Reads and writes resource versions and their index rows. All SQL for the resource and history tables lives here;
/// search SQL lives in the Search folder.
/// </summary>
internal sealed class FhirStore(FhirDatabase database, SearchParameterCatalog catalog, Changes.ChangeOutbox outbox)
{
    internal const string Columns = "resource_key, resource_type, resource_id, version, last_updated, is_deleted";

    public FhirDatabase Database => database;

    public Changes.ChangeOutbox Outbox => outbox;

    /// <summary>
    /// Applies pending migrations and registers the ids of every search parameter; returns the migrations applied now
    /// and whether the store held resources before.
    /// </summary>
    public async Task<(IReadOnlyList<string> Applied, bool HadResources)> InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken);
        var applied = Convert.ToInt32(await Scalar(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        var appliedNow = new List<string>();
        var hadResources = applied > 0 && await Scalar(connection, null, "SELECT 1 FROM resources LIMIT 1", cancellationToken) is not null;
        for (var version = applied + 1; version <= database.Migrations.Count; version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await Execute(connection, transaction, database.Migrations[version - 1], cancellationToken);
            await Execute(connection, transaction, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, '{DateTimeOffset.UtcNow:O}')", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            appliedNow.Add(database.Migrations[version - 1]);
        }

        await RegisterSearchParametersAsync(connection, cancellationToken);
        return (appliedNow, hadResources);
    }

    private async Task RegisterSearchParametersAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var ids = await LoadParameterIdsAsync(connection, cancellationToken);
        var missing = catalog.All.Where(p => p.IsIndexed && !ids.ContainsKey((p.ResourceType, p.Code))).ToList();
        if (missing.Count > 0)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO search_parameters (resource_type, code) VALUES (@t, @c) ON CONFLICT (resource_type, code) DO NOTHING";
            AddParameter(insert, "@t", "");
            AddParameter(insert, "@c", "");
            foreach (var parameter in missing)
            {
                insert.Parameters[0].Value = parameter.ResourceType;
                insert.Parameters[1].Value = parameter.Code;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            ids = await LoadParameterIdsAsync(connection, cancellationToken);
        }

        catalog.AssignIds(ids);
    }

    private static async Task<Dictionary<(string, string), int>> LoadParameterIdsAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var ids = new Dictionary<(string, string), int>();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT param_id, resource_type, code FROM search_parameters";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids[(reader.GetString(1), reader.GetString(2))] = reader.GetInt32(0);
        }

        return ids;
    }

    /// <summary>The current version, or null; also null when <paramref name="visible"/> (a condition on alias r) is false.</summary>
    public async Task<StoredResource?> ReadAsync(string type, string id, string? visible, Search.SqlParameters? visibleParameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, {database.BodyText("body")} FROM resources r WHERE resource_type = @t AND resource_id = @i" + (visible is null ? "" : $" AND {visible}");
        AddParameter(command, "@t", type);
        AddParameter(command, "@i", id);
        visibleParameters?.ApplyTo(command);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    }

    public async Task<StoredResource?> ReadVersionAsync(string type, string id, int version, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}, {database.BodyText("body")} FROM resources WHERE resource_type = @t AND resource_id = @i AND version = @v
            UNION ALL
            SELECT {Columns}, {database.BodyText("body")} FROM resource_history WHERE resource_type = @t AND resource_id = @i AND version = @v
            """;
        AddParameter(command, "@t", type);
        AddParameter(command, "@i", id);
        AddParameter(command, "@v", version);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadRow(reader) : null;
    }

    /// <summary>
    /// Keys of current resources with an <c>idx_reference</c> row (any parameter, the complete-reference rows included)
    /// pointing at <paramref name="type"/>/<paramref name="id"/>, in key order, at most <paramref name="limit"/>; only
    /// rows (alias r) meeting <paramref name="visible"/> when given. Seeks <c>ix_idx_reference_target</c>.
    /// </summary>
    public async Task<List<long>> ReferrerKeysAsync(string type, string id, string? visible, Search.SqlParameters? visibleParameters, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.resource_key FROM resources r
            WHERE r.resource_key IN (SELECT x.resource_key FROM idx_reference x WHERE x.target_id = @id AND x.target_type = @type)
              AND r.is_deleted = 0 AND NOT (r.resource_type = @type AND r.resource_id = @id){(visible is null ? string.Empty : " AND " + visible)}
            ORDER BY r.resource_key LIMIT {limit.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            """;
        AddParameter(command, "@id", id);
        AddParameter(command, "@type", type);
        visibleParameters?.ApplyTo(command);
        var keys = new List<long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }

    /// <summary>Reads current versions by key, in the order of <paramref name="keys"/>.</summary>
    public async Task<List<StoredResource>> ReadByKeysAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<long> keys, CancellationToken cancellationToken)
    {
        var found = new Dictionary<long, StoredResource>(keys.Count);
        foreach (var chunk in keys.Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT {Columns}, {database.BodyText("body")} FROM resources WHERE resource_key IN ({string.Join(",", chunk)})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = ReadRow(reader);
                found[row.Key] = row;
            }
        }

        return [.. keys.Where(found.ContainsKey).Select(k => found[k])];
    }

    /// <summary>
    /// History, newest first. Paging is by offset within a snapshot (<paramref name="till"/>): versions are immutable and
    /// new ones are later than the snapshot, so pages stay stable while others write.
    /// </summary>
    /// <remarks>Only versions of resources whose current row (alias r) meets <paramref name="visible"/> are listed.</remarks>
    public async Task<(List<StoredResource> Page, long Total)> HistoryAsync(
        string? type, string? id, DateTimeOffset? since, DateTimeOffset till, int offset, int count, string? visible, Search.SqlParameters? visibleParameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        var where = new List<string> { "last_updated <= @till" };
        if (visible is not null)
        {
            // Versions are judged by the resource's current state and index rows (kept for current versions only).
            where.Add($"EXISTS (SELECT 1 FROM resources r WHERE r.resource_key = v.resource_key AND {visible})");
        }

        if (type is not null)
        {
            where.Add("resource_type = @t");
        }

        if (id is not null)
        {
            where.Add("resource_id = @i");
        }

        if (since is not null)
        {
            where.Add("last_updated > @since");
        }

        var filter = string.Join(" AND ", where);
        var union = $"SELECT {Columns}, body FROM resources v WHERE {filter} UNION ALL SELECT {Columns}, body FROM resource_history v WHERE {filter}";

        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}, {database.BodyText("body")} FROM ({union}) h ORDER BY last_updated DESC, resource_key DESC, version DESC LIMIT @count OFFSET @offset;
            """;
        AddParameter(command, "@till", till.UtcTicks);
        if (type is not null)
        {
            AddParameter(command, "@t", type);
        }

        if (id is not null)
        {
            AddParameter(command, "@i", id);
        }

        if (since is not null)
        {
            AddParameter(command, "@since", since.Value.UtcTicks);
        }

        visibleParameters?.ApplyTo(command);
        AddParameter(command, "@count", count);
        AddParameter(command, "@offset", offset);
        var page = new List<StoredResource>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                page.Add(ReadRow(reader));
            }
        }

        await using var countCommand = connection.CreateCommand();
        countCommand.CommandText = $"SELECT (SELECT COUNT(*) FROM resources v WHERE {filter}) + (SELECT COUNT(*) FROM resource_history v WHERE {filter})";
        foreach (DbParameter p in command.Parameters)
        {
            if (p.ParameterName is not ("@count" or "@offset"))
            {
                AddParameter(countCommand, p.ParameterName, p.Value);
            }
        }

        var total = Convert.ToInt64(await countCommand.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        return (page, total);
    }

    /// <summary>Current resources per type, counting only rows where <paramref name="visible"/> (a condition on alias r) holds.</summary>
    public async Task<Dictionary<string, long>> CountByTypeAsync(string? visible, Search.SqlParameters? visibleParameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT resource_type, COUNT(*) FROM resources r WHERE is_deleted = 0{(visible is null ? "" : $" AND {visible}")} GROUP BY resource_type";
        visibleParameters?.ApplyTo(command);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[reader.GetString(0)] = reader.GetInt64(1);
        }

        return counts;
    }

    /// <summary>
    /// The patients whose data the given resources are: a Patient's own id, and the Patients a clinical resource's
    /// compartment references (<paramref name="compartmentParamIds"/>, a SQL list of ids) point at. For the audit trail.
    /// </summary>
    public static async Task<List<string>> PatientIdsAsync(
        DbConnection connection, DbTransaction? transaction, IReadOnlyCollection<StoredResource> resources, string compartmentParamIds, CancellationToken cancellationToken)
    {
        var patients = new SortedSet<string>(resources.Where(r => r.ResourceType == "Patient").Select(r => r.Id), StringComparer.Ordinal);
        foreach (var chunk in resources.Where(r => r.ResourceType != "Patient").Select(r => r.Key).Chunk(500))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT DISTINCT target_id FROM idx_reference WHERE resource_key IN ({string.Join(",", chunk)}) AND target_type = 'Patient' AND param_id IN ({compartmentParamIds})";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                patients.Add(reader.GetString(0));
            }
        }

        return [.. patients];
    }

    public async Task<WriteSession> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var writeLock = await database.EnterWriteAsync(cancellationToken);
        try
        {
            var connection = await database.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            return new WriteSession(this, connection, transaction, writeLock);
        }
        catch
        {
            writeLock.Dispose();
            throw;
        }
    }

    internal static StoredResource ReadRow(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetInt32(3),
        StoredResource.FromTicks(reader.GetInt64(4)),
        reader.GetInt32(5) != 0,
        reader.IsDBNull(6) ? null : reader.GetString(6));

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static async Task Execute(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> Scalar(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }
}
