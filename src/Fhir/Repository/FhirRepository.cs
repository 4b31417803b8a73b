using Hl7.Fhir.Model;
using YTeSo.Fhir.Access;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Operations;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Repository;

/// <summary>One page of <c>Patient/[id]/$everything</c>: the patient, the visible page, and how many are visible in all.</summary>
internal sealed record EverythingPage(StoredResource Patient, List<StoredResource> Page, int Total);

/// <summary>
/// The repository's interactions (FHIR R4 http.html), used by the REST API, the web UI, the CLI and other modules.
/// Each write runs in its own database transaction; a bundle runs in one (transaction) or one per entry (batch).
/// Every entry point takes the caller's <see cref="FhirAccess"/>: scopes are checked here (<see cref="AccessRules"/>),
/// the patient filter and sensitivity rules run inside the SQL (<see cref="AccessSql"/>), and each interaction is
/// audited once through <see cref="RepositoryAudit"/> before its result is returned.
/// </summary>
internal sealed class FhirRepository(
    FhirStore store,
    ResourceWriter writer,
    SearchEngine search,
    SearchQueryParser parser,
    SearchParameterCatalog catalog,
    FhirSerializers serializers,
    AccessSql accessSql,
    PatientCompartment compartment,
    RepositoryAudit audit,
    ExportJobs exports,
    Changes.ChangeDispatcher changes) : IFhirRepository
{
    public FhirSerializers Serializers => serializers;

    public SearchParameterCatalog Catalog => catalog;

    internal RepositoryAudit Audit => audit;

    internal Changes.ChangeDispatcher Changes => changes;

    public void EnsureType(string type)
    {
        if (!catalog.IsResourceType(type))
        {
            throw FhirOperationException.NotFound($"'{type}' is not a FHIR R4 resource type this server knows.");
        }
    }

    public async Task<WriteResult> WriteAsync(Func<WriteSession, Task<WriteResult>> action, CancellationToken cancellationToken)
    {
        WriteResult result;
        List<ResourceChange> written;
        await using (var session = await store.BeginWriteAsync(cancellationToken))
        {
            result = await action(session);
            await ResourceWriter.VerifyReferencesAsync(session, cancellationToken);
            await session.CommitAsync(cancellationToken);
            written = session.Changes;
        }

        // After the write lock is released: a handler (the MPI) writes through this repository itself.
        await changes.DispatchAsync(written, cancellationToken);
        return result;
    }

    public Task<WriteResult> CreateAsync(FhirAccess access, Resource resource, string? ifNoneExist, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Create, resource.TypeName, null, ifNoneExist, Needs.Create(ifNoneExist),
            s => writer.CreateAsync(s, access, resource, ifNoneExist, cancellationToken), cancellationToken);

    public Task<WriteResult> UpdateAsync(FhirAccess access, string type, string id, Resource resource, int? ifMatch, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Update, type, id, null, FhirInteractions.Update,
            s => writer.UpdateAsync(s, access, type, id, resource, ifMatch, cancellationToken), cancellationToken);

    public Task<WriteResult> ConditionalUpdateAsync(FhirAccess access, string type, string criteria, Resource resource, int? ifMatch, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Update, type, null, criteria, FhirInteractions.Update | FhirInteractions.Search,
            s => writer.ConditionalUpdateAsync(s, access, type, criteria, resource, ifMatch, cancellationToken), cancellationToken);

    public Task<WriteResult> DeleteAsync(FhirAccess access, string type, string id, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Delete, type, id, null, FhirInteractions.Delete,
            s => writer.DeleteAsync(s, access, type, id, cancellationToken), cancellationToken);

    public Task<WriteResult> ConditionalDeleteAsync(FhirAccess access, string type, string criteria, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Delete, type, null, criteria, FhirInteractions.Delete | FhirInteractions.Search,
            s => writer.ConditionalDeleteAsync(s, access, type, criteria, cancellationToken), cancellationToken);

    /// <summary>JSON Patch (RFC 6902) applied to the current version, then stored as an ordinary update.</summary>
    public Task<WriteResult> PatchAsync(FhirAccess access, string type, string id, string patchDocument, int? ifMatch, CancellationToken cancellationToken) =>
        AuditedWriteAsync(access, AuditActions.Patch, type, id, null, FhirInteractions.Update,
            s => writer.PatchAsync(s, access, type, id, patchDocument, ifMatch, cancellationToken), cancellationToken);

    private Task<WriteResult> AuditedWriteAsync(
        FhirAccess access, string action, string type, string? id, string? query, FhirInteractions needed, Func<WriteSession, Task<WriteResult>> write, CancellationToken cancellationToken) =>
        audit.RunAsync(access, action, type, id is null ? null : $"{type}/{id}", query, async () =>
        {
            EnsureType(type);
            AccessRules.Require(access, type, needed);
            var result = await WriteAsync(write, cancellationToken);
            return (result, Facts(result));
        }, cancellationToken);

    internal static AuditFacts Facts(WriteResult result) =>
        result.Stored is { } stored ? new AuditFacts([$"{stored.ResourceType}/{stored.Id}"], result.PatientIds) : AuditFacts.None;

    /// <summary>The current version; 404 when it never existed or the caller cannot see it, 410 when deleted.</summary>
    public Task<StoredResource> ReadCurrentAsync(FhirAccess access, string type, string id, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Read, type, $"{type}/{id}", null, async () =>
        {
            var stored = await CurrentVisibleAsync(access, type, id, cancellationToken);
            return (stored, await FactsAsync([stored], cancellationToken));
        }, cancellationToken);

    public Task<StoredResource> ReadVersionAsync(FhirAccess access, string type, string id, int version, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.VersionRead, type, $"{type}/{id}/_history/{version}", null, async () =>
        {
            // A version is visible when the resource is: its current state and index decide (history has no index).
            await CurrentVisibleAsync(access, type, id, cancellationToken, allowDeleted: true);
            var stored = await store.ReadVersionAsync(type, id, version, cancellationToken)
                ?? throw FhirOperationException.NotFound($"{type}/{id} has no version {version}.");
            if (stored.IsDeleted)
            {
                throw FhirOperationException.Gone($"Version {version} of {type}/{id} is a deletion.");
            }

            return (stored, await FactsAsync([stored], cancellationToken));
        }, cancellationToken);

    /// <summary>Read scope, then the current row under the caller's access condition: hidden and missing look the same.</summary>
    private async Task<StoredResource> CurrentVisibleAsync(FhirAccess access, string type, string id, CancellationToken cancellationToken, bool allowDeleted = false)
    {
        EnsureType(type);
        AccessRules.Require(access, type, FhirInteractions.Read);
        var p = new SqlParameters();
        var stored = await store.ReadAsync(type, id, accessSql.Visible(access, type, "r", p), p, cancellationToken)
            ?? throw FhirOperationException.NotFound($"{type}/{id} does not exist.");
        if (stored.IsDeleted && !allowDeleted)
        {
            throw FhirOperationException.Gone($"{type}/{id} was deleted (version {stored.Version}).");
        }

        return stored;
    }

    /// <summary>
    /// History of one resource (needs read; 404 when hidden), of a type or of the whole system (need search), listing
    /// only versions of resources the caller can see.
    /// </summary>
    public Task<(List<StoredResource> Page, long Total)> HistoryAsync(
        FhirAccess access, string? type, string? id, DateTimeOffset? since, DateTimeOffset till, int offset, int count, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.History, type, type is not null && id is not null ? $"{type}/{id}" : null, $"_since={since:O}&_offset={offset}&_count={count}", async () =>
        {
            if (type is not null && id is not null)
            {
                await CurrentVisibleAsync(access, type, id, cancellationToken, allowDeleted: true);
            }
            else
            {
                if (type is not null)
                {
                    EnsureType(type);
                }

                AccessRules.Require(access, type ?? "*", FhirInteractions.Search);
            }

            var p = new SqlParameters();
            var history = await store.HistoryAsync(type, id, since, till, offset, count, accessSql.Visible(access, type, "r", p), p, cancellationToken);
            return (history, await FactsAsync(history.Page, cancellationToken));
        }, cancellationToken);

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

    public Task<SearchOutcome> SearchAsync(FhirAccess access, SearchQuery query, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Search, query.ResourceType, null, QueryString.Format(query.Echo), async () =>
        {
            AccessRules.RequireSearch(access, query.ResourceType, countOnly: query.Summary == "count");
            try
            {
                var outcome = await search.SearchAsync(access, query, cancellationToken);
                return (outcome, await FactsAsync([.. outcome.Matches, .. outcome.Included], cancellationToken));
            }
            catch (SearchException e)
            {
                throw FhirOperationException.BadRequest(e.Message);
            }
        }, cancellationToken);

    public Task<Bundle> ProcessBundleAsync(FhirAccess access, Bundle bundle, bool returnRepresentation, CancellationToken cancellationToken) =>
        new Bundles.BundleProcessor(this, store, writer, audit).ProcessAsync(access, bundle, returnRepresentation, cancellationToken);

    /// <summary>
    /// Patient/[id]/$everything: needs read on Patient; 404 when the patient is hidden; lists only visible resources of
    /// types the caller may read.
    /// </summary>
    public Task<EverythingPage> EverythingAsync(
        FhirAccess access, string id, IReadOnlySet<string> types, DateTimeOffset? since, int offset, int count, string query, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Operation, "Patient", $"Patient/{id}", query, async () =>
        {
            var patient = await CurrentVisibleAsync(access, "Patient", id, cancellationToken);
            var p = new SqlParameters();
            var keys = await EverythingEndpoint.KeysAsync(store, patient, accessSql.Visible(access, null, "r", p), p, cancellationToken);
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            var all = await store.ReadByKeysAsync(connection, null, keys, cancellationToken);
            var selected = all
                .Where(r => access.Allows(r.ResourceType, FhirInteractions.Read))
                .Where(r => types.Count == 0 || types.Contains(r.ResourceType))
                .Where(r => since is null || r.LastUpdated > since)
                .ToList();
            var page = selected.Skip(offset).Take(count).ToList();
            return (new EverythingPage(patient, page, selected.Count), await FactsAsync(page, cancellationToken));
        }, cancellationToken);

    /// <summary>
    /// Starts a Bulk Data export of what the caller may read and search: <c>_type</c> is narrowed to those types (403
    /// when none is left) and the job applies the caller's access condition to every row it writes.
    /// </summary>
    public Task<string> StartExportAsync(
        FhirAccess access, string request, string[]? types, DateTimeOffset? since, bool patientCompartment, string baseUrl, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Export, types is [var only] ? only : null, null, request, async () =>
        {
            const FhirInteractions needed = FhirInteractions.Read | FhirInteractions.Search;
            if (access.AggregatesOnly)
            {
                AccessRules.Require(access, types?.FirstOrDefault() ?? "*", needed);
            }

            string[]? allowed;
            if (types is not null)
            {
                allowed = [.. types.Where(t => access.Allows(t, needed))];
            }
            else if (access.Allows("*", needed))
            {
                allowed = null;
            }
            else
            {
                allowed = [.. access.Scopes.Keys.Where(t => t != "*" && catalog.IsResourceType(t) && access.Allows(t, needed)).Order(StringComparer.Ordinal)];
            }

            if (allowed is [])
            {
                throw AccessRules.Forbidden($"This request needs scope */{types?.FirstOrDefault() ?? "*"}.{AccessRules.Letters(needed)}.");
            }

            var job = await exports.StartAsync(access, request, allowed, since, patientCompartment, baseUrl, cancellationToken);
            return (job, AuditFacts.None);
        }, cancellationToken);

    /// <summary>
    /// The path of one NDJSON file of the caller's own completed export job. Each download is audited: the kick-off
    /// records what was asked for, the downloads record the data leaving the platform.
    /// </summary>
    public Task<string> ExportFileAsync(FhirAccess access, string job, string file, CancellationToken cancellationToken)
    {
        var type = Path.GetFileNameWithoutExtension(file);
        return audit.RunAsync(access, AuditActions.Export, catalog.IsResourceType(type) ? type : null, $"$export-file/{job}/{file}", null, async () =>
        {
            var path = await exports.FilePathAsync(access, job, file, cancellationToken)
                ?? throw FhirOperationException.NotFound($"No file '{file}' in export '{job}'.");
            return (path, new AuditFacts([$"$export-file/{job}/{file}"], []));
        }, cancellationToken);
    }

    /// <summary>Visible current resources per type the caller may search; statistics accounts may count too.</summary>
    public Task<IReadOnlyDictionary<string, long>> CountByTypeAsync(FhirAccess access, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Search, null, null, "_summary=count (per resource type)", async () =>
        {
            var p = new SqlParameters();
            var counts = await store.CountByTypeAsync(accessSql.Visible(access, null, "r", p), p, cancellationToken);
            IReadOnlyDictionary<string, long> allowed = counts.Where(c => access.Allows(c.Key, FhirInteractions.Search)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            return (allowed, AuditFacts.None);
        }, cancellationToken);

    /// <summary>
    /// Every current resource referencing <paramref name="type"/>/<paramref name="id"/> (IFhirRepository contract):
    /// the index holds a row per search-parameter reference and one per other local reference
    /// (<see cref="IndexExtractor.OtherReferenceParamId"/>), so a seek by target finds them all. Hidden ones are counted.
    /// </summary>
    public Task<FhirReferrers> FindReferrersAsync(FhirAccess access, string type, string id, int limit, CancellationToken cancellationToken) =>
        audit.RunAsync(access, AuditActions.Search, null, null, $"_referrers={type}/{id}", async () =>
        {
            EnsureType(type);
            var p = new SqlParameters();
            var all = await store.ReferrerKeysAsync(type, id, null, null, limit + 1, cancellationToken);
            var visibleKeys = await store.ReferrerKeysAsync(type, id, accessSql.Visible(access, null, "r", p), p, limit + 1, cancellationToken);
            await using var connection = await store.Database.OpenAsync(cancellationToken);
            var rows = await store.ReadByKeysAsync(connection, null, [.. visibleKeys.Take(limit)], cancellationToken);
            var readable = rows.Where(r => access.Allows(r.ResourceType, FhirInteractions.Read)).ToList();
            var hidden = Math.Max(0, Math.Min(all.Count, limit) - readable.Count);
            var result = new FhirReferrers([.. readable.Select(ToVersion)], hidden, all.Count > limit);
            return (result, await FactsAsync(readable, cancellationToken));
        }, cancellationToken);

    public Resource Parse(StoredResource stored) => serializers.ParseJson(stored.Body!);

    /// <summary>The references and patients of what an interaction returns, for its audit record.</summary>
    internal async Task<AuditFacts> FactsAsync(IReadOnlyCollection<StoredResource> resources, CancellationToken cancellationToken)
    {
        if (resources.Count == 0)
        {
            return AuditFacts.None;
        }

        await using var connection = await store.Database.OpenAsync(cancellationToken);
        var patients = await FhirStore.PatientIdsAsync(connection, null, resources, compartment.ParamIdsSql(null), cancellationToken);
        return new AuditFacts([.. resources.Select(r => $"{r.ResourceType}/{r.Id}").Distinct()], patients);
    }

    // IFhirRepository: the contract other modules and the UI use.
    async Task<FhirResourceVersion> IFhirRepository.CreateAsync(FhirAccess access, Resource resource, CancellationToken cancellationToken)
    {
        var result = await CreateAsync(access, resource, null, cancellationToken);
        return ToVersion(result.Stored!);
    }

    async Task<Resource?> IFhirRepository.ReadAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken)
    {
        try
        {
            return Parse(await ReadCurrentAsync(access, resourceType, id, cancellationToken));
        }
        catch (FhirOperationException e) when (e.Status is 404 or 410)
        {
            return null;
        }
    }

    async Task<FhirSearchPage> IFhirRepository.SearchAsync(FhirAccess access, string resourceType, IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken)
    {
        var query = ParseSearch(resourceType, parameters, strict: true);
        var outcome = await SearchAsync(access, query, cancellationToken);
        IReadOnlyList<KeyValuePair<string, string>>? next = outcome.NextCursor is null
            ? null
            : [.. query.Echo, new("_cursor", outcome.NextCursor)];
        return new FhirSearchPage([.. outcome.Matches.Select(Parse)], [.. outcome.Included.Select(Parse)], outcome.Total, next);
    }

    async Task<IReadOnlyList<FhirResourceVersion>> IFhirRepository.HistoryAsync(FhirAccess access, string resourceType, string id, CancellationToken cancellationToken)
    {
        try
        {
            var (page, _) = await HistoryAsync(access, resourceType, id, null, DateTimeOffset.MaxValue, 0, 1000, cancellationToken);
            return [.. page.Select(ToVersion)];
        }
        catch (FhirOperationException e) when (e.Status == 404)
        {
            return [];
        }
    }

    Task<IReadOnlyDictionary<string, long>> IFhirRepository.CountByTypeAsync(FhirAccess access, CancellationToken cancellationToken) =>
        CountByTypeAsync(access, cancellationToken);

    Task<Bundle> IFhirRepository.ProcessBundleAsync(FhirAccess access, Bundle bundle, CancellationToken cancellationToken) =>
        ProcessBundleAsync(access, bundle, returnRepresentation: false, cancellationToken);

    private FhirResourceVersion ToVersion(StoredResource stored) =>
        new(stored.ResourceType, stored.Id, stored.Version, stored.LastUpdated, stored.IsDeleted, stored.Body is null ? null : Parse(stored));

    /// <summary>The scopes each kind of write needs (SMART v2; conditional forms search as well).</summary>
    internal static class Needs
    {
        public static FhirInteractions Create(string? ifNoneExist) =>
            string.IsNullOrEmpty(ifNoneExist) ? FhirInteractions.Create : FhirInteractions.Create | FhirInteractions.Search;
    }
}
