using Npgsql;

using NpgsqlTypes;

namespace YTeSo.Fhir.Storage;

/// <summary>
/// PostgreSQL: a table with many buffered rows is loaded with binary COPY (no parsing, no planning, one stream);
/// the few rows of an ordinary write go as arrays through one INSERT ... SELECT unnest(...) per table, all tables
/// in one batch, so a single create costs one round trip.
/// </summary>
internal sealed class PostgresRowWriter(NpgsqlConnection connection, NpgsqlTransaction transaction) : RowWriter(connection, transaction)
{
    /// <summary>Below this many rows a COPY's extra round trips cost more than the arrays' parsing.</summary>
    private const int CopyFromRows = 200;

    private const int MaxKeysPerReservation = 4096;

    private readonly Queue<long> _reservedKeys = new();
    private int _nextReservation = 1;

    public override async ValueTask<long> NextKeyAsync(CancellationToken cancellationToken)
    {
        if (_reservedKeys.Count == 0)
        {
            // Keys come from the identity column's own sequence, so they never collide with other writers. Reserving
            // 1, 2, 4, ... keys at a time keeps round trips logarithmic in the size of a transaction; unused ones are
            // gaps, which an identity column may have anyway.
            await using var command = new NpgsqlCommand("SELECT nextval(pg_get_serial_sequence('resources', 'resource_key')) FROM generate_series(1, @n)", connection, transaction);
            command.Parameters.AddWithValue("n", _nextReservation);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                _reservedKeys.Enqueue(reader.GetInt64(0));
            }

            _nextReservation = Math.Min(_nextReservation * 2, MaxKeysPerReservation);
        }

        return _reservedKeys.Dequeue();
    }

    protected override async Task WriteAsync(CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        await WriteAsync(batch, "resources (resource_key, resource_type, resource_id, version, last_updated, is_deleted, body)", Resources,
            [Column.Of<ResourceRow>(NpgsqlDbType.Bigint, r => r.Key), Column.Of<ResourceRow>(NpgsqlDbType.Text, r => r.Type), Column.Of<ResourceRow>(NpgsqlDbType.Text, r => r.Id),
             Column.Of<ResourceRow>(NpgsqlDbType.Integer, _ => 1), Column.Of<ResourceRow>(NpgsqlDbType.Bigint, r => r.LastUpdated),
             Column.Of<ResourceRow>(NpgsqlDbType.Smallint, _ => (short)0), Column.Of<ResourceRow>(NpgsqlDbType.Jsonb, r => r.Body)],
            cancellationToken);
        await WriteAsync(batch, "idx_string (resource_key, param_id, value_folded, value_exact)", Index.Strings,
            [Key(Index.Strings), Param(Index.Strings), Column.Of<(long, Indexing.StringIndexValue V)>(NpgsqlDbType.Text, r => r.V.Folded), Column.Of<(long, Indexing.StringIndexValue V)>(NpgsqlDbType.Text, r => r.V.Exact)],
            cancellationToken);
        await WriteAsync(batch, "idx_token (resource_key, param_id, system, code, text_folded)", Index.Tokens,
            [Key(Index.Tokens), Param(Index.Tokens), Column.Of<(long, Indexing.TokenIndexValue V)>(NpgsqlDbType.Text, r => r.V.System),
             Column.Of<(long, Indexing.TokenIndexValue V)>(NpgsqlDbType.Text, r => r.V.Code), Column.Of<(long, Indexing.TokenIndexValue V)>(NpgsqlDbType.Text, r => r.V.Text)],
            cancellationToken);
        await WriteAsync(batch, "idx_date (resource_key, param_id, low, high)", Index.Dates,
            [Key(Index.Dates), Param(Index.Dates), Column.Of<(long, Indexing.DateIndexValue V)>(NpgsqlDbType.Bigint, r => r.V.Low), Column.Of<(long, Indexing.DateIndexValue V)>(NpgsqlDbType.Bigint, r => r.V.High)],
            cancellationToken);
        await WriteAsync(batch, "idx_reference (resource_key, param_id, target_type, target_id)", Index.References,
            [Key(Index.References), Param(Index.References), Column.Of<(long, Indexing.ReferenceIndexValue V)>(NpgsqlDbType.Text, r => r.V.TargetType),
             Column.Of<(long, Indexing.ReferenceIndexValue V)>(NpgsqlDbType.Text, r => r.V.TargetId)],
            cancellationToken);
        await WriteAsync(batch, "idx_number (resource_key, param_id, value)", Index.Numbers,
            [Key(Index.Numbers), Param(Index.Numbers), Column.Of<(long, Indexing.NumberIndexValue V)>(NpgsqlDbType.Double, r => r.V.Value)],
            cancellationToken);
        await WriteAsync(batch, "idx_quantity (resource_key, param_id, system, code, low, high)", Index.Quantities,
            [Key(Index.Quantities), Param(Index.Quantities), Column.Of<(long, Indexing.QuantityIndexValue V)>(NpgsqlDbType.Text, r => r.V.System),
             Column.Of<(long, Indexing.QuantityIndexValue V)>(NpgsqlDbType.Text, r => r.V.Code), Column.Of<(long, Indexing.QuantityIndexValue V)>(NpgsqlDbType.Double, r => r.V.Low),
             Column.Of<(long, Indexing.QuantityIndexValue V)>(NpgsqlDbType.Double, r => r.V.High)],
            cancellationToken);
        await WriteAsync(batch, "idx_uri (resource_key, param_id, value)", Index.Uris,
            [Key(Index.Uris), Param(Index.Uris), Column.Of<(long, Indexing.UriIndexValue V)>(NpgsqlDbType.Text, r => r.V.Value)],
            cancellationToken);
        await WriteAsync(batch, "patient_access (source_key, patient_id, kind, target, valid_from, valid_to)", Index.Access,
            [Key(Index.Access), Column.Of<(long, Indexing.PatientAccessRow V)>(NpgsqlDbType.Text, r => r.V.PatientId), Column.Of<(long, Indexing.PatientAccessRow V)>(NpgsqlDbType.Smallint, r => (short)r.V.Kind),
             Column.Of<(long, Indexing.PatientAccessRow V)>(NpgsqlDbType.Text, r => r.V.Target), Column.Of<(long, Indexing.PatientAccessRow V)>(NpgsqlDbType.Bigint, r => r.V.ValidFrom),
             Column.Of<(long, Indexing.PatientAccessRow V)>(NpgsqlDbType.Bigint, r => r.V.ValidTo)],
            cancellationToken);
        foreach (var (key, row) in Index.AccessToResolve)
        {
            // After the inserts above in the same batch, which runs its commands in order.
            var resolve = new NpgsqlBatchCommand(ResolveAccessSql);
            using (var scratch = new NpgsqlCommand())
            {
                BindResolve(scratch, key, row);
                foreach (NpgsqlParameter parameter in scratch.Parameters.ToArray())
                {
                    scratch.Parameters.Remove(parameter);
                    resolve.Parameters.Add(parameter);
                }
            }

            batch.BatchCommands.Add(resolve);
        }
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static Column<(long Key, T V)> Key<T>(List<(long Key, T V)> rows) => Column.Of<(long Key, T V)>(NpgsqlDbType.Bigint, r => r.Key);

    private static Column<(long Key, T V)> Param<T>(List<(long Key, T V)> rows)
        where T : Indexing.IIndexValue => Column.Of<(long Key, T V)>(NpgsqlDbType.Integer, r => r.V.ParamId);

    /// <summary>Many rows: COPY now. Few: one INSERT ... SELECT unnest(...) added to the batch sent at the end.</summary>
    private async Task WriteAsync<T>(NpgsqlBatch batch, string target, List<T> rows, Column<T>[] columns, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (rows.Count >= CopyFromRows)
        {
            await using var import = await connection.BeginBinaryImportAsync($"COPY {target} FROM STDIN (FORMAT BINARY)", cancellationToken);
            foreach (var row in rows)
            {
                await import.StartRowAsync(cancellationToken);
                foreach (var column in columns)
                {
                    if (column.Get(row) is { } value)
                    {
                        await import.WriteAsync(value, column.Type, cancellationToken);
                    }
                    else
                    {
                        await import.WriteNullAsync(cancellationToken);
                    }
                }
            }

            await import.CompleteAsync(cancellationToken);
            return;
        }

        var command = new NpgsqlBatchCommand();
        var names = new List<string>();
        for (var c = 0; c < columns.Length; c++)
        {
            // jsonb arrives as text[] and is cast per element: an array parameter of jsonb is not accepted as text.
            var elementType = columns[c].Type == NpgsqlDbType.Jsonb ? NpgsqlDbType.Text : columns[c].Type;
            command.Parameters.Add(new NpgsqlParameter($"c{c}", NpgsqlDbType.Array | elementType) { Value = columns[c].Array(rows) });
            names.Add(columns[c].Type == NpgsqlDbType.Jsonb ? $"CAST(u.c{c} AS jsonb)" : $"u.c{c}");
        }

        command.CommandText = $"INSERT INTO {target} SELECT {string.Join(", ", names)} FROM unnest({string.Join(", ", columns.Select((_, c) => $"@c{c}"))}) AS u({string.Join(", ", columns.Select((_, c) => $"c{c}"))})";
        batch.BatchCommands.Add(command);
    }

    private static class Column
    {
        public static Column<T> Of<T>(NpgsqlDbType type, Func<T, object?> get) => new(type, get);
    }

    private sealed record Column<T>(NpgsqlDbType Type, Func<T, object?> Get)
    {
        public Array Array(List<T> rows) => Type switch
        {
            NpgsqlDbType.Bigint => rows.Select(r => (long)Get(r)!).ToArray(),
            NpgsqlDbType.Integer => rows.Select(r => (int)Get(r)!).ToArray(),
            NpgsqlDbType.Smallint => rows.Select(r => (short)Get(r)!).ToArray(),
            NpgsqlDbType.Double => rows.Select(r => (double?)Get(r)).ToArray(),
            _ => rows.Select(r => (string?)Get(r)).ToArray(),
        };
    }
}
