using Hl7.Fhir.Model;
using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Operations;

/// <summary>
/// GET /metadata (FHIR R4 capabilitystatement.html), generated from what the server really does: every resource type
/// with the interactions of FhirEndpoints, and exactly the search parameters that are indexed.
/// </summary>
internal sealed class CapabilityStatementBuilder(SearchParameterCatalog catalog, TimeProvider clock)
{
    private static readonly CapabilityStatement.TypeRestfulInteraction[] TypeInteractions =
    [
        CapabilityStatement.TypeRestfulInteraction.Read,
        CapabilityStatement.TypeRestfulInteraction.Vread,
        CapabilityStatement.TypeRestfulInteraction.Update,
        CapabilityStatement.TypeRestfulInteraction.Patch,
        CapabilityStatement.TypeRestfulInteraction.Delete,
        CapabilityStatement.TypeRestfulInteraction.HistoryInstance,
        CapabilityStatement.TypeRestfulInteraction.HistoryType,
        CapabilityStatement.TypeRestfulInteraction.Create,
        CapabilityStatement.TypeRestfulInteraction.SearchType,
    ];

    private CapabilityStatement? _cached;

    public CapabilityStatement Build(string baseUrl)
    {
        var statement = _cached ??= Create();
        var copy = (CapabilityStatement)statement.DeepCopy();
        copy.Implementation = new CapabilityStatement.ImplementationComponent { Description = "YTeSo provincial health data hub", Url = baseUrl };
        return copy;
    }

    private CapabilityStatement Create()
    {
        var rest = new CapabilityStatement.RestComponent
        {
            Mode = CapabilityStatement.RestfulCapabilityMode.Server,
            Interaction =
            [
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Transaction },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.Batch },
                new() { Code = CapabilityStatement.SystemRestfulInteraction.HistorySystem },
            ],
            Operation =
            [
                new() { Name = "export", Definition = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export" },
            ],
        };
        foreach (var type in catalog.ResourceTypes.Order(StringComparer.Ordinal))
        {
            var resource = new CapabilityStatement.ResourceComponent
            {
                Type = type,
                Versioning = CapabilityStatement.ResourceVersionPolicy.VersionedUpdate,
                ReadHistory = true,
                UpdateCreate = true,
                ConditionalCreate = true,
                ConditionalUpdate = true,
                ConditionalDelete = CapabilityStatement.ConditionalDeleteStatus.Single,
                ConditionalRead = CapabilityStatement.ConditionalReadStatus.NotSupported,
                Interaction = [.. TypeInteractions.Select(i => new CapabilityStatement.ResourceInteractionComponent { Code = i })],
                SearchInclude = [.. catalog.For(type).Where(p => p.IsIndexed && p.Kind == SearchParamKind.Reference).Select(p => $"{type}:{p.Code}").Prepend("*")],
                SearchRevInclude = ["*"],
            };
            resource.SearchParam.Add(new() { Name = "_id", Type = SearchParamType.Token, Definition = "http://hl7.org/fhir/SearchParameter/Resource-id" });
            resource.SearchParam.Add(new() { Name = "_lastUpdated", Type = SearchParamType.Date, Definition = "http://hl7.org/fhir/SearchParameter/Resource-lastUpdated" });
            foreach (var parameter in catalog.For(type).Where(p => p.IsIndexed).OrderBy(p => p.Code, StringComparer.Ordinal))
            {
                resource.SearchParam.Add(new() { Name = parameter.Code, Type = Enum.Parse<SearchParamType>(parameter.Kind.ToString()), Documentation = parameter.Expression });
            }

            if (type == "Patient")
            {
                resource.Operation.Add(new() { Name = "everything", Definition = "http://hl7.org/fhir/OperationDefinition/Patient-everything" });
            }

            rest.Resource.Add(resource);
        }

        return new CapabilityStatement
        {
            Status = PublicationStatus.Active,
            Date = clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Kind = CapabilityStatementKind.Instance,
            Software = new CapabilityStatement.SoftwareComponent { Name = "YTeSo", Version = typeof(CapabilityStatementBuilder).Assembly.GetName().Version?.ToString() },
            FhirVersion = FHIRVersion.N4_0_1,
            Format = ["application/fhir+json", "application/fhir+xml", "json", "xml"],
            PatchFormat = ["application/json-patch+json"],
            Rest = [rest],
        };
    }
}
