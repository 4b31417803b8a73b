using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace YTeSo.Platform.Auditing;

/// <summary>Migrations and the reads shared by the writer, the query and the verifier.</summary>
internal sealed class AuditStore(AuditDatabase database)
{
    private readonly Lock _initializing = new();
    private Task? _initialized;

    public AuditDatabase Database => database;

    /// <summary>Applies pending migrations once per process; a failed attempt is retried by the next caller.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        lock (_initializing)
        {
            if (_initialized is null || _initialized.IsFaulted || _initialized.IsCanceled)
            {
                _initialized = MigrateAsync();
            }

            return _initialized.WaitAsync(cancellationToken);
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken);
        return await database.OpenAsync(cancellationToken);
    }

    // Runs to completion even when the first caller gives up: a migration is one transaction, never left half done.
    private async Task MigrateAsync()
    {
        await database.PrepareAsync(CancellationToken.None);
        await using var connection = await database.OpenAsync(CancellationToken.None);
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS audit_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)";
            await create.ExecuteNonQueryAsync();
        }

        long applied;
        await using (var current = connection.CreateCommand())
        {
            current.CommandText = "SELECT COALESCE(MAX(version), 0) FROM audit_schema_migrations";
            applied = Convert.ToInt64(await current.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        foreach (var (migration, version) in database.Migrations.Select((sql, index) => (sql, index + 1)).Skip((int)applied))
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = migration;
            await apply.ExecuteNonQueryAsync();
            apply.CommandText = "INSERT INTO audit_schema_migrations (version, applied_at) VALUES (@version, @at)";
            AddParameter(apply, "@version", version);
            AddParameter(apply, "@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            await apply.ExecuteNonQueryAsync();
            await transaction.CommitAsync();
        }
    }

    /// <summary>The last record's seq, time and hash; seq 0 and the genesis hash on an empty trail.</summary>
    public static async Task<(long Seq, long RecordedAtTicks, byte[] Hash)> ReadHeadAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT seq, recorded_at, hash FROM audit_trail ORDER BY seq DESC LIMIT 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? (reader.GetInt64(0), reader.GetInt64(1), (byte[])reader[2])
            : (0, 0, AuditChain.Genesis);
    }

    /// <summary>Records in seq order after <paramref name="afterSeq"/>, streamed (the verifier walks hundreds of millions).</summary>
    public async IAsyncEnumerable<StoredAuditRecord> ReadForwardAsync(
        long afterSeq, DateTimeOffset? from, DateTimeOffset? to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var where = new List<string> { "seq > @after" };
        AddParameter(command, "@after", afterSeq);
        if (from is { } start)
        {
            where.Add("recorded_at >= @from");
            AddParameter(command, "@from", start.UtcTicks);
        }

        if (to is { } end)
        {
            where.Add("recorded_at < @to");
            AddParameter(command, "@to", end.UtcTicks);
        }

        command.CommandText = $"SELECT {AuditDatabase.Columns} FROM audit_trail WHERE {string.Join(" AND ", where)} ORDER BY seq";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRow(reader);
        }
    }

    /// <summary>Reads one row selected as <see cref="AuditDatabase.Columns"/>.</summary>
    public static StoredAuditRecord ReadRow(DbDataReader reader)
    {
        var actor = new AuditActor(
            reader.GetString(4),
            reader.GetString(5),
            Text(reader, 6),
            Text(reader, 7),
            Text(reader, 8),
            Text(reader, 9),
            Text(reader, 10));
        var record = new AuditRecord(
            reader.GetString(2),
            reader.GetString(3),
            actor,
            Text(reader, 11),
            List(reader, 12),
            List(reader, 13),
            Text(reader, 14),
            reader.GetBoolean(15),
            Text(reader, 16));
        return new StoredAuditRecord(
            reader.GetInt64(0),
            new DateTimeOffset(reader.GetInt64(1), TimeSpan.Zero),
            record,
            Convert.ToHexStringLower((byte[])reader[17]),
            Convert.ToHexStringLower((byte[])reader[18]));
    }

    public static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    private static string? Text(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static string[]? List(DbDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : JsonSerializer.Deserialize<string[]>(reader.GetString(ordinal));
}
