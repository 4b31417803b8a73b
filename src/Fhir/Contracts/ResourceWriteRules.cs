using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Contracts;

/// <summary>
/// A module's business rule on resources of some types, checked before each create or update is stored (a facility
/// code must be well formed; a practice licence number belongs to one practitioner). Runs inside the write's database
/// transaction, so in a transaction Bundle it sees the entries written before it; a refusal aborts the whole write
/// (the client gets 422 with an OperationOutcome naming each problem, and nothing is stored). Rules are singletons and
/// must not call <see cref="IFhirRepository"/>: <see cref="IStoredResources"/> reads what the write's transaction sees.
/// The bulk importer (<c>yteso import fhir</c>, for trusted migrations) does not run them. Register with
/// <c>services.AddResourceWriteRule&lt;T&gt;()</c>.
/// </summary>
public interface IResourceWriteRule
{
    /// <summary>The resource types this rule checks.</summary>
    IReadOnlyCollection<string> ResourceTypes { get; }

    /// <summary>
    /// The problems with <paramref name="resource"/> (its id is already assigned), each a sentence naming the element,
    /// the value and the rule; empty when it may be stored.
    /// </summary>
    Task<IReadOnlyList<string>> CheckAsync(Resource resource, IStoredResources stored, CancellationToken cancellationToken);
}

/// <summary>Current resources as the write's transaction sees them, for rules that compare with what is stored.</summary>
public interface IStoredResources
{
    /// <summary>
    /// Current resources of <paramref name="resourceType"/> matching FHIR search parameters (a query string such as
    /// <c>identifier=system|value</c>), at most <paramref name="max"/>, whoever may see them.
    /// </summary>
    Task<IReadOnlyList<Resource>> SearchAsync(string resourceType, string query, int max, CancellationToken cancellationToken);
}
