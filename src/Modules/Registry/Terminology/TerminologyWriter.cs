using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Terminology;

/// <summary>What a write of code lists did.</summary>
internal sealed record TerminologyWriteReport(int Written, int Unchanged);

/// <summary>
/// Writes terminology resources with fixed ids (PUT, FHIR R4 http.html#update) in one transaction, skipping each one
/// whose content already matches the stored version, so loading the same lists again creates no new version and no
/// history (the shipped lists load on every start).
/// </summary>
internal sealed class TerminologyWriter(IFhirRepository fhir, IFhirJson json)
{
    public async Task<TerminologyWriteReport> WriteAsync(FhirAccess access, IReadOnlyList<Resource> resources, CancellationToken cancellationToken)
    {
        var changed = new List<Resource>();
        foreach (var resource in resources)
        {
            var stored = await fhir.ReadAsync(access, resource.TypeName, resource.Id!, cancellationToken);
            if (stored is null || Content(stored) != Content(resource))
            {
                changed.Add(resource);
            }
        }

        if (changed.Count > 0)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            foreach (var resource in changed)
            {
                bundle.Entry.Add(new Bundle.EntryComponent
                {
                    Resource = resource,
                    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"{resource.TypeName}/{resource.Id}" },
                });
            }

            await fhir.ProcessBundleAsync(access, bundle, cancellationToken);
        }

        return new TerminologyWriteReport(changed.Count, resources.Count - changed.Count);
    }

    /// <summary>The resource as JSON without meta (version, lastUpdated), which the store sets.</summary>
    private string Content(Resource resource)
    {
        var copy = (Resource)resource.DeepCopy();
        copy.Meta = null;
        return json.Serialize(copy);
    }
}
