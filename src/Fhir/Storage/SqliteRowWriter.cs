using System.Data.Common;

namespace YTeSo.Fhir.Storage;

/// <summary>
/// SQLite: rows go in as prepared multi-row INSERTs of up to <see cref="RowsPerStatement"/> rows. SQLite runs
/// in-process, so what costs is the per-statement work in the driver (reset, bind, step, reader set-up); one
/// statement per 64 rows pays it once instead of 64 times.
/// </summary>
internal sealed class SqliteRowWriter(DbConnection connection, DbTransaction transaction) : RowWriter(connection, transaction)
{
    private const int RowsPerStatement = 64;

    private readonly Dictionary<(string Target, int Rows), DbCommand> _commands = [];
    private long _nextKey;

    public override async ValueTask<long> NextKeyAsync(CancellationToken cancellationToken)
    {
        if (_nextKey == 0)
        {
            // The session holds the store's single writer lock (FhirDatabase.EnterWriteAsync) for its whole transaction,
            // and resource rows are never removed (deletion is a version), so MAX + 1 cannot be taken by anyone else.
            await using var command = NewCommand("SELECT COALESCE(MAX(resource_key), 0) + 1 FROM resources");
            _nextKey = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }

        return _nextKey++;
    }

    protected override Task WriteAsync(CancellationToken cancellationToken)
    {
        Insert("resources (resource_key, resource_type, resource_id, version, last_updated, is_deleted, body)", "(@, @, @, 1, @, 0, @)", Resources,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.Type; p[o + 2].Value = r.Id; p[o + 3].Value = r.LastUpdated; p[o + 4].Value = r.Body; });
        Insert("idx_string (resource_key, param_id, value_folded, value_exact)", "(@, @, @, @)", Index.Strings,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = r.V.Folded; p[o + 3].Value = r.V.Exact; });
        Insert("idx_token (resource_key, param_id, system, code, text_folded)", "(@, @, @, @, @)", Index.Tokens,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = Db(r.V.System); p[o + 3].Value = Db(r.V.Code); p[o + 4].Value = Db(r.V.Text); });
        Insert("idx_date (resource_key, param_id, low, high)", "(@, @, @, @)", Index.Dates,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = r.V.Low; p[o + 3].Value = r.V.High; });
        Insert("idx_reference (resource_key, param_id, target_type, target_id)", "(@, @, @, @)", Index.References,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = Db(r.V.TargetType); p[o + 3].Value = r.V.TargetId; });
        Insert("idx_number (resource_key, param_id, value)", "(@, @, @)", Index.Numbers,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = r.V.Value; });
        Insert("idx_quantity (resource_key, param_id, system, code, low, high)", "(@, @, @, @, @, @)", Index.Quantities,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = Db(r.V.System); p[o + 3].Value = Db(r.V.Code); p[o + 4].Value = Db(r.V.Low); p[o + 5].Value = Db(r.V.High); });
        Insert("idx_uri (resource_key, param_id, value)", "(@, @, @)", Index.Uris,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.ParamId; p[o + 2].Value = r.V.Value; });
        Insert("patient_access (source_key, patient_id, kind, target, valid_from, valid_to)", "(@, @, @, @, @, @)", Index.Access,
            static (r, p, o) => { p[o].Value = r.Key; p[o + 1].Value = r.V.PatientId; p[o + 2].Value = (int)r.V.Kind; p[o + 3].Value = r.V.Target; p[o + 4].Value = r.V.ValidFrom; p[o + 5].Value = r.V.ValidTo; });
        foreach (var (key, row) in Index.AccessToResolve)
        {
            using var command = NewCommand(ResolveAccessSql);
            BindResolve(command, key, row);
            command.ExecuteNonQuery();
        }

        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    private static object Db(object? value) => value ?? DBNull.Value;

    private void Insert<T>(string target, string rowTemplate, List<T> rows, Action<T, DbParameterCollection, int> bind)
    {
        var perRow = rowTemplate.Count(c => c == '@');
        for (var start = 0; start < rows.Count; start += RowsPerStatement)
        {
            var count = Math.Min(RowsPerStatement, rows.Count - start);
            var command = Command(target, rowTemplate, perRow, count);
            for (var i = 0; i < count; i++)
            {
                bind(rows[start + i], command.Parameters, i * perRow);
            }

            command.ExecuteNonQuery();
        }
    }

    private DbCommand Command(string target, string rowTemplate, int perRow, int rows)
    {
        if (_commands.TryGetValue((target, rows), out var command))
        {
            return command;
        }

        var values = new System.Text.StringBuilder();
        var parameter = 0;
        for (var row = 0; row < rows; row++)
        {
            if (row > 0)
            {
                values.Append(", ");
            }

            foreach (var c in rowTemplate)
            {
                values.Append(c);
                if (c == '@')
                {
                    values.Append('p').Append(parameter++);
                }
            }
        }

        command = NewCommand($"INSERT INTO {target} VALUES {values}");
        for (var p = 0; p < perRow * rows; p++)
        {
            FhirStore.AddParameter(command, $"@p{p}", null);
        }

        command.Prepare();
        _commands[(target, rows)] = command;
        return command;
    }
}
