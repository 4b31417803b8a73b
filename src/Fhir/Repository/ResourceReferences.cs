using Hl7.Fhir.Model;
using YTeSo.Fhir.Serialization;

namespace YTeSo.Fhir.Repository;

/// <summary>Finds every Reference element in a resource (contained resources included) with its path for messages.</summary>
internal static class ResourceReferences
{
    public static IEnumerable<(ResourceReference Reference, string Path)> Enumerate(Base root) =>
        FhirTree.Find<ResourceReference>(root);
}
