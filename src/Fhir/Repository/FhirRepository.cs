using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Repository;

/// <summary>
/// The repository's interactions (FHIR R4 http.html), used by the REST API, the web UI, the CLI and other modules.
/// Each write runs in its own database transaction; a bundle runs in one (transaction) or one per entry (batch).
/// </summary>
internal sealed class FhirRepository(
    FhirStore store,
    ResourceWriter writer,
    SearchEngine search,
    SearchQueryParser parser,
    SearchParameterCatalog catalog,
    FhirSerializers serializers) : IFhirRepository
{
    public FhirSerializers Serializers => serializers;

    public SearchParameterCatalog Catalog => catalog;

    public void EnsureType(string type)
    {
        if (!catalog.IsResourceType(type))
        {
            throw FhirOperationException.NotFound($"'{type}' is not a FHIR R4 resource type this server knows.");
        }
    }

    public async Task<WriteResult> WriteAsync(Func<WriteSession, Task<WriteResult>> action, CancellationToken cancellationToken)
    {
        await using var session = await store.BeginWriteAsync(cancellationToken);
        var result = await action(session);
        await ResourceWriter.VerifyReferencesAsync(session, cancellationToken);
        await session.CommitAsync(cancellationToken);
        return result;
    }

    public Task<WriteResult> CreateAsync(Resource resource, string? ifNoneExist, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.CreateAsync(s, resource, ifNoneExist, cancellationToken), cancellationToken);

    public Task<WriteResult> UpdateAsync(string type, string id, Resource resource, int? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.UpdateAsync(s, type, id, resource, ifMatch, cancellationToken), cancellationToken);

    public Task<WriteResult> ConditionalUpdateAsync(string type, string criteria, Resource resource, int? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.ConditionalUpdateAsync(s, type, criteria, resource, ifMatch, cancellationToken), cancellationToken);

    public Task<WriteResult> DeleteAsync(string type, string id, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.DeleteAsync(s, type, id, cancellationToken), cancellationToken);

    public Task<WriteResult> ConditionalDeleteAsync(string type, string criteria, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.ConditionalDeleteAsync(s, type, criteria, cancellationToken), cancellationToken);

    /// <summary>JSON Patch (RFC 6902) applied to the current version, then stored as an ordinary update.</summary>
    public Task<WriteResult> PatchAsync(string type, string id, string patchDocument, int? ifMatch, CancellationToken cancellationToken) =>
        WriteAsync(s => writer.PatchAsync(s, type, id, patchDocument, ifMatch, cancellationToken), cancellationToken);

    /// <summary>The current version; 404 when it never existed, 410 when deleted.</summary>
    public async Task<StoredResource> ReadCurrentAsync(string type, string id, CancellationToken cancellationToken)
    {
        EnsureType(type);
        var stored = await store.ReadAsync(type, id, cancellationToken) ?? throw FhirOperationException.NotFound($"{type}/{id} does not exist.");
        if (stored.IsDeleted)
        {
            throw FhirOperationException.Gone($"{type}/{id} was deleted (version {stored.Version}).");
        }

        return stored;
    }

    public async Task<StoredResource> ReadVersionAsync(string type, string id, int version, CancellationToken cancellationToken)
    {
        EnsureType(type);
        var stored = await store.ReadVersionAsync(type, id, version, cancellationToken)
            ?? throw FhirOperationException.NotFound($"{type}/{id} has no version {version}.");
        if (stored.IsDeleted)
        {
            throw FhirOperationException.Gone($"Version {version} of {type}/{id} is a deletion.");
        }

        return stored;
    }

    public Task<(List<StoredResource> Page, long Total)> HistoryAsync(string? type, string? id, DateTimeOffset? since, DateTimeOffset till, int offset, int count, CancellationToken cancellationToken)
    {
        if (type is not null)
        {
            EnsureType(type);
        }

        return store.HistoryAsync(type, id, since, till, offset, count, cancellationToken);
    }

    public SearchQuery ParseSearch(string type, IEnumerable<KeyValuePair<string, string>> parameters, bool strict)
    {
        EnsureType(type);
        try
        {
            return parser.Parse(type, parameters, strict);
        }
        catch (SearchException e)
        {
            throw FhirOperationException.BadRequest(e.Message);
        }
    }

    public async Task<SearchOutcome> SearchAsync(SearchQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await search.SearchAsync(query, cancellationToken);
        }
        catch (SearchException e)
        {
            throw FhirOperationException.BadRequest(e.Message);
        }
    }

    public Task<Bundle> ProcessBundleAsync(Bundle bundle, bool returnRepresentation, CancellationToken cancellationToken) =>
        new Bundles.BundleProcessor(this, store, writer).ProcessAsync(bundle, returnRepresentation, cancellationToken);

    public Resource Parse(StoredResource stored) => serializers.ParseJson(stored.Body!);

    // IFhirRepository: the contract other modules and the UI use.
    async Task<FhirResourceVersion> IFhirRepository.CreateAsync(Resource resource, CancellationToken cancellationToken)
    {
        var result = await CreateAsync(resource, null, cancellationToken);
        return ToVersion(result.Stored!);
    }

    async Task<Resource?> IFhirRepository.ReadAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        if (!catalog.IsResourceType(resourceType))
        {
            return null;
        }

        var stored = await store.ReadAsync(resourceType, id, cancellationToken);
        return stored is null || stored.IsDeleted ? null : Parse(stored);
    }

    async Task<FhirSearchPage> IFhirRepository.SearchAsync(string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var query = ParseSearch(resourceType, parameters, strict: true);
        var outcome = await SearchAsync(query, cancellationToken);
        IReadOnlyList<KeyValuePair<string, string>>? next = outcome.NextCursor is null
            ? null
            : [.. query.Echo, new("_cursor", outcome.NextCursor)];
        return new FhirSearchPage([.. outcome.Matches.Select(Parse)], [.. outcome.Included.Select(Parse)], outcome.Total, next);
    }

    async Task<IReadOnlyList<FhirResourceVersion>> IFhirRepository.HistoryAsync(string resourceType, string id, CancellationToken cancellationToken)
    {
        var (page, _) = await HistoryAsync(resourceType, id, null, DateTimeOffset.MaxValue, 0, 1000, cancellationToken);
        return [.. page.Select(ToVersion)];
    }

    async Task<IReadOnlyDictionary<string, long>> IFhirRepository.CountByTypeAsync(CancellationToken cancellationToken) =>
        await store.CountByTypeAsync(cancellationToken);

    Task<Bundle> IFhirRepository.ProcessBundleAsync(Bundle bundle, CancellationToken cancellationToken) =>
        ProcessBundleAsync(bundle, returnRepresentation: false, cancellationToken);

    private FhirResourceVersion ToVersion(StoredResource stored) =>
        new(stored.ResourceType, stored.Id, stored.Version, stored.LastUpdated, stored.IsDeleted, stored.Body is null ? null : Parse(stored));
}
