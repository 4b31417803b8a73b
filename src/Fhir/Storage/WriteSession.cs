using System.Data.Common;

using YTeSo.Fhir.Contracts;
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
    private readonly RowWriter _rows;

    internal WriteSession(FhirStore store, DbConnection connection, DbTransaction transaction, IDisposable writeLock)
    {
        _store = store;
        Connection = connection;
        Transaction = transaction;
        _writeLock = writeLock;
        _rows = store.Database.CreateRowWriter(connection, transaction);
    }

    public DbConnection Connection { get; }

    public DbTransaction Transaction { get; }

    /// <summary>The written versions some module subscribed to, recorded in the outbox; dispatched after commit.</summary>
    public List<ResourceChange> Changes { get; } = [];

    /// <summary>Local references written in this session, checked for existence before commit.</summary>
    public List<(string Type, string Id, string Path)> PendingReferences { get; } = [];

    private bool IsPostgres => _store.Database.Provider == Platform.Persistence.DatabaseProvider.Postgres;

    public async Task<CurrentVersion?> GetCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var command = NewCommand(
            "SELECT resource_key, version, is_deleted FROM resources WHERE resource_type = @t AND resource_id = @i" + (IsPostgres ? " FOR UPDATE" : ""));
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

    /// <summary>
    /// The current versions of many resources in a few round trips (deleted ones included); on PostgreSQL the rows are
    /// locked when <paramref name="forUpdate"/>, as <see cref="GetCurrentAsync"/> does for one.
    /// </summary>
    public async Task<Dictionary<(string Type, string Id), CurrentVersion>> GetCurrentManyAsync(
        IEnumerable<(string Type, string Id)> resources, bool forUpdate, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        var found = new Dictionary<(string, string), CurrentVersion>();
        foreach (var group in resources.Distinct().GroupBy(r => r.Type))
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
                command.CommandText = $"SELECT resource_id, resource_key, version, is_deleted FROM resources WHERE resource_type = @t AND resource_id IN ({string.Join(",", names)})"
                    + (forUpdate && IsPostgres ? " FOR UPDATE" : "");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    found[(group.Key, reader.GetString(0))] = new CurrentVersion(reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3) != 0);
                }
            }
        }

        return found;
    }

    /// <summary>Which of the given local references point at existing, not deleted resources.</summary>
    public async Task<HashSet<(string Type, string Id)>> FindExistingAsync(IEnumerable<(string Type, string Id)> references, CancellationToken cancellationToken)
    {
        var current = await GetCurrentManyAsync(references, forUpdate: false, cancellationToken);
        return [.. current.Where(c => !c.Value.IsDeleted).Select(c => c.Key)];
    }

    /// <summary>Adds a new resource (version 1); its rows reach the database at the next read, flush or commit.</summary>
    public async Task<long> InsertAsync(string type, string id, DateTimeOffset lastUpdated, string body, ResourceIndex index, CancellationToken cancellationToken)
    {
        var key = await _rows.NextKeyAsync(cancellationToken);
        _rows.AddResource(new ResourceRow(key, type, id, lastUpdated.UtcTicks, body));
        _rows.AddIndex(key, index);
        await RecordChangeAsync(new ResourceChange(type, id, 1, IsDeleted: false), cancellationToken);
        return key;
    }

    /// <summary>Adds patient_access rows derived from the stored resource <paramref name="key"/> (the backfill).</summary>
    public void AddPatientAccess(long key, List<PatientAccessRow> rows)
    {
        var index = new ResourceIndex();
        index.Access.AddRange(rows);
        _rows.AddIndex(key, index);
    }

    /// <summary>Moves the current version to history and stores a new one (a deletion when <paramref name="body"/> is null).</summary>
    public async Task ReplaceAsync(string type, string id, long key, int newVersion, DateTimeOffset lastUpdated, string? body, ResourceIndex? index, CancellationToken cancellationToken)
    {
        await RecordChangeAsync(new ResourceChange(type, id, newVersion, IsDeleted: body is null), cancellationToken);
        await _rows.DeleteIndexAsync(key, cancellationToken);
        await using var command = NewCommand($"""
            INSERT INTO resource_history ({FhirStore.Columns}, body) SELECT {FhirStore.Columns}, body FROM resources WHERE resource_key = @k;
            UPDATE resources SET version = @v, last_updated = @u, is_deleted = @d, body = {_store.Database.BodyParameter("@b")} WHERE resource_key = @k;
            """);
        FhirStore.AddParameter(command, "@k", key);
        FhirStore.AddParameter(command, "@v", newVersion);
        FhirStore.AddParameter(command, "@u", lastUpdated.UtcTicks);
        FhirStore.AddParameter(command, "@d", body is null ? 1 : 0);
        FhirStore.AddParameter(command, "@b", body);
        if (IsPostgres)
        {
            command.Parameters[3].DbType = System.Data.DbType.Int16;
            command.Parameters[4].DbType = System.Data.DbType.String;
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
        if (index is not null)
        {
            _rows.AddIndex(key, index);
        }
    }

    private async Task RecordChangeAsync(ResourceChange change, CancellationToken cancellationToken)
    {
        if (_store.Outbox.IsSubscribed(change.ResourceType))
        {
            await _store.Outbox.RecordAsync(Connection, Transaction, change, cancellationToken);
            Changes.Add(change);
        }
    }

    /// <summary>Writes buffered rows, so that a query on <see cref="Connection"/> sees everything this session wrote.</summary>
    public Task FlushAsync(CancellationToken cancellationToken) => _rows.FlushAsync(cancellationToken);

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await _rows.FlushAsync(cancellationToken);
        await Transaction.CommitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _rows.DisposeAsync();
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
