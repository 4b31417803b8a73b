using System.Data.Common;

using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Storage;

/// <summary>The current version of a resource created in the current write session, waiting to be written.</summary>
internal readonly record struct ResourceRow(long Key, string Type, string Id, long LastUpdated, string Body);

/// <summary>
/// Buffers the rows a write session creates (new resources and their search-index rows) and sends them to the
/// database in as few statements as the engine allows. The session flushes before every read inside the
/// transaction and at commit, so its own reads always see its own writes.
/// </summary>
internal abstract class RowWriter(DbConnection connection, DbTransaction transaction) : IAsyncDisposable
{
    private static readonly string[] IndexTables = ["idx_string", "idx_token", "idx_date", "idx_reference", "idx_number", "idx_quantity", "idx_uri"];

    protected DbConnection Connection => connection;

    protected DbTransaction Transaction => transaction;

    protected List<ResourceRow> Resources { get; } = [];

    protected IndexRows Index { get; } = new();

    /// <summary>A new, never used resource key; keys are ordered integers (ADR 0002), not random UUIDs.</summary>
    public abstract ValueTask<long> NextKeyAsync(CancellationToken cancellationToken);

    public void AddResource(ResourceRow row) => Resources.Add(row);

    public void AddIndex(long key, ResourceIndex index) => Index.Add(key, index);

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (Resources.Count == 0 && Index.Count == 0)
        {
            return;
        }

        await WriteAsync(cancellationToken);
        Resources.Clear();
        Index.Clear();
    }

    public async Task DeleteIndexAsync(long key, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await using var command = NewCommand(string.Join(";\n", IndexTables.Select(t => $"DELETE FROM {t} WHERE resource_key = @key").Append("DELETE FROM patient_access WHERE source_key = @key")));
        FhirStore.AddParameter(command, "@key", key);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected abstract Task WriteAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stores a care relationship through an Appointment participant as the organization the participant (Location,
    /// HealthcareService, PractitionerRole) belongs to now, read from its reference index; nothing if it does not exist
    /// yet. Runs after this flush's resource and index rows, so a participant created in the same transaction counts.
    /// </summary>
    protected const string ResolveAccessSql = """
        INSERT INTO patient_access (source_key, patient_id, kind, target, valid_from, valid_to)
        SELECT DISTINCT @k, @patient, @kind, x.target_id, @from, @to FROM resources t JOIN idx_reference x ON x.resource_key = t.resource_key
        WHERE t.resource_type = @type AND t.resource_id = @id AND t.is_deleted = 0 AND x.param_id = @param AND x.target_type = 'Organization'
        """;

    protected static void BindResolve(DbCommand command, long key, PatientAccessRow row)
    {
        FhirStore.AddParameter(command, "@k", key);
        FhirStore.AddParameter(command, "@patient", row.PatientId);
        FhirStore.AddParameter(command, "@kind", (int)row.Kind);
        FhirStore.AddParameter(command, "@from", row.ValidFrom);
        FhirStore.AddParameter(command, "@to", row.ValidTo);
        FhirStore.AddParameter(command, "@type", row.ResolveType);
        FhirStore.AddParameter(command, "@id", row.Target);
        FhirStore.AddParameter(command, "@param", row.ResolveParamId);
    }

    protected DbCommand NewCommand(string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}

/// <summary>Index rows per table, each with the key of the resource version it belongs to.</summary>
internal sealed class IndexRows
{
    public List<(long Key, StringIndexValue V)> Strings { get; } = [];
    public List<(long Key, TokenIndexValue V)> Tokens { get; } = [];
    public List<(long Key, DateIndexValue V)> Dates { get; } = [];
    public List<(long Key, ReferenceIndexValue V)> References { get; } = [];
    public List<(long Key, NumberIndexValue V)> Numbers { get; } = [];
    public List<(long Key, QuantityIndexValue V)> Quantities { get; } = [];
    public List<(long Key, UriIndexValue V)> Uris { get; } = [];

    /// <summary>patient_access rows stored as they are.</summary>
    public List<(long Key, PatientAccessRow V)> Access { get; } = [];

    /// <summary>patient_access rows whose organization is read from another resource when they are written.</summary>
    public List<(long Key, PatientAccessRow V)> AccessToResolve { get; } = [];

    public int Count => Strings.Count + Tokens.Count + Dates.Count + References.Count + Numbers.Count + Quantities.Count + Uris.Count + Access.Count + AccessToResolve.Count;

    public void Add(long key, ResourceIndex index)
    {
        Append(Strings, key, index.Strings);
        Append(Tokens, key, index.Tokens);
        Append(Dates, key, index.Dates);
        Append(References, key, index.References);
        Append(Numbers, key, index.Numbers);
        Append(Quantities, key, index.Quantities);
        Append(Uris, key, index.Uris);
        foreach (var row in index.Access)
        {
            (row.ResolveType is null ? Access : AccessToResolve).Add((key, row));
        }
    }

    private static void Append<T>(List<(long Key, T V)> rows, long key, List<T> values)
    {
        foreach (var value in values)
        {
            rows.Add((key, value));
        }
    }

    public void Clear()
    {
        Strings.Clear();
        Tokens.Clear();
        Dates.Clear();
        References.Clear();
        Numbers.Clear();
        Quantities.Clear();
        Uris.Clear();
        Access.Clear();
        AccessToResolve.Clear();
    }
}
