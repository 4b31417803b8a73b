using System.Data.Common;
using System.Runtime.CompilerServices;

using Microsoft.Data.Sqlite;

using Npgsql;

using NpgsqlTypes;

using YTeSo.Platform.Persistence;

namespace YTeSo.Fhir.Storage;

/// <summary>
/// The FHIR store's connection to its database, and the few places where SQLite and PostgreSQL differ.
/// Everything else (queries, index layout, paging) is one code path for both engines.
/// </summary>
internal abstract class FhirDatabase : IAsyncDisposable
{
    public abstract DatabaseProvider Provider { get; }

    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>The resource body as text in a SELECT list.</summary>
    public abstract string BodyText(string column);

    /// <summary>A parameter placeholder that stores JSON text in the body column.</summary>
    public abstract string BodyParameter(string name);

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>SQLite has one writer at a time; waiting in-process is cheaper and fairer than SQLITE_BUSY retries.</summary>
    public abstract ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken);

    public abstract RowWriter CreateRowWriter(DbConnection connection, DbTransaction transaction);

    public abstract ValueTask DisposeAsync();

    public static FhirDatabase Create(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresFhirDatabase(
            options.PostgresConnectionString ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.")),
        _ => new SqliteFhirDatabase(Path.Combine(options.DataDirectory, "fhir.db")),
    };
}

internal sealed class SqliteFhirDatabase : FhirDatabase
{
    private readonly string _connectionString;
    private static readonly object Configured = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public SqliteFhirDatabase(string path)
    {
        _connectionString = SqliteFile.ConnectionString(path);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override IReadOnlyList<string> Migrations => Schema.Sqlite;

    public override string BodyText(string column) => column;

    public override string BodyParameter(string name) => name;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);

        // Pooled connections keep their native handle, and these settings live on the handle: set them once per
        // handle, not on every open (five statements per read were a measurable share of a read by id).
        if (_configured.TryGetValue(connection.Handle!, out _))
        {
            return connection;
        }

        using var pragma = connection.CreateCommand();

        // WAL: readers never wait for the writer. synchronous=NORMAL is durable across process crashes in WAL mode
        // (only an OS crash or power loss can lose the last transactions); see sqlite.org/wal.html.
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        _configured.AddOrUpdate(connection.Handle!, Configured);
        return connection;
    }

    public override async ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        return new Releaser(_writeLock);
    }

    public override RowWriter CreateRowWriter(DbConnection connection, DbTransaction transaction) =>
        new SqliteRowWriter(connection, transaction);

    public override ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        return ValueTask.CompletedTask;
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        public void Dispose() => semaphore.Release();
    }
}

internal sealed class PostgresFhirDatabase(string connectionString) : FhirDatabase
{
    private readonly NpgsqlDataSource _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override IReadOnlyList<string> Migrations => Schema.Postgres;

    public override string BodyText(string column) => column + "::text";

    public override string BodyParameter(string name) => $"CAST({name} AS jsonb)";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override ValueTask<IDisposable> EnterWriteAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IDisposable>(NoLock.Instance);

    public override RowWriter CreateRowWriter(DbConnection connection, DbTransaction transaction) =>
        new PostgresRowWriter((NpgsqlConnection)connection, (NpgsqlTransaction)transaction);

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    internal static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, T[] values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values };

    private sealed class NoLock : IDisposable
    {
        public static readonly NoLock Instance = new();

        public void Dispose()
        {
        }
    }
}
