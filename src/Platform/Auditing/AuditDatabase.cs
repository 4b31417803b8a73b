using System.Data.Common;
using System.Text.Json;

using Microsoft.Data.Sqlite;

using Npgsql;

using NpgsqlTypes;

using YTeSo.Platform.Persistence;

namespace YTeSo.Platform.Auditing;

/// <summary>
/// Where the trail lives, and the places where SQLite and PostgreSQL differ: opening, taking the append lock,
/// bulk insert. Reads are one code path for both (<see cref="AuditStore"/>).
/// </summary>
internal abstract class AuditDatabase : IAsyncDisposable
{
    public const string Columns =
        "seq, recorded_at, action, outcome, actor_id, actor_display, role, facility_id, client_id, source_ip, purpose, " +
        "resource_type, resource_ids, patient_ids, query, break_glass, detail, prev_hash, hash";

    public abstract DatabaseProvider Provider { get; }

    public abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>Creates what must exist before the first connection (the PostgreSQL database).</summary>
    public virtual Task PrepareAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Begins the transaction that appends a batch, holding the trail's append lock until commit, so that reading the
    /// head and inserting after it is atomic even with another process (a CLI import, a second web instance) appending.
    /// </summary>
    public abstract Task<DbTransaction> BeginAppendAsync(DbConnection connection, CancellationToken cancellationToken);

    public abstract Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredAuditRecord> rows, CancellationToken cancellationToken);

    public abstract ValueTask DisposeAsync();

    public static AuditDatabase Create(DatabaseOptions options) => options.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresAuditDatabase(
            options.PostgresConnectionString ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.")),
        _ => new SqliteAuditDatabase(Path.Combine(options.DataDirectory, "audit.db")),
    };

    /// <summary>Lists are stored as JSON arrays; null and empty are both stored as NULL (the hash does not tell them apart).</summary>
    public static string? ToJson(IReadOnlyList<string>? values) => values is null or { Count: 0 } ? null : JsonSerializer.Serialize(values);

    public static string[] PatientIds(StoredAuditRecord row) => [.. (row.Record.PatientIds ?? []).Distinct(StringComparer.Ordinal)];
}

/// <summary>
/// <c>audit.db</c>, a file of its own beside <c>fhir.db</c>: SQLite has one writer per file, so audit commits never
/// queue behind a FHIR import and the other way round.
/// </summary>
internal sealed class SqliteAuditDatabase : AuditDatabase
{
    private readonly string _connectionString;

    public SqliteAuditDatabase(string path)
    {
        _connectionString = SqliteFile.ConnectionString(path);
    }

    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public override IReadOnlyList<string> Migrations => AuditSchema.Sqlite;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();

        // synchronous=FULL: in WAL mode every commit is fsynced before it returns, so a record whose RecordAsync
        // completed survives power loss too (NORMAL, the FHIR store's setting, may lose the last commits then).
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    // Microsoft.Data.Sqlite begins IMMEDIATE: the file's write lock is taken before the head is read.
    public override async Task<DbTransaction> BeginAppendAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken);

    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredAuditRecord> rows, CancellationToken cancellationToken)
    {
        var names = Columns.Split(", ");
        await using var insert = (SqliteCommand)connection.CreateCommand();
        insert.Transaction = (SqliteTransaction)transaction;
        insert.CommandText = $"INSERT INTO audit_trail ({Columns}) VALUES ({string.Join(", ", names.Select(n => "@" + n))})";
        foreach (var name in names)
        {
            insert.Parameters.Add(new SqliteParameter("@" + name, null));
        }

        await using var patient = (SqliteCommand)connection.CreateCommand();
        patient.Transaction = (SqliteTransaction)transaction;
        patient.CommandText = "INSERT INTO audit_patient (patient_id, seq) VALUES (@patient, @seq)";
        patient.Parameters.Add(new SqliteParameter("@patient", null));
        patient.Parameters.Add(new SqliteParameter("@seq", null));

        foreach (var row in rows)
        {
            var record = row.Record;
            object?[] values =
            [
                row.Seq, row.RecordedAt.UtcTicks, record.Action, record.Outcome, record.Actor.Id, record.Actor.Display,
                record.Actor.Role, record.Actor.FacilityId, record.Actor.ClientId, record.Actor.SourceIp, record.Actor.PurposeOfUse,
                record.ResourceType, ToJson(record.ResourceIds), ToJson(record.PatientIds), record.Query, record.BreakGlass,
                record.Detail, Convert.FromHexString(row.PreviousHash), Convert.FromHexString(row.Hash),
            ];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i] ?? DBNull.Value;
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
            foreach (var id in PatientIds(row))
            {
                patient.Parameters[0].Value = id;
                patient.Parameters[1].Value = row.Seq;
                await patient.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>The <c>audit_trail</c> table in the same PostgreSQL database as the FHIR store.</summary>
internal sealed class PostgresAuditDatabase(string connectionString) : AuditDatabase
{
    private readonly NpgsqlDataSource _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();

    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    public override IReadOnlyList<string> Migrations => AuditSchema.Postgres;

    public override Task PrepareAsync(CancellationToken cancellationToken) => PostgresDatabase.EnsureExistsAsync(connectionString, cancellationToken);

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    public override async Task<DbTransaction> BeginAppendAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('yteso.audit_trail'))", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    // One round trip per table for the whole batch: each column travels as an array and unnest turns them into rows.
    public override async Task InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredAuditRecord> rows, CancellationToken cancellationToken)
    {
        var npgsql = (NpgsqlConnection)connection;
        var tx = (NpgsqlTransaction)transaction;
        await using var insert = new NpgsqlCommand(
            $"INSERT INTO audit_trail ({Columns}) SELECT * FROM unnest(@seq, @at, @action, @outcome, @actor, @display, @role, @facility, @client, @ip, @purpose, @type, @resources, @patients, @query, @glass, @detail, @prev, @hash)",
            npgsql,
            tx);
        insert.Parameters.Add(Array("seq", NpgsqlDbType.Bigint, rows.Select(r => r.Seq)));
        insert.Parameters.Add(Array("at", NpgsqlDbType.Bigint, rows.Select(r => r.RecordedAt.UtcTicks)));
        insert.Parameters.Add(Array("action", NpgsqlDbType.Text, rows.Select(r => r.Record.Action)));
        insert.Parameters.Add(Array("outcome", NpgsqlDbType.Text, rows.Select(r => r.Record.Outcome)));
        insert.Parameters.Add(Array("actor", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.Id)));
        insert.Parameters.Add(Array("display", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.Display)));
        insert.Parameters.Add(Array("role", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.Role)));
        insert.Parameters.Add(Array("facility", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.FacilityId)));
        insert.Parameters.Add(Array("client", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.ClientId)));
        insert.Parameters.Add(Array("ip", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.SourceIp)));
        insert.Parameters.Add(Array("purpose", NpgsqlDbType.Text, rows.Select(r => r.Record.Actor.PurposeOfUse)));
        insert.Parameters.Add(Array("type", NpgsqlDbType.Text, rows.Select(r => r.Record.ResourceType)));
        insert.Parameters.Add(Array("resources", NpgsqlDbType.Text, rows.Select(r => ToJson(r.Record.ResourceIds))));
        insert.Parameters.Add(Array("patients", NpgsqlDbType.Text, rows.Select(r => ToJson(r.Record.PatientIds))));
        insert.Parameters.Add(Array("query", NpgsqlDbType.Text, rows.Select(r => r.Record.Query)));
        insert.Parameters.Add(Array("glass", NpgsqlDbType.Boolean, rows.Select(r => r.Record.BreakGlass)));
        insert.Parameters.Add(Array("detail", NpgsqlDbType.Text, rows.Select(r => r.Record.Detail)));
        insert.Parameters.Add(Array("prev", NpgsqlDbType.Bytea, rows.Select(r => Convert.FromHexString(r.PreviousHash))));
        insert.Parameters.Add(Array("hash", NpgsqlDbType.Bytea, rows.Select(r => Convert.FromHexString(r.Hash))));
        await insert.ExecuteNonQueryAsync(cancellationToken);

        var patients = rows.SelectMany(r => PatientIds(r).Select(id => (Id: id, r.Seq))).ToList();
        if (patients.Count > 0)
        {
            await using var patient = new NpgsqlCommand("INSERT INTO audit_patient (patient_id, seq) SELECT * FROM unnest(@patient, @seq)", npgsql, tx);
            patient.Parameters.Add(Array("patient", NpgsqlDbType.Text, patients.Select(p => p.Id)));
            patient.Parameters.Add(Array("seq", NpgsqlDbType.Bigint, patients.Select(p => p.Seq)));
            await patient.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static NpgsqlParameter Array<T>(string name, NpgsqlDbType elementType, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | elementType) { Value = values.ToArray() };
}
