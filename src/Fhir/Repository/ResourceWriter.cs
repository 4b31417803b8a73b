using Hl7.Fhir.Model;
using YTeSo.Fhir.Access;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Repository;

/// <summary>The outcome of one write: the stored version (null for a delete of nothing) and the HTTP status to answer with.</summary>
internal sealed record WriteResult(int Status, StoredResource? Stored, Resource? Resource)
{
    /// <summary>The patients whose record the written resource belongs to (for the audit trail).</summary>
    public IReadOnlyList<string> PatientIds { get; init; } = [];
}

/// <summary>
/// A resource stamped with its version, serialized, indexed and with its local references listed: ready to store.
/// It keeps no parsed resource, so thousands can wait for the bulk importer's writer without filling the heap.
/// </summary>
internal sealed record PreparedResource(
    string Type, string Id, DateTimeOffset LastUpdated, string Body, ResourceIndex Index, List<(string Type, string Id, string Path)> References);

/// <summary>
/// The write interactions of FHIR R4 http.html (create, update, delete and their conditional forms), performed inside
/// a <see cref="WriteSession"/> so that a transaction Bundle runs them all in one database transaction.
/// </summary>
/// <remarks>
/// Access (docs/security.md): a resource the caller cannot see is treated as absent. Update, patch and delete of it
/// answer 404, and conditional criteria match only visible resources; so a facility that cannot see a patient creates a
/// second one instead of learning that the first exists (the master patient index links such duplicates). Creating is
/// allowed for any patient, since writing discloses nothing.
/// </remarks>
internal sealed class ResourceWriter(
    FhirStore store,
    IndexExtractor extractor, FhirSerializers serializers, TimeProvider clock, SearchEngine search, SearchQueryParser parser, SearchParameterCatalog catalog, FhirOptions options,
    AccessSql accessSql, PatientCompartment compartment, IEnumerable<IResourceWriteRule> rules)
{
    private readonly ILookup<string, IResourceWriteRule> _rules = rules.SelectMany(r => r.ResourceTypes.Select(t => (Type: t, Rule: r))).ToLookup(x => x.Type, x => x.Rule, StringComparer.Ordinal);

    public async Task<WriteResult> CreateAsync(WriteSession session, FhirAccess access, Resource resource, string? ifNoneExist, CancellationToken cancellationToken, string? presetId = null)
    {
        var type = resource.TypeName;
        if (!string.IsNullOrEmpty(ifNoneExist))
        {
            var matches = await FindAsync(session, access, type, ifNoneExist, cancellationToken);
            if (matches.Count > 1)
            {
                throw FhirOperationException.PreconditionFailed($"If-None-Exist '{ifNoneExist}' matches {matches.Count} {type} resources.");
            }

            if (matches.Count == 1)
            {
                var existing = await ReadCurrentAsync(session, type, matches[0].Id, cancellationToken);
                return new WriteResult(200, existing, null) { PatientIds = await PatientIdsAsync(session, existing, cancellationToken) };
            }
        }

        // FHIR R4 http.html#create: the server assigns the id and ignores one in the body.
        resource.Id = presetId ?? Guid.CreateVersion7().ToString();
        return await InsertAsync(session, resource, cancellationToken);
    }

    public async Task<WriteResult> UpdateAsync(WriteSession session, FhirAccess access, string type, string id, Resource resource, int? ifMatch, CancellationToken cancellationToken)
    {
        if (resource.TypeName != type)
        {
            throw FhirOperationException.BadRequest($"The body is a {resource.TypeName} but the URL names {type}.");
        }

        if (string.IsNullOrEmpty(resource.Id))
        {
            throw FhirOperationException.BadRequest("An update must carry the resource id in the body (http.html#update).");
        }

        if (resource.Id != id)
        {
            throw FhirOperationException.BadRequest($"The id in the body ({resource.Id}) differs from the id in the URL ({id}).");
        }

        if (!ReferenceParser.IsValidId(id))
        {
            throw FhirOperationException.BadRequest($"'{id}' is not a valid FHIR id ([A-Za-z0-9-.]{{1,64}}).");
        }

        var current = await session.GetCurrentAsync(type, id, cancellationToken);
        await EnsureVisibleAsync(session, access, type, id, current, cancellationToken);
        if (ifMatch is not null && (current is null || current.Value.Version != ifMatch))
        {
            throw FhirOperationException.PreconditionFailed($"If-Match W/\"{ifMatch}\" does not match the current version ({(current is null ? "none" : current.Value.Version)}).");
        }

        if (current is null)
        {
            // http.html#upsert: update-as-create with the client's id.
            return await InsertAsync(session, resource, cancellationToken);
        }

        return await ReplaceAsync(session, current.Value, resource, current.Value.IsDeleted ? 201 : 200, cancellationToken);
    }

    /// <summary>
    /// JSON Patch (RFC 6902) on the current version, read and replaced in this session so a concurrent update cannot
    /// slip in between (on PostgreSQL the row is locked FOR UPDATE; on SQLite writers are serialised).
    /// </summary>
    public async Task<WriteResult> PatchAsync(WriteSession session, FhirAccess access, string type, string id, string patchDocument, int? ifMatch, CancellationToken cancellationToken)
    {
        var current = await session.GetCurrentAsync(type, id, cancellationToken) ?? throw FhirOperationException.NotFound($"{type}/{id} does not exist.");
        await EnsureVisibleAsync(session, access, type, id, current, cancellationToken);
        if (current.IsDeleted)
        {
            throw FhirOperationException.Gone($"{type}/{id} was deleted (version {current.Version}).");
        }

        var stored = (await store.ReadByKeysAsync(session.Connection, session.Transaction, [current.Key], cancellationToken))[0];
        Resource resource;
        try
        {
            resource = serializers.ParseJson(JsonPatch.Apply(stored.Body!, patchDocument));
        }
        catch (FhirParseException e)
        {
            throw new FhirOperationException(422, OperationOutcome.IssueType.Processing, "The patched resource is not valid: " + e.Message);
        }

        if (resource.TypeName != type || resource.Id != id)
        {
            throw FhirOperationException.Unprocessable("A patch may not change the resource type or id.");
        }

        return await UpdateAsync(session, access, type, id, resource, ifMatch, cancellationToken);
    }

    public async Task<WriteResult> ConditionalUpdateAsync(WriteSession session, FhirAccess access, string type, string criteria, Resource resource, int? ifMatch, CancellationToken cancellationToken)
    {
        var matches = await FindAsync(session, access, type, criteria, cancellationToken);
        switch (matches.Count)
        {
            case 0:
                if (!string.IsNullOrEmpty(resource.Id))
                {
                    return await UpdateAsync(session, access, type, resource.Id, resource, ifMatch, cancellationToken);
                }

                resource.Id = Guid.CreateVersion7().ToString();
                return await InsertAsync(session, resource, cancellationToken);
            case 1:
                if (!string.IsNullOrEmpty(resource.Id) && resource.Id != matches[0].Id)
                {
                    throw FhirOperationException.BadRequest($"The body's id ({resource.Id}) differs from the matched resource ({matches[0].Id}).");
                }

                resource.Id = matches[0].Id;
                return await UpdateAsync(session, access, type, matches[0].Id, resource, ifMatch, cancellationToken);
            default:
                throw FhirOperationException.PreconditionFailed($"The criteria '{criteria}' match {matches.Count} {type} resources; a conditional update needs at most one.");
        }
    }

    public async Task<WriteResult> DeleteAsync(WriteSession session, FhirAccess access, string type, string id, CancellationToken cancellationToken)
    {
        var current = await session.GetCurrentAsync(type, id, cancellationToken);
        if (current is null || current.Value.IsDeleted)
        {
            return new WriteResult(204, null, null);
        }

        await EnsureVisibleAsync(session, access, type, id, current, cancellationToken);
        var stored = new StoredResource(current.Value.Key, type, id, current.Value.Version, default, false, null);
        var patients = await PatientIdsAsync(session, stored, cancellationToken);
        var now = Now();
        await session.ReplaceAsync(type, id, current.Value.Key, current.Value.Version + 1, now, null, null, cancellationToken);
        return new WriteResult(204, new StoredResource(current.Value.Key, type, id, current.Value.Version + 1, now, true, null), null) { PatientIds = patients };
    }

    public async Task<WriteResult> ConditionalDeleteAsync(WriteSession session, FhirAccess access, string type, string criteria, CancellationToken cancellationToken)
    {
        var matches = await FindAsync(session, access, type, criteria, cancellationToken);
        if (matches.Count > 1)
        {
            throw FhirOperationException.PreconditionFailed($"The criteria '{criteria}' match {matches.Count} {type} resources; this server deletes only one at a time.");
        }

        return matches.Count == 0 ? new WriteResult(204, null, null) : await DeleteAsync(session, access, type, matches[0].Id, cancellationToken);
    }

    /// <summary>404 for an existing resource the caller cannot see: to them it does not exist.</summary>
    private async System.Threading.Tasks.Task EnsureVisibleAsync(WriteSession session, FhirAccess access, string type, string id, CurrentVersion? current, CancellationToken cancellationToken)
    {
        if (current is not { IsDeleted: false } existing || AccessSql.SeesEverything(access))
        {
            return;
        }

        var p = new SqlParameters();
        var visible = accessSql.Visible(access, type, "r", p);
        if (visible is null)
        {
            return;
        }

        await session.FlushAsync(cancellationToken);
        await using var command = session.Connection.CreateCommand();
        command.Transaction = session.Transaction;
        command.CommandText = $"SELECT 1 FROM resources r WHERE r.resource_key = {p.Add(existing.Key)} AND {visible}";
        p.ApplyTo(command);
        if (await command.ExecuteScalarAsync(cancellationToken) is null)
        {
            throw FhirOperationException.NotFound($"{type}/{id} does not exist.");
        }
    }

    private async Task<IReadOnlyList<string>> PatientIdsAsync(WriteSession session, StoredResource? stored, CancellationToken cancellationToken)
    {
        if (stored is null)
        {
            return [];
        }

        await session.FlushAsync(cancellationToken);
        return await FhirStore.PatientIdsAsync(session.Connection, session.Transaction, [stored], compartment.ParamIdsSql(null), cancellationToken);
    }

    /// <summary>The patients a prepared resource belongs to: its own id for a Patient, else its compartment references.</summary>
    private List<string> PatientIds(PreparedResource prepared) => prepared.Type == "Patient"
        ? [prepared.Id]
        : [.. prepared.Index.References.Where(r => r.TargetType == "Patient" && compartment.IsCompartmentParameter(prepared.Type, r.ParamId)).Select(r => r.TargetId).Distinct()];

    /// <summary>Resolves "Type?criteria" to the resources the caller can see (conditional writes and references).</summary>
    public async Task<List<(long Key, string Id)>> FindAsync(WriteSession session, FhirAccess access, string type, string criteria, CancellationToken cancellationToken)
    {
        var parameters = QueryString.Parse(criteria);
        if (parameters.Count == 0)
        {
            throw FhirOperationException.BadRequest($"Conditional criteria for {type} are empty.");
        }

        // Two conditional creates with the same criteria must not both insert (two Patients with one CCCD).
        await session.LockForConditionalWriteAsync(type, cancellationToken);

        SearchQuery query;
        try
        {
            query = parser.Parse(type, parameters, strict: true);
        }
        catch (SearchException e)
        {
            throw FhirOperationException.BadRequest(e.Message);
        }

        await session.FlushAsync(cancellationToken);
        return await search.FindAsync(access, session.Connection, session.Transaction, query, 2, cancellationToken);
    }

    private async Task<StoredResource?> ReadCurrentAsync(WriteSession session, string type, string id, CancellationToken cancellationToken)
    {
        var current = await session.GetCurrentAsync(type, id, cancellationToken);
        if (current is null)
        {
            return null;
        }

        var rows = await store.ReadByKeysAsync(session.Connection, session.Transaction, [current.Value.Key], cancellationToken);
        return rows.FirstOrDefault();
    }

    /// <summary>
    /// Everything about a write that needs no database: reference format, version stamp, index rows and the JSON body.
    /// The bulk importer runs this on several threads while one writer stores the results.
    /// </summary>
    public PreparedResource Prepare(Resource resource, int version, DateTimeOffset lastUpdated)
    {
        var references = CollectReferences(resource);
        Stamp(resource, version, lastUpdated);
        return new PreparedResource(resource.TypeName, resource.Id!, lastUpdated, serializers.ToJson(resource), extractor.Extract(resource), references);
    }

    private async Task<WriteResult> InsertAsync(WriteSession session, Resource resource, CancellationToken cancellationToken)
    {
        await CheckRulesAsync(session, resource, cancellationToken);
        var now = Now();
        var prepared = Prepare(resource, 1, now);
        KeepForVerification(session, prepared);
        var key = await session.InsertAsync(resource.TypeName, resource.Id!, now, prepared.Body, prepared.Index, cancellationToken);
        return new WriteResult(201, new StoredResource(key, resource.TypeName, resource.Id!, 1, now, false, prepared.Body), resource) { PatientIds = PatientIds(prepared) };
    }

    private async Task<WriteResult> ReplaceAsync(WriteSession session, CurrentVersion current, Resource resource, int status, CancellationToken cancellationToken)
    {
        await CheckRulesAsync(session, resource, cancellationToken);
        var now = Now();
        var version = current.Version + 1;
        var prepared = Prepare(resource, version, now);
        KeepForVerification(session, prepared);
        await session.ReplaceAsync(resource.TypeName, resource.Id!, current.Key, version, now, prepared.Body, prepared.Index, cancellationToken);
        return new WriteResult(status, new StoredResource(current.Key, resource.TypeName, resource.Id!, version, now, false, prepared.Body), resource) { PatientIds = PatientIds(prepared) };
    }

    /// <summary>The modules' business rules for this type (<see cref="IResourceWriteRule"/>): any problem refuses the write with 422.</summary>
    private async System.Threading.Tasks.Task CheckRulesAsync(WriteSession session, Resource resource, CancellationToken cancellationToken)
    {
        if (!_rules.Contains(resource.TypeName))
        {
            return;
        }

        var stored = new SessionResources(this, session);
        var problems = new List<string>();
        foreach (var rule in _rules[resource.TypeName])
        {
            problems.AddRange(await rule.CheckAsync(resource, stored, cancellationToken));
        }

        if (problems.Count > 0)
        {
            throw new FhirOperationException(422, OperationOutcome.IssueType.BusinessRule, problems[0]) { Details = problems };
        }
    }

    /// <summary>What a rule sees: current resources inside the write's transaction, any visibility.</summary>
    private sealed class SessionResources(ResourceWriter writer, WriteSession session) : IStoredResources
    {
        public Task<IReadOnlyList<Resource>> SearchAsync(string resourceType, string query, int max, CancellationToken cancellationToken) =>
            writer.SearchForRuleAsync(session, resourceType, query, max, cancellationToken);
    }

    private static readonly FhirAccess RuleAccess = FhirAccess.System("write rule");

    private async Task<IReadOnlyList<Resource>> SearchForRuleAsync(WriteSession session, string resourceType, string query, int max, CancellationToken cancellationToken)
    {
        // The same per-type lock as conditional writes: two concurrent writes checking one licence number on
        // PostgreSQL run one after the other, so both cannot pass the check (SQLite has a single writer anyway).
        await session.LockForConditionalWriteAsync(resourceType, cancellationToken);
        SearchQuery parsed;
        try
        {
            parsed = parser.Parse(resourceType, QueryString.Parse(query), strict: true);
        }
        catch (SearchException e)
        {
            throw new InvalidOperationException($"A write rule asked an invalid search '{resourceType}?{query}': {e.Message}", e);
        }

        await session.FlushAsync(cancellationToken);
        var found = await search.FindAsync(RuleAccess, session.Connection, session.Transaction, parsed, max, cancellationToken);
        if (found.Count == 0)
        {
            return [];
        }

        var rows = await store.ReadByKeysAsync(session.Connection, session.Transaction, [.. found.Select(f => f.Key)], cancellationToken);
        return [.. rows.Where(r => r.Body is not null).Select(r => serializers.ParseJson(r.Body!))];
    }

    private void KeepForVerification(WriteSession session, PreparedResource prepared)
    {
        if (options.EnforceReferentialIntegrity)
        {
            session.PendingReferences.AddRange(prepared.References);
        }
    }

    /// <summary>
    /// Every local reference must be well formed and point at an existing resource (referential integrity), so the
    /// record never holds a dangling link; absolute URLs and contained "#id" references are accepted as they are.
    /// Format errors fail at once; existence is checked by <see cref="VerifyReferencesAsync"/> once all writes of the
    /// session are done, so the resources of one transaction may refer to each other in any order (the bulk importer
    /// checks once at the end of the whole import).
    /// </summary>
    private List<(string Type, string Id, string Path)> CollectReferences(Resource resource)
    {
        var local = new List<(string Type, string Id, string Path)>();
        var problems = new List<string>();
        foreach (var (reference, path) in ResourceReferences.Enumerate(resource))
        {
            if (string.IsNullOrEmpty(reference.Reference))
            {
                continue;
            }

            var value = reference.Reference;
            if (value.StartsWith('#'))
            {
                continue;
            }

            // bundle.html#references: inside a stored document, message or collection Bundle, references resolve
            // against the Bundle's own entries (often urn:uuid), not against the store.
            if (resource is Bundle && path.StartsWith("Bundle.entry[", StringComparison.Ordinal))
            {
                continue;
            }

            if (value.StartsWith("urn:uuid:", StringComparison.Ordinal) || value.StartsWith("urn:oid:", StringComparison.Ordinal))
            {
                problems.Add($"{path}: '{value}' is a bundle-internal reference, allowed only inside a transaction that defines it.");
                continue;
            }

            if (value.Contains('?', StringComparison.Ordinal))
            {
                problems.Add($"{path}: conditional reference '{value}' is allowed only inside a transaction.");
                continue;
            }

            var parsed = ReferenceParser.Parse(value);
            if (parsed.IsAbsolute)
            {
                continue;
            }

            if (!parsed.IsLocal || !catalog.IsResourceType(parsed.TargetType!))
            {
                problems.Add($"{path}: '{value}' is not a valid reference (expected Type/id).");
                continue;
            }

            if (parsed.TargetType == resource.TypeName && parsed.TargetId == resource.Id)
            {
                continue;
            }

            local.Add((parsed.TargetType!, parsed.TargetId!, path));
        }

        if (problems.Count > 0)
        {
            throw new FhirOperationException(400, OperationOutcome.IssueType.Invalid, problems[0]) { Details = problems };
        }

        return local;
    }

    /// <summary>Fails the session (nothing is committed) when any reference written in it points at nothing.</summary>
    public static async System.Threading.Tasks.Task VerifyReferencesAsync(WriteSession session, CancellationToken cancellationToken)
    {
        if (session.PendingReferences.Count == 0)
        {
            return;
        }

        var existing = await session.FindExistingAsync(session.PendingReferences.Select(l => (l.Type, l.Id)), cancellationToken);
        var missing = session.PendingReferences.Where(l => !existing.Contains((l.Type, l.Id))).Select(l => $"{l.Path}: {l.Type}/{l.Id} does not exist.").Distinct().ToList();
        session.PendingReferences.Clear();
        if (missing.Count > 0)
        {
            throw new FhirOperationException(422, OperationOutcome.IssueType.NotFound, missing[0]) { Details = missing };
        }
    }

    public DateTimeOffset Now()
    {
        // Millisecond precision: what FHIR instants usually carry and what clients can echo back in _since.
        var now = clock.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }

    internal static void Stamp(Resource resource, int version, DateTimeOffset lastUpdated)
    {
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = version.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = lastUpdated;
    }
}
