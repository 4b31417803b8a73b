using System.Data.Common;

using Npgsql;

using NpgsqlTypes;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Storage;

/// <summary>Writes and removes search-index rows inside a write transaction.</summary>
internal abstract class IndexRowWriter : IAsyncDisposable
{
    private static readonly string[] Tables = ["idx_string", "idx_token", "idx_date", "idx_reference", "idx_number", "idx_quantity", "idx_uri"];

    protected IndexRowWriter(DbConnection connection, DbTransaction transaction)
    {
        Connection = connection;
        Transaction = transaction;
    }

    protected DbConnection Connection { get; }

    protected DbTransaction Transaction { get; }

    public abstract void Add(long key, ResourceIndex index);

    public abstract Task FlushAsync(CancellationToken cancellationToken);

    public async Task DeleteAsync(long key, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var command = Connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = string.Join(";\n", Tables.Select(t => $"DELETE FROM {t} WHERE resource_key = @key"));
        Parameter(command, "@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected static void Parameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>SQLite: prepared single-row INSERTs; in-process calls cost microseconds, so batching buys little.</summary>
internal sealed class RowByRowIndexWriter(DbConnection connection, DbTransaction transaction) : IndexRowWriter(connection, transaction)
{
    private readonly Dictionary<string, DbCommand> _commands = [];

    public override void Add(long key, ResourceIndex index)
    {
        foreach (var v in index.Strings)
        {
            Run("INSERT INTO idx_string (resource_key, param_id, value_folded, value_exact) VALUES (@k, @p, @a, @b)", key, v.ParamId, v.Folded, v.Exact);
        }

        foreach (var v in index.Tokens)
        {
            Run("INSERT INTO idx_token (resource_key, param_id, system, code, text_folded) VALUES (@k, @p, @a, @b, @c)", key, v.ParamId, v.System, v.Code, v.Text);
        }

        foreach (var v in index.Dates)
        {
            Run("INSERT INTO idx_date (resource_key, param_id, low, high) VALUES (@k, @p, @a, @b)", key, v.ParamId, v.Low, v.High);
        }

        foreach (var v in index.References)
        {
            Run("INSERT INTO idx_reference (resource_key, param_id, target_type, target_id) VALUES (@k, @p, @a, @b)", key, v.ParamId, v.TargetType, v.TargetId);
        }

        foreach (var v in index.Numbers)
        {
            Run("INSERT INTO idx_number (resource_key, param_id, value) VALUES (@k, @p, @a)", key, v.ParamId, v.Value);
        }

        foreach (var v in index.Quantities)
        {
            Run("INSERT INTO idx_quantity (resource_key, param_id, system, code, low, high) VALUES (@k, @p, @a, @b, @c, @d)", key, v.ParamId, v.System, v.Code, v.Low, v.High);
        }

        foreach (var v in index.Uris)
        {
            Run("INSERT INTO idx_uri (resource_key, param_id, value) VALUES (@k, @p, @a)", key, v.ParamId, v.Value);
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private void Run(string sql, long key, int paramId, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.Transaction = Transaction;
            command.CommandText = sql;
            Parameter(command, "@k", 0L);
            Parameter(command, "@p", 0);
            string[] names = ["@a", "@b", "@c", "@d"];
            for (var i = 0; i < values.Length; i++)
            {
                Parameter(command, names[i], null);
            }

            command.Prepare();
            _commands[sql] = command;
        }

        command.Parameters[0].Value = key;
        command.Parameters[1].Value = paramId;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i + 2].Value = values[i] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }
}

/// <summary>PostgreSQL: rows are gathered per table and sent as arrays through one INSERT ... SELECT unnest(...) each.</summary>
internal sealed class PostgresArrayIndexWriter(NpgsqlConnection connection, NpgsqlTransaction transaction) : IndexRowWriter(connection, transaction)
{
    private readonly List<(long Key, StringIndexValue V)> _strings = [];
    private readonly List<(long Key, TokenIndexValue V)> _tokens = [];
    private readonly List<(long Key, DateIndexValue V)> _dates = [];
    private readonly List<(long Key, ReferenceIndexValue V)> _references = [];
    private readonly List<(long Key, NumberIndexValue V)> _numbers = [];
    private readonly List<(long Key, QuantityIndexValue V)> _quantities = [];
    private readonly List<(long Key, UriIndexValue V)> _uris = [];

    public override void Add(long key, ResourceIndex index)
    {
        _strings.AddRange(index.Strings.Select(v => (key, v)));
        _tokens.AddRange(index.Tokens.Select(v => (key, v)));
        _dates.AddRange(index.Dates.Select(v => (key, v)));
        _references.AddRange(index.References.Select(v => (key, v)));
        _numbers.AddRange(index.Numbers.Select(v => (key, v)));
        _quantities.AddRange(index.Quantities.Select(v => (key, v)));
        _uris.AddRange(index.Uris.Select(v => (key, v)));
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        Add(batch, "idx_string (resource_key, param_id, value_folded, value_exact)", _strings.Count,
            Longs(_strings, r => r.Key), Ints(_strings, r => r.V.ParamId), Texts(_strings, r => r.V.Folded), Texts(_strings, r => r.V.Exact));
        Add(batch, "idx_token (resource_key, param_id, system, code, text_folded)", _tokens.Count,
            Longs(_tokens, r => r.Key), Ints(_tokens, r => r.V.ParamId), Texts(_tokens, r => r.V.System), Texts(_tokens, r => r.V.Code), Texts(_tokens, r => r.V.Text));
        Add(batch, "idx_date (resource_key, param_id, low, high)", _dates.Count,
            Longs(_dates, r => r.Key), Ints(_dates, r => r.V.ParamId), Longs(_dates, r => r.V.Low), Longs(_dates, r => r.V.High));
        Add(batch, "idx_reference (resource_key, param_id, target_type, target_id)", _references.Count,
            Longs(_references, r => r.Key), Ints(_references, r => r.V.ParamId), Texts(_references, r => r.V.TargetType), Texts(_references, r => r.V.TargetId));
        Add(batch, "idx_number (resource_key, param_id, value)", _numbers.Count,
            Longs(_numbers, r => r.Key), Ints(_numbers, r => r.V.ParamId), Doubles(_numbers, r => r.V.Value));
        Add(batch, "idx_quantity (resource_key, param_id, system, code, low, high)", _quantities.Count,
            Longs(_quantities, r => r.Key), Ints(_quantities, r => r.V.ParamId), Texts(_quantities, r => r.V.System), Texts(_quantities, r => r.V.Code),
            Doubles(_quantities, r => r.V.Low), Doubles(_quantities, r => r.V.High));
        Add(batch, "idx_uri (resource_key, param_id, value)", _uris.Count,
            Longs(_uris, r => r.Key), Ints(_uris, r => r.V.ParamId), Texts(_uris, r => r.V.Value));
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        _strings.Clear();
        _tokens.Clear();
        _dates.Clear();
        _references.Clear();
        _numbers.Clear();
        _quantities.Clear();
        _uris.Clear();
    }

    private static NpgsqlParameter Longs<T>(List<T> rows, Func<T, long> get) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint, Value = rows.Select(get).ToArray() };

    private static NpgsqlParameter Ints<T>(List<T> rows, Func<T, int> get) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer, Value = rows.Select(get).ToArray() };

    private static NpgsqlParameter Texts<T>(List<T> rows, Func<T, string?> get) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = rows.Select(get).ToArray() };

    private static NpgsqlParameter Doubles<T>(List<T> rows, Func<T, double?> get) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double, Value = rows.Select(get).ToArray() };

    private static void Add(NpgsqlBatch batch, string target, int count, params NpgsqlParameter[] columns)
    {
        if (count == 0)
        {
            return;
        }

        var command = new NpgsqlBatchCommand();
        for (var c = 0; c < columns.Length; c++)
        {
            columns[c].ParameterName = $"c{c}";
            command.Parameters.Add(columns[c]);
        }

        command.CommandText = $"INSERT INTO {target} SELECT * FROM unnest({string.Join(", ", columns.Select((_, c) => $"@c{c}"))})";
        batch.BatchCommands.Add(command);
    }
}
