using System.Collections.Frozen;

using Hl7.Fhir.Model;

namespace YTeSo.Fhir.Indexing;

/// <summary>The kinds of R4 search parameter this server indexes (composite and special are listed but not indexed).</summary>
internal enum SearchParamKind
{
    String,
    Token,
    Date,
    Reference,
    Number,
    Quantity,
    Uri,
    Composite,
    Special,
}

/// <summary>One R4 search parameter as it applies to one resource type, with its extraction compiled once.</summary>
internal sealed class SearchParameter
{
    public required string ResourceType { get; init; }
    public required string Code { get; init; }
    public required SearchParamKind Kind { get; init; }
    public required string Expression { get; init; }
    public required IReadOnlyList<string> TargetTypes { get; init; }
    public required ResourcePath? Path { get; init; }
    public int Id { get; set; }

    public bool IsIndexed => Path is not null && Kind is not (SearchParamKind.Composite or SearchParamKind.Special);
}

/// <summary>
/// The R4 SearchParameter definitions (Firely <see cref="ModelInfo.SearchParameters"/>), split per resource type.
/// Expressions shared by many types ("Patient.name | Practitioner.name") keep only the branch for the type,
/// so a Patient write evaluates one path, not thirty.
/// </summary>
internal sealed class SearchParameterCatalog
{
    /// <summary>Parameters handled from columns of the resource table rather than index tables.</summary>
    public static readonly FrozenSet<string> ColumnParameters = FrozenSet.Create(StringComparer.Ordinal, "_id", "_lastUpdated");

    /// <summary>
    /// R4 search.html#all: parameters every resource has. Firely's list omits them, so they are declared here with the
    /// expressions of the R4 SearchParameter resources (Resource-tag, Resource-profile, Resource-security, Resource-source).
    /// </summary>
    private static readonly (string Code, SearchParamKind Kind, string Expression)[] ResourceLevel =
    [
        ("_tag", SearchParamKind.Token, "Resource.meta.tag"),
        ("_profile", SearchParamKind.Uri, "Resource.meta.profile"),
        ("_security", SearchParamKind.Token, "Resource.meta.security"),
        ("_source", SearchParamKind.Uri, "Resource.meta.source"),
    ];

    private readonly FrozenDictionary<string, FrozenDictionary<string, SearchParameter>> _byType;

    public SearchParameterCatalog()
    {
        var common = ModelInfo.SearchParameters.Where(p => p.Resource is "Resource" or "DomainResource").ToList();
        var byType = new Dictionary<string, FrozenDictionary<string, SearchParameter>>(StringComparer.Ordinal);
        foreach (var type in ModelInfo.SupportedResources)
        {
            var isDomain = ModelInfo.GetTypeForFhirType(type) is { } clr && typeof(DomainResource).IsAssignableFrom(clr);
            var parameters = new Dictionary<string, SearchParameter>(StringComparer.Ordinal);
            var definitions = ModelInfo.SearchParameters.Where(p => p.Resource == type)
                .Concat(common.Where(p => p.Resource == "Resource" || isDomain));
            foreach (var definition in definitions)
            {
                if (definition.Name is null || ColumnParameters.Contains(definition.Name) || parameters.ContainsKey(definition.Name))
                {
                    continue;
                }

                var kind = Enum.Parse<SearchParamKind>(definition.Type.ToString());
                var expression = definition.Expression ?? string.Empty;
                var path = kind is SearchParamKind.Composite or SearchParamKind.Special || expression.Length == 0
                    ? null
                    : ResourcePath.ForType(expression, type, definition.Resource ?? type);
                parameters[definition.Name] = new SearchParameter
                {
                    ResourceType = type,
                    Code = definition.Name,
                    Kind = kind,
                    Expression = expression,
                    TargetTypes = definition.Target?.Select(t => t.GetLiteral()).ToArray() ?? [],
                    Path = path,
                };
            }

            foreach (var (code, kind, expression) in ResourceLevel)
            {
                parameters.TryAdd(code, new SearchParameter
                {
                    ResourceType = type,
                    Code = code,
                    Kind = kind,
                    Expression = expression,
                    TargetTypes = [],
                    Path = ResourcePath.ForType(expression, type, "Resource"),
                });
            }

            byType[type] = parameters.ToFrozenDictionary(StringComparer.Ordinal);
        }

        _byType = byType.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IEnumerable<string> ResourceTypes => _byType.Keys;

    public bool IsResourceType(string type) => _byType.ContainsKey(type);

    public IReadOnlyCollection<SearchParameter> For(string resourceType) =>
        _byType.TryGetValue(resourceType, out var parameters) ? parameters.Values : [];

    public SearchParameter? Find(string resourceType, string code) =>
        _byType.TryGetValue(resourceType, out var parameters) && parameters.TryGetValue(code, out var parameter) ? parameter : null;

    /// <summary>Assigns the stable numeric ids stored in index rows (the store persists them).</summary>
    public void AssignIds(IReadOnlyDictionary<(string Type, string Code), int> ids)
    {
        foreach (var parameter in _byType.Values.SelectMany(p => p.Values))
        {
            if (ids.TryGetValue((parameter.ResourceType, parameter.Code), out var id))
            {
                parameter.Id = id;
            }
        }
    }

    public IEnumerable<SearchParameter> All => _byType.Values.SelectMany(p => p.Values);
}

internal static class EnumLiteralExtensions
{
    public static string GetLiteral(this VersionIndependentResourceTypesAll type) => Hl7.Fhir.Utility.EnumUtility.GetLiteral(type) ?? type.ToString();
}
