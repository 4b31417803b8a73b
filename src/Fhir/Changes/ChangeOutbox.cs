using System.Data.Common;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Changes;

/// <summary>
/// The table <c>resource_changes</c>: one row per (consumer, written version) of a subscribed type, inserted in the
/// write's own transaction, deleted when the consumer acknowledges it. Only subscribed types cost a row, so a bulk load
/// of Observations writes none while every Patient written reaches the MPI.
/// </summary>
internal sealed class ChangeOutbox(FhirDatabase database, IEnumerable<ResourceChangeSubscription> subscriptions) : IResourceChangeFeed
{
    private readonly Dictionary<string, string[]> _consumersByType = subscriptions
        .SelectMany(s => s.ResourceTypes.Select(t => (Type: t, s.Consumer)))
        .GroupBy(x => x.Type, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Select(x => x.Consumer).Distinct(StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);

    public IReadOnlyList<ResourceChangeSubscription> Subscriptions { get; } = [.. subscriptions];

    /// <summary>Records the change for every consumer of its type, inside <paramref name="transaction"/>.</summary>
    public async Task RecordAsync(DbConnection connection, DbTransaction transaction, ResourceChange change, CancellationToken cancellationToken)
    {
        if (!_consumersByType.TryGetValue(change.ResourceType, out var consumers))
        {
            return;
        }

        foreach (var consumer in consumers)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO resource_changes (consumer, resource_type, resource_id, version, is_deleted) VALUES (@c, @t, @i, @v, @d)";
            Bind(command, consumer, change);
            FhirStore.AddParameter(command, "@d", change.IsDeleted ? 1 : 0);
            if (database.Provider == Platform.Persistence.DatabaseProvider.Postgres)
            {
                command.Parameters[4].DbType = System.Data.DbType.Int16;
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public bool IsSubscribed(string resourceType) => _consumersByType.ContainsKey(resourceType);

    public async Task<IReadOnlyList<ResourceChange>> PendingAsync(string consumer, int max, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT resource_type, resource_id, version, is_deleted FROM resource_changes WHERE consumer = @c ORDER BY seq LIMIT @n";
        FhirStore.AddParameter(command, "@c", consumer);
        FhirStore.AddParameter(command, "@n", max);
        var changes = new List<ResourceChange>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new ResourceChange(reader.GetString(0), reader.GetString(1), reader.GetInt32(2), reader.GetInt32(3) != 0));
        }

        return changes;
    }

    public async Task AcknowledgeAsync(string consumer, IReadOnlyCollection<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var change in changes)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "DELETE FROM resource_changes WHERE consumer = @c AND resource_type = @t AND resource_id = @i AND version <= @v";
            Bind(command, consumer, change);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<long> CountPendingAsync(string consumer, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM resource_changes WHERE consumer = @c";
        FhirStore.AddParameter(command, "@c", consumer);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Bind(DbCommand command, string consumer, ResourceChange change)
    {
        FhirStore.AddParameter(command, "@c", consumer);
        FhirStore.AddParameter(command, "@t", change.ResourceType);
        FhirStore.AddParameter(command, "@i", change.Id);
        FhirStore.AddParameter(command, "@v", change.Version);
    }
}
