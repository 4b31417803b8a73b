using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Contracts;

/// <summary>
/// The clinical data repository as other modules and the web UI see it. Every clinical write goes through here,
/// so there is one version history, one search index and one audit trail. Every call takes the caller's
/// <see cref="FhirAccess"/> (trusted platform work passes <see cref="FhirAccess.System"/>): scopes are checked, what the
/// caller may not see is treated as not found, and each call is audited. A refused scope throws an exception that the
/// FHIR API answers with 403.
/// </summary>
public interface IFhirRepository
{
    /// <summary>Creates a resource with a server-assigned id; returns the stored version.</summary>
    Task<FhirResourceVersion> CreateAsync(FhirAccess access, Resource resource, CancellationToken cancellationToken);

    /// <summary>The current version, or null when the resource does not exist, is deleted or is hidden from the caller.</summary>
    Task<Resource?> ReadAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>Searches one resource type with FHIR search parameters (as in a query string); only visible resources.</summary>
    Task<FhirSearchPage> SearchAsync(FhirAccess access, string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken);

    /// <summary>
    /// The versions of one resource, newest first: at most the 1,000 newest (the FHIR API pages through all); empty when
    /// the resource does not exist or is hidden from the caller.
    /// </summary>
    Task<IReadOnlyList<FhirResourceVersion>> HistoryAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken);

    /// <summary>Number of current (not deleted) resources the caller can see, per resource type it may search.</summary>
    Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(FhirAccess access, CancellationToken cancellationToken);

    /// <summary>Processes a batch or transaction Bundle exactly as <c>POST /fhir</c> does; returns the response Bundle.</summary>
    Task<Bundle> ProcessBundleAsync(FhirAccess access, Bundle bundle, CancellationToken cancellationToken);

    /// <summary>
    /// Every current resource (any type, not deleted, not <paramref name="resourceType"/>/<paramref name="id"/> itself)
    /// holding a local reference (<c>Type/id</c>, with or without <c>/_history/n</c>) to it anywhere: any element,
    /// extensions and contained resources included, whether or not a search parameter covers the path. Absolute URLs
    /// are not recognised as local. A seek on the reference index by target, not a scan; in key order, at most
    /// <paramref name="limit"/> (<see cref="FhirReferrers.Truncated"/> says more exist). What the caller may not read
    /// (scope, patient filter, sensitivity) is left out and counted in <see cref="FhirReferrers.Hidden"/>. Audited as a
    /// search. Resources stored before the complete reference index existed are found only through their search
    /// parameters until they are written again (docs/mpi.md).
    /// </summary>
    Task<FhirReferrers> FindReferrersAsync(FhirAccess access, string resourceType, string id, int limit, CancellationToken cancellationToken);
}

/// <summary>What <see cref="IFhirRepository.FindReferrersAsync"/> found: the visible referrers at their current version.</summary>
public sealed record FhirReferrers(IReadOnlyList<FhirResourceVersion> Resources, int Hidden, bool Truncated);

/// <summary>One version of a resource: <see cref="Resource"/> is null for a deletion.</summary>
public sealed record FhirResourceVersion(string ResourceType, string Id, int Version, DateTimeOffset LastUpdated, bool IsDeleted, Resource? Resource);

/// <summary>
/// One page of search results; <see cref="NextPageParameters"/> continues the search when more remain. <see cref="Total"/>
/// is null when more than <see cref="DefaultTotalLimit"/> resources match and the search did not ask for
/// <c>_total=accurate</c>.
/// </summary>
public sealed record FhirSearchPage(
    IReadOnlyList<Resource> Resources,
    IReadOnlyList<Resource> Included,
    long? Total,
    IReadOnlyList<KeyValuePair<string, string>>? NextPageParameters)
{
    /// <summary>Without <c>_total=accurate</c>, a search counts its matches only up to this many.</summary>
    public const int DefaultTotalLimit = 1000;
}
