using Hl7.Fhir.Model;

using YTeSo.Fhir.Bundles;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Serialization;

namespace YTeSo.Fhir.Ingest;

/// <summary>
/// Turns one document into an <see cref="ImportUnit"/> without touching the database: parse, assign ids, resolve
/// bundle-internal references, stamp, index and serialize. Thread-safe, so several documents are prepared at once.
/// </summary>
internal sealed class ImportUnitPreparer(FhirSerializers serializers, ResourceWriter writer)
{
    public ImportUnit Prepare(ImportDocument document)
    {
        try
        {
            var resource = serializers.ParseJson(document.Json);
            if (document.IsNdjsonLine || resource is not Bundle bundle)
            {
                return KeepingIds(document.Origin, [resource]);
            }

            return bundle.Type switch
            {
                Bundle.BundleType.Transaction => TryPlanTransaction(bundle) is { } resources
                    ? Ready(document.Origin, resources)
                    : new ImportUnit(document.Origin, [], ForRepository: bundle),
                Bundle.BundleType.Batch => new ImportUnit(document.Origin, [], ForRepository: bundle),
                Bundle.BundleType.Collection or Bundle.BundleType.Searchset => KeepingIds(document.Origin, ResolveCollection(bundle)),

                // A document, message or history Bundle is itself the record to keep (bundle.html#bundle-unique).
                _ => KeepingIds(document.Origin, [bundle]),
            };
        }
        catch (FhirParseException e)
        {
            return ImportUnit.Rejected(document.Origin, string.Join("; ", e.Messages));
        }
        catch (FhirOperationException e)
        {
            return ImportUnit.Rejected(document.Origin, e.Message);
        }
    }

    /// <summary>
    /// Bulk Data import keeps the ids it is given (update-as-create, http.html#upsert), so re-running an import stores
    /// the same resources again instead of copies; a resource without an id gets a new one.
    /// </summary>
    private ImportUnit KeepingIds(ImportOrigin origin, IReadOnlyList<Resource> resources)
    {
        foreach (var resource in resources)
        {
            if (string.IsNullOrEmpty(resource.Id))
            {
                resource.Id = Guid.CreateVersion7().ToString();
            }
            else if (!ReferenceParser.IsValidId(resource.Id))
            {
                throw FhirOperationException.BadRequest($"{resource.TypeName} id '{resource.Id}' is not a valid FHIR id ([A-Za-z0-9-.]{{1,64}}).");
            }
        }

        return Ready(origin, resources);
    }

    private ImportUnit Ready(ImportOrigin origin, IReadOnlyList<Resource> resources)
    {
        var now = writer.Now();
        return new ImportUnit(origin, [.. resources.Select(r => writer.Prepare(r, 1, now))]);
    }

    /// <summary>
    /// A transaction of plain creates (POST without If-None-Exist) and plain updates (PUT Type/id) needs nothing from
    /// the database to plan: ids are assigned here and urn:uuid references rewritten, exactly as BundleProcessor does.
    /// Anything else (conditional entries or references, DELETE, PATCH, GET, If-Match) returns null and goes to the
    /// repository's transaction path.
    /// </summary>
    private static List<Resource>? TryPlanTransaction(Bundle bundle)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            var entry = bundle.Entry[i];
            var request = entry.Request;
            if (request?.Url is null || entry.Resource is not { } resource || !string.IsNullOrEmpty(request.IfMatch) || request.Url.Contains('?', StringComparison.Ordinal))
            {
                return null;
            }

            var url = request.Url.TrimStart('/');
            if (request.Method == Bundle.HTTPVerb.POST && string.IsNullOrEmpty(request.IfNoneExist) && url == resource.TypeName)
            {
                // FHIR R4 http.html#create: the server assigns the id and ignores one in the body.
                resource.Id = Guid.CreateVersion7().ToString();
            }
            else if (request.Method == Bundle.HTTPVerb.PUT && url.Split('/') is [var type, var id] && type == resource.TypeName)
            {
                if (resource.Id != id)
                {
                    throw FhirOperationException.BadRequest($"Bundle.entry[{i}]: the id in the body ({resource.Id ?? "none"}) differs from the id in the URL ({id}).");
                }
            }
            else
            {
                return null;
            }

            BundleProcessor.Map(map, entry.FullUrl, $"{resource.TypeName}/{resource.Id}", i);
        }

        var references = bundle.Entry.Select(e => ResourceReferences.Enumerate(e.Resource!).ToList()).ToList();
        if (references.Any(list => list.Any(r => r.Reference.Reference?.Contains('?', StringComparison.Ordinal) == true)))
        {
            return null;
        }

        return Rewrite(bundle, map, references);
    }

    /// <summary>A collection keeps its entries' ids; references between entries by fullUrl become Type/id.</summary>
    private static List<Resource> ResolveCollection(Bundle bundle)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is { } resource)
            {
                resource.Id ??= Guid.CreateVersion7().ToString();
                BundleProcessor.Map(map, bundle.Entry[i].FullUrl, $"{resource.TypeName}/{resource.Id}", i);
            }
        }

        return Rewrite(bundle, map, [.. bundle.Entry.Select(e => e.Resource is null ? [] : ResourceReferences.Enumerate(e.Resource).ToList())]);
    }

    private static List<Resource> Rewrite(Bundle bundle, Dictionary<string, string> map, List<List<(ResourceReference Reference, string Path)>> references)
    {
        var resources = new List<Resource>(bundle.Entry.Count);
        for (var i = 0; i < bundle.Entry.Count; i++)
        {
            if (bundle.Entry[i].Resource is not { } resource)
            {
                continue;
            }

            foreach (var (reference, path) in references[i])
            {
                if (reference.Reference is { Length: > 0 } value && BundleProcessor.ResolveInternal(map, value, i, path) is { } target)
                {
                    reference.Reference = target;
                }
            }

            resources.Add(resource);
        }

        return resources;
    }
}
