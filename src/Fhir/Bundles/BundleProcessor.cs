using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Fhir.Access;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Bundles;

/// <summary>
/// Batch and transaction Bundles (FHIR R4 http.html#transaction). A transaction is all-or-nothing in one database
/// transaction: bundle-internal "urn:uuid:" references and conditional references ("Patient?identifier=...") are
/// resolved before anything is written, entries run in the order DELETE, POST, PUT/PATCH, GET, and any failure
/// rolls everything back. A batch runs each entry on its own and reports each outcome.
/// Access: every entry needs its own scope. One forbidden entry refuses a whole transaction with 403; in a batch that
/// entry alone gets a 403 response entry. Each entry is audited once: writes here, GETs by the read or search they run.
/// </summary>
internal sealed class BundleProcessor(FhirRepository repository, FhirStore store, ResourceWriter writer, RepositoryAudit audit)
{
    /// <summary>What an entry does, for its scope check and its audit record.</summary>
    private sealed record EntryAction(string Action, string Type, FhirInteractions Needed, string? Requested, string? Query);

    public async Task<Bundle> ProcessAsync(FhirAccess access, Bundle bundle, bool returnRepresentation, CancellationToken cancellationToken)
    {
        foreach (var (entry, index) in bundle.Entry.Select((e, i) => (e, i)))
        {
            if (entry.Request?.Method is null || string.IsNullOrWhiteSpace(entry.Request!.Url))
            {
                throw FhirOperationException.BadRequest($"Bundle.entry[{index}] has no request method and url.");
            }
        }

        return bundle.Type switch
        {
            Bundle.BundleType.Transaction => await TransactionAsync(access, bundle, returnRepresentation, cancellationToken),
            Bundle.BundleType.Batch => await BatchAsync(access, bundle, returnRepresentation, cancellationToken),
            _ => throw FhirOperationException.BadRequest($"POST to the base URL takes a batch or transaction Bundle, not '{bundle.Type?.ToString() ?? "none"}'."),
        };
    }

    private async Task<Bundle> BatchAsync(FhirAccess access, Bundle bundle, bool returnRepresentation, CancellationToken cancellationToken)
    {
        var response = new Bundle { Type = Bundle.BundleType.BatchResponse, Id = Guid.CreateVersion7().ToString() };
        foreach (var entry in bundle.Entry)
        {
            if (entry.Request!.Method == Bundle.HTTPVerb.GET)
            {
                response.Entry.Add(await GetAsync(access, entry.Request!.Url!, cancellationToken));
                continue;
            }

            var action = Describe(entry);
            try
            {
                var result = await audit.RunAsync(access, action.Action, action.Type, action.Requested, action.Query, async () =>
                {
                    AccessRules.Require(access, action.Type, action.Needed);
                    if (entry.Resource is not null && ResourceReferences.Enumerate(entry.Resource).Any(r => r.Reference.Reference?.StartsWith("urn:uuid:", StringComparison.Ordinal) == true))
                    {
                        throw FhirOperationException.BadRequest("Entries of a batch must not refer to each other by urn:uuid (use a transaction).");
                    }

                    var written = await repository.WriteAsync(s => WriteEntryAsync(s, access, entry, presetId: null, cancellationToken), cancellationToken);
                    return (written, FhirRepository.Facts(written));
                }, cancellationToken);
                response.Entry.Add(ResponseEntry(result, returnRepresentation));
            }
            catch (FhirOperationException e)
            {
                response.Entry.Add(ErrorEntry(e.Status, e.ToOutcome()));
            }
        }

        return response;
    }

    /// <summary>The interaction an entry asks for; type "*" when its url names no resource type (refused later with 400).</summary>
    private EntryAction Describe(Bundle.EntryComponent entry)
    {
        var request = entry.Request!;
        var url = request.Url!.TrimStart('/');
        var (path, query) = url.Split('?', 2) is [var p, var q] ? (p, q) : (url, (string?)null);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var type = segments.Length > 0 && repository.Catalog.IsResourceType(segments[0]) ? segments[0] : entry.Resource?.TypeName ?? "*";
        var requested = segments.Length == 2 ? $"{type}/{segments[1]}" : null;
        var conditional = query is null ? FhirInteractions.None : FhirInteractions.Search;
        return request.Method switch
        {
            Bundle.HTTPVerb.POST => new(AuditActions.Create, type, FhirRepository.Needs.Create(request.IfNoneExist), null, request.IfNoneExist),
            Bundle.HTTPVerb.PUT => new(AuditActions.Update, type, FhirInteractions.Update | conditional, requested, query),
            Bundle.HTTPVerb.DELETE => new(AuditActions.Delete, type, FhirInteractions.Delete | conditional, requested, query),
            Bundle.HTTPVerb.PATCH => new(AuditActions.Patch, type, FhirInteractions.Update, requested, query),
            _ => new(AuditActions.Read, type, FhirInteractions.Read, requested, query),
        };
    }

    private async Task<Bundle> TransactionAsync(FhirAccess access, Bundle bundle, bool returnRepresentation, CancellationToken cancellationToken)
    {
        var writes = bundle.Entry.Select((e, i) => (Entry: e, Index: i))
            .Where(x => x.Entry.Request!.Method is not (Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD))
            .ToDictionary(x => x.Index, x => Describe(x.Entry));

        // All or nothing: the scopes of every entry are checked before anything is planned or written.
        foreach (var (index, action) in writes)
        {
            try
            {
                AccessRules.Require(access, action.Type, action.Needed);
            }
            catch (FhirOperationException e)
            {
                var refused = new FhirOperationException(e.Status, e.Code, $"Bundle.entry[{index}] ({bundle.Entry[index].Request!.Method} {bundle.Entry[index].Request!.Url}): {e.Message}");
                await AuditTransactionFailureAsync(access, writes, index, refused, cancellationToken);
                throw refused;
            }
        }

        var results = new Bundle.EntryComponent?[bundle.Entry.Count];
        var outcomes = new Dictionary<int, WriteResult>();
        var current = -1;
        List<ResourceChange> written;
        try
        {
            await using var session = await store.BeginWriteAsync(cancellationToken);
            var plan = await PlanAsync(session, access, bundle, cancellationToken);
            var order = bundle.Entry.Select((e, i) => (Entry: e, Index: i))
                .OrderBy(x => x.Entry.Request!.Method switch
                {
                    Bundle.HTTPVerb.DELETE => 0,
                    Bundle.HTTPVerb.POST => 1,
                    Bundle.HTTPVerb.PUT or Bundle.HTTPVerb.PATCH => 2,
                    _ => 3,
                })
                .ThenBy(x => x.Index);
            foreach (var (entry, index) in order)
            {
                current = index;
                try
                {
                    if (entry.Request!.Method is Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD)
                    {
                        continue;
                    }

                    if (plan.Existing.TryGetValue(index, out var existing))
                    {
                        outcomes[index] = new WriteResult(200, existing, null);
                        results[index] = new Bundle.EntryComponent
                        {
                            Response = new Bundle.ResponseComponent
                            {
                                Status = "200 OK",
                                Location = $"{existing.ResourceType}/{existing.Id}/_history/{existing.Version}",
                                Etag = $"W/\"{existing.Version}\"",
                                LastModified = existing.LastUpdated,
                            },
                        };
                        continue;
                    }

                    var result = await WriteEntryAsync(session, access, entry, plan.AssignedIds.GetValueOrDefault(index), cancellationToken);
                    outcomes[index] = result;
                    results[index] = ResponseEntry(result, returnRepresentation);
                }
                catch (FhirOperationException e)
                {
                    throw new FhirOperationException(e.Status, e.Code, $"Bundle.entry[{index}] ({entry.Request!.Method} {entry.Request!.Url}): {e.Message}")
                    {
                        Details = [.. e.Details.Select(d => $"Bundle.entry[{index}]: {d}")],
                    };
                }
            }

            current = -1;
            await ResourceWriter.VerifyReferencesAsync(session, cancellationToken);
            await session.CommitAsync(cancellationToken);
            written = session.Changes;
        }
        catch (Exception e)
        {
            await AuditTransactionFailureAsync(access, writes, current, e, cancellationToken);
            throw;
        }

        await repository.Changes.DispatchAsync(written, cancellationToken);

        foreach (var (index, action) in writes)
        {
            var facts = outcomes.TryGetValue(index, out var outcome) ? FhirRepository.Facts(outcome) : AuditFacts.None;
            await audit.SucceededAsync(access, action.Action, action.Type, facts, action.Query, cancellationToken);
        }

        // GETs see the state after the transaction (http.html#trules: reads are processed last).
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Request!.Method is Bundle.HTTPVerb.GET or Bundle.HTTPVerb.HEAD)
            {
                results[i] = await GetAsync(access, bundle.Entry[i].Request!.Url!, cancellationToken);
            }
        }

        var response = new Bundle { Type = Bundle.BundleType.TransactionResponse, Id = Guid.CreateVersion7().ToString() };
        response.Entry.AddRange(results.Select(r => r!));
        return response;
    }

    /// <summary>
    /// A transaction that fails writes nothing: one record per write entry, the entry that failed with its error (denied
    /// for a 403), the others as failed because the transaction was rolled back.
    /// </summary>
    private async System.Threading.Tasks.Task AuditTransactionFailureAsync(
        FhirAccess access, Dictionary<int, EntryAction> writes, int failed, Exception error, CancellationToken cancellationToken)
    {
        var rolledBack = FhirOperationException.Conflict(failed >= 0 ? $"Rolled back: Bundle.entry[{failed}] failed." : "Rolled back: the transaction failed.");
        foreach (var (index, action) in writes)
        {
            await audit.FailedAsync(access, action.Action, action.Type, action.Requested, action.Query, index == failed || (failed < 0 && writes.Count == 1) ? error : rolledBack, cancellationToken);
        }
    }

    private sealed record Plan(Dictionary<int, string> AssignedIds, Dictionary<int, StoredResource> Existing);

    /// <summary>Assigns ids, resolves conditional creates, and rewrites every bundle-internal and conditional reference.</summary>
    private async Task<Plan> PlanAsync(WriteSession session, FhirAccess access, Bundle bundle, CancellationToken cancellationToken)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        var assigned = new Dictionary<int, string>();
        var existing = new Dictionary<int, StoredResource>();
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var method = entry.Request!.Method;
            var url = entry.Request!.Url!;
            if (method == Bundle.HTTPVerb.POST)
            {
                if (entry.Resource is null)
                {
                    throw FhirOperationException.BadRequest($"Bundle.entry[{i}] is a POST without a resource.");
                }

                var type = entry.Resource.TypeName;
                string id;
                if (!string.IsNullOrEmpty(entry.Request!.IfNoneExist))
                {
                    var matches = await writer.FindAsync(session, access, type, entry.Request!.IfNoneExist, cancellationToken);
                    if (matches.Count > 1)
                    {
                        throw FhirOperationException.PreconditionFailed($"Bundle.entry[{i}]: If-None-Exist '{entry.Request!.IfNoneExist}' matches {matches.Count} resources.");
                    }

                    if (matches.Count == 1)
                    {
                        var rows = await store.ReadByKeysAsync(session.Connection, session.Transaction, [matches[0].Key], cancellationToken);
                        existing[i] = rows[0];
                        id = matches[0].Id;
                    }
                    else
                    {
                        id = Guid.CreateVersion7().ToString();
                        assigned[i] = id;
                    }
                }
                else
                {
                    id = Guid.CreateVersion7().ToString();
                    assigned[i] = id;
                }

                Map(map, entry.FullUrl, $"{type}/{id}", i);
            }
            else if (method == Bundle.HTTPVerb.PUT && entry.Resource is not null)
            {
                var path = url.Split('?', 2);
                if (path.Length == 2)
                {
                    var matches = await writer.FindAsync(session, access, path[0], path[1], cancellationToken);
                    var id = matches.Count == 1 ? matches[0].Id : entry.Resource.Id ?? Guid.CreateVersion7().ToString();
                    if (matches.Count > 1)
                    {
                        throw FhirOperationException.PreconditionFailed($"Bundle.entry[{i}]: conditional update '{url}' matches {matches.Count} resources.");
                    }

                    entry.Resource.Id = id;
                    Map(map, entry.FullUrl, $"{path[0]}/{id}", i);
                }
                else
                {
                    Map(map, entry.FullUrl, url.TrimStart('/'), i);
                }
            }
        }

        foreach (var (entry, index) in bundle.Entry.Select((e, i) => (e, i)))
        {
            if (entry.Resource is null)
            {
                continue;
            }

            foreach (var (reference, path) in ResourceReferences.Enumerate(entry.Resource))
            {
                var value = reference.Reference;
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (ResolveInternal(map, value, index, path) is { } target)
                {
                    reference.Reference = target;
                }
                else if (value.Contains('?', StringComparison.Ordinal))
                {
                    var parts = value.Split('?', 2);
                    if (!repository.Catalog.IsResourceType(parts[0]))
                    {
                        throw FhirOperationException.BadRequest($"Bundle.entry[{index}] {path}: '{value}' is not a valid conditional reference.");
                    }

                    var matches = await writer.FindAsync(session, access, parts[0], parts[1], cancellationToken);
                    reference.Reference = matches.Count switch
                    {
                        1 => $"{parts[0]}/{matches[0].Id}",
                        0 => throw FhirOperationException.PreconditionFailed($"Bundle.entry[{index}] {path}: conditional reference '{value}' matches nothing."),
                        _ => throw FhirOperationException.PreconditionFailed($"Bundle.entry[{index}] {path}: conditional reference '{value}' matches {matches.Count} resources."),
                    };
                }
            }
        }

        return new Plan(assigned, existing);
    }

    /// <summary>
    /// The local reference a bundle-internal one stands for: a "urn:uuid:"/"urn:oid:" fullUrl (which must be defined in
    /// the bundle) or an absolute fullUrl of another entry; null for a reference to something outside the bundle.
    /// </summary>
    internal static string? ResolveInternal(Dictionary<string, string> map, string value, int index, string path)
    {
        if (value.StartsWith("urn:uuid:", StringComparison.Ordinal) || value.StartsWith("urn:oid:", StringComparison.Ordinal))
        {
            return map.TryGetValue(value, out var target)
                ? target
                : throw FhirOperationException.NotFound($"Bundle.entry[{index}] {path}: '{value}' matches no fullUrl in the bundle.");
        }

        return map.GetValueOrDefault(value);
    }

    internal static void Map(Dictionary<string, string> map, string? fullUrl, string target, int index)
    {
        if (string.IsNullOrEmpty(fullUrl))
        {
            return;
        }

        if (!map.TryAdd(fullUrl, target))
        {
            throw FhirOperationException.BadRequest($"Bundle.entry[{index}]: fullUrl '{fullUrl}' appears more than once.");
        }
    }

    private async Task<WriteResult> WriteEntryAsync(WriteSession session, FhirAccess access, Bundle.EntryComponent entry, string? presetId, CancellationToken cancellationToken)
    {
        var request = entry.Request!;
        var url = request.Url!.TrimStart('/');
        var (path, query) = url.Split('?', 2) is [var p, var q] ? (p, q) : (url, (string?)null);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0 || !repository.Catalog.IsResourceType(segments[0]))
        {
            throw FhirOperationException.BadRequest($"'{request.Url}' does not start with a resource type.");
        }

        var type = segments[0];
        var ifMatch = ParseIfMatch(request.IfMatch);
        switch (request.Method)
        {
            case Bundle.HTTPVerb.POST:
                RequireResource(entry, type);
                return await writer.CreateAsync(session, access, entry.Resource!, presetId is null ? request.IfNoneExist : null, cancellationToken, presetId);
            case Bundle.HTTPVerb.PUT when query is not null:
                RequireResource(entry, type);
                return await writer.ConditionalUpdateAsync(session, access, type, query, entry.Resource!, ifMatch, cancellationToken);
            case Bundle.HTTPVerb.PUT when segments.Length == 2:
                RequireResource(entry, type);
                return await writer.UpdateAsync(session, access, type, segments[1], entry.Resource!, ifMatch, cancellationToken);
            case Bundle.HTTPVerb.DELETE when query is not null:
                return await writer.ConditionalDeleteAsync(session, access, type, query, cancellationToken);
            case Bundle.HTTPVerb.DELETE when segments.Length == 2:
                return await writer.DeleteAsync(session, access, type, segments[1], cancellationToken);
            case Bundle.HTTPVerb.PATCH when segments.Length == 2 && entry.Resource is Binary { Data: { } data }:
                // Inside the transaction: sees earlier entries of this Bundle, answers 410 for a deleted resource.
                return await writer.PatchAsync(session, access, type, segments[1], System.Text.Encoding.UTF8.GetString(data), ifMatch, cancellationToken);
            default:
                throw FhirOperationException.BadRequest($"{request.Method} {request.Url} is not supported in a bundle.");
        }
    }

    private static void RequireResource(Bundle.EntryComponent entry, string type)
    {
        if (entry.Resource is null)
        {
            throw FhirOperationException.BadRequest($"{entry.Request!.Method} {entry.Request!.Url} has no resource.");
        }

        if (entry.Resource.TypeName != type)
        {
            throw FhirOperationException.BadRequest($"The entry's resource is a {entry.Resource.TypeName} but its url names {type}.");
        }
    }

    private static int? ParseIfMatch(string? ifMatch)
    {
        if (string.IsNullOrEmpty(ifMatch))
        {
            return null;
        }

        var digits = ifMatch.Replace("W/", string.Empty, StringComparison.Ordinal).Trim('"');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw FhirOperationException.BadRequest($"If-Match '{ifMatch}' is not a version ETag like W/\"3\".");
    }

    private async Task<Bundle.EntryComponent> GetAsync(FhirAccess access, string url, CancellationToken cancellationToken)
    {
        try
        {
            var trimmed = url.TrimStart('/');
            var parts = trimmed.Split('?', 2);
            var segments = parts[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (segments.Length == 2 && parts.Length == 1)
            {
                var stored = await repository.ReadCurrentAsync(access, segments[0], segments[1], cancellationToken);
                return new Bundle.EntryComponent
                {
                    FullUrl = $"{stored.ResourceType}/{stored.Id}",
                    Resource = repository.Parse(stored),
                    Response = new Bundle.ResponseComponent { Status = "200 OK", Etag = $"W/\"{stored.Version}\"", LastModified = stored.LastUpdated },
                };
            }

            if (segments.Length == 1)
            {
                var query = repository.ParseSearch(segments[0], QueryString.Parse(parts.Length == 2 ? parts[1] : string.Empty), strict: false);
                var outcome = await repository.SearchAsync(access, query, cancellationToken);
                var searchset = new Bundle { Type = Bundle.BundleType.Searchset, Total = (int?)outcome.Total };
                searchset.Entry.AddRange(outcome.Matches.Select(m => new Bundle.EntryComponent
                {
                    FullUrl = $"{m.ResourceType}/{m.Id}",
                    Resource = repository.Parse(m),
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
                }));
                return new Bundle.EntryComponent { Resource = searchset, Response = new Bundle.ResponseComponent { Status = "200 OK" } };
            }

            throw FhirOperationException.BadRequest($"GET {url} is not supported in a bundle.");
        }
        catch (FhirOperationException e)
        {
            return ErrorEntry(e.Status, e.ToOutcome());
        }
    }

    private Bundle.EntryComponent ResponseEntry(WriteResult result, bool returnRepresentation)
    {
        var entry = new Bundle.EntryComponent { Response = new Bundle.ResponseComponent { Status = StatusText(result.Status) } };
        if (result.Stored is { } stored)
        {
            entry.FullUrl = $"{stored.ResourceType}/{stored.Id}";
            entry.Response.Location = $"{stored.ResourceType}/{stored.Id}/_history/{stored.Version}";
            entry.Response.Etag = $"W/\"{stored.Version}\"";
            entry.Response.LastModified = stored.LastUpdated;
            if (returnRepresentation && stored.Body is not null)
            {
                entry.Resource = result.Resource ?? repository.Parse(stored);
            }
        }

        return entry;
    }

    private static Bundle.EntryComponent ErrorEntry(int status, OperationOutcome outcome) => new()
    {
        Response = new Bundle.ResponseComponent { Status = StatusText(status), Outcome = outcome },
    };

    internal static string StatusText(int status) => status switch
    {
        200 => "200 OK",
        201 => "201 Created",
        204 => "204 No Content",
        400 => "400 Bad Request",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        409 => "409 Conflict",
        410 => "410 Gone",
        412 => "412 Precondition Failed",
        422 => "422 Unprocessable Entity",
        _ => status.ToString(CultureInfo.InvariantCulture),
    };
}
