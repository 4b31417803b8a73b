using System.Data.Common;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Storage;

/// <summary>
/// One database transaction of writes: a single create, or a whole transaction Bundle. Nothing is visible to readers
/// until <see cref="CommitAsync"/>; disposing without committing rolls everything back.
/// </summary>
internal sealed class WriteSession : IAsyncDisposable
{
    private readonly FhirStore _store;
    private readonly IDisposable _writeLock;
    private readonly IndexRowWriter _indexWriter;
    private DbCommand? _insert;

    internal WriteSession(FhirStore store, DbConnection connection, DbTransaction transaction, IDisposable writeLock)
    {
        _store = store;
        Connection = connection;
        Transaction = transaction;
        _writeLock = writeLock;
        _indexWriter = store.Database.CreateIndexWriter(connection, transaction);
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>Local references written in this session, checked for existence before commit.</summary>
    public List<(string Type, string Id, string Path)> PendingReferences { get; } = [];

    public async Task<CurrentVersion?> GetCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        await using var command = NewCommand(
            "SELECT resource_key, version, is_deleted FROM resources WHERE resource_type = @t AND resource_id = @i"
            + (_store.Database.Provider == Platform.Persistence.DatabaseProvider.Postgres ? " FOR UPDATE" : ""));
        FhirStore.AddParameter(command, "@t", type);
        FhirStore.AddParameter(command, "@i", id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new CurrentVersion(reader.GetInt64(0), reader.GetInt32(1), reader.GetInt32(2) != 0)
            : null;
    }

    /// <summary>
    /// Serialises conditional writes of one resource type until commit. SQLite already has one writer at a time; on
    /// PostgreSQL a transaction-scoped advisory lock keyed by the type makes "search, then insert if absent" atomic.
    /// </summary>
    public async Task LockForConditionalWriteAsync(string type, CancellationToken cancellationToken)
    {
        if (_store.Database.Provider != Platform.Persistence.DatabaseProvider.Postgres)
        {
            return;
        }

        await using var command = NewCommand("SELECT pg_advisory_xact_lock(hashtext('yteso.conditional.' || @t))");
        FhirStore.AddParameter(command, "@t", type);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Which of the given local references point at existing, not deleted resources.</summary>
    public async Task<HashSet<(string Type, string Id)>> FindExistingAsync(IEnumerable<(string Type, string Id)> references, CancellationToken cancellationToken)
    {
        var found = new HashSet<(string, string)>();
        foreach (var group in references.Distinct().GroupBy(r => r.Type))
        {
            foreach (var chunk in group.Chunk(400))
            {
                await using var command = NewCommand("");
                var names = new List<string>();
                for (var i = 0; i < chunk.Length; i++)
                {
                    names.Add($"@i{i}");
                    FhirStore.AddParameter(command, $"@i{i}", chunk[i].Id);
                }

                FhirStore.AddParameter(command, "@t", group.Key);
                command.CommandText = $"SELECT resource_id FROM resources WHERE resource_type = @t AND is_deleted = 0 AND resource_id IN ({string.Join(",", names)})";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found.Add((group.Key, reader.GetString(0)));
                }
            }
        }

        return found;
    }

    public async Task<long> InsertAsync(string type, string id, DateTimeOffset lastUpdated, string body, ResourceIndex index, CancellationToken cancellationToken)
    {
        if (_insert is null)
        {
            _insert = NewCommand(
                $"INSERT INTO resources (resource_type, resource_id, version, last_updated, is_deleted, body) VALUES (@t, @i, 1, @u, 0, {_store.Database.BodyParameter("@b")}) RETURNING resource_key");
            FhirStore.AddParameter(_insert, "@t", "");
            FhirStore.AddParameter(_insert, "@i", "");
            FhirStore.AddParameter(_insert, "@u", 0L);
            FhirStore.AddParameter(_insert, "@b", "");
            await _insert.PrepareAsync(cancellationToken);
        }

        _insert.Parameters[0].Value = type;
        _insert.Parameters[1].Value = id;
        _insert.Parameters[2].Value = lastUpdated.UtcTicks;
        _insert.Parameters[3].Value = body;
        var key = Convert.ToInt64(await _insert.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        _indexWriter.Add(key, index);
        return key;
    }

    /// <summary>Moves the current version to history and stores a new one (a deletion when <paramref name="body"/> is null).</summary>
    public async Task ReplaceAsync(long key, int newVersion, DateTimeOffset lastUpdated, string? body, ResourceIndex? index, CancellationToken cancellationToken)
    {
        await _indexWriter.DeleteAsync(key, cancellationToken);
        await using var command = NewCommand($"""
            INSERT INTO resource_history ({FhirStore.Columns}, body) SELECT {FhirStore.Columns}, body FROM resources WHERE resource_key = @k;
            UPDATE resources SET version = @v, last_updated = @u, is_deleted = @d, body = {_store.Database.BodyParameter("@b")} WHERE resource_key = @k;
            """);
        FhirStore.AddParameter(command, "@k", key);
        FhirStore.AddParameter(command, "@v", newVersion);
        FhirStore.AddParameter(command, "@u", lastUpdated.UtcTicks);
        FhirStore.AddParameter(command, "@d", body is null ? 1 : 0);
        FhirStore.AddParameter(command, "@b", body);
        if (_store.Database.Provider == Platform.Persistence.DatabaseProvider.Postgres)
        {
            command.Parameters[3].DbType = System.Data.DbType.Int16;
            command.Parameters[4].DbType = System.Data.DbType.String;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        if (index is not null)
        {
            _indexWriter.Add(key, index);
        }
    }

    public async Task FlushIndexAsync(CancellationToken cancellationToken) => await _indexWriter.FlushAsync(cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _indexWriter.FlushAsync(cancellationToken);
        await Transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_insert is not null)
            {
                await _insert.DisposeAsync();
            }

            await _indexWriter.DisposeAsync();
            await Transaction.DisposeAsync();
            await Connection.DisposeAsync();
        }
        finally
        {
            _writeLock.Dispose();
        }
    }

    private DbCommand NewCommand(string sql)
    {
        var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = sql;
        return command;
    }
}
