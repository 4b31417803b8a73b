namespace YTeSo.Fhir.Contracts;

/// <summary>A version of a resource that was written (created, updated or deleted) and that a consumer has subscribed to.</summary>
public sealed record ResourceChange(string ResourceType, string Id, int Version, bool IsDeleted);

/// <summary>
/// A module's reaction to writes of some resource types (the MPI links every Patient written). Changes are recorded in
/// the same database transaction as the write (an outbox, architecture guide §3), so none is lost if the process dies:
/// after commit they are handed to <see cref="HandleAsync"/> before the write's caller gets its answer, and whatever was
/// not handled then (a failure, a crash, a bulk import) is handed over again by a background worker until it succeeds.
/// A handler must therefore be idempotent: it may see a change twice, or a newer version than the change names.
/// Register with <c>services.AddResourceChangeHandler&lt;T&gt;(consumer, types)</c>.
/// </summary>
public interface IResourceChangeHandler
{
    Task HandleAsync(IReadOnlyList<ResourceChange> changes, CancellationToken cancellationToken);
}

/// <summary>Which resource types a consumer (a stable name, stored with each pending change) wants to hear about.</summary>
public sealed record ResourceChangeSubscription(string Consumer, IReadOnlySet<string> ResourceTypes, Type HandlerType);

/// <summary>
/// Delivery of recorded changes, for consumers that drain in bulk (a batch job after a large import) instead of waiting
/// for the background worker.
/// </summary>
public interface IResourceChangeFeed
{
    /// <summary>The oldest changes not yet acknowledged by <paramref name="consumer"/>, in write order.</summary>
    Task<IReadOnlyList<ResourceChange>> PendingAsync(string consumer, int max, CancellationToken cancellationToken);

    /// <summary>Marks changes handled; acknowledging a version also clears older pending versions of that resource.</summary>
    Task AcknowledgeAsync(string consumer, IReadOnlyCollection<ResourceChange> changes, CancellationToken cancellationToken);

    /// <summary>How many changes wait for <paramref name="consumer"/>.</summary>
    Task<long> CountPendingAsync(string consumer, CancellationToken cancellationToken);
}
