using Hl7.Fhir.Model;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>
/// A ValueSet's compose reduced to what the terminology service expands: each include names a system (optionally a
/// version) and either lists codes or takes the whole system. Include filters and excludes are not supported; such a
/// value set is refused with a precise message rather than expanded wrongly.
/// </summary>
internal sealed class IndexedValueSet
{
    private IndexedValueSet(ValueSet resource, List<ValueSetInclude> includes, string? unsupported)
    {
        Resource = resource;
        Includes = includes;
        Unsupported = unsupported;
    }

    public ValueSet Resource { get; }

    public string? Url => Resource.Url;

    public string? Version => Resource.Version;

    public IReadOnlyList<ValueSetInclude> Includes { get; }

    /// <summary>Why this value set cannot be expanded here, or null.</summary>
    public string? Unsupported { get; }

    public static IndexedValueSet From(ValueSet resource)
    {
        var includes = new List<ValueSetInclude>();
        string? unsupported = null;
        var compose = resource.Compose;
        if (compose is null)
        {
            unsupported = "it has no compose";
        }
        else
        {
            if (compose.Exclude.Count > 0)
            {
                unsupported = "compose.exclude is not supported";
            }

            foreach (var include in compose.Include)
            {
                if (include.Filter.Count > 0 || include.ValueSetElement.Count > 0 || string.IsNullOrEmpty(include.System))
                {
                    unsupported = "only includes of a system (whole, or listed codes) are supported";
                    continue;
                }

                includes.Add(new ValueSetInclude(include.System, include.Version, include.Concept.Count == 0 ? null : [.. include.Concept.Select(c => c.Code ?? string.Empty)]));
            }
        }

        return new IndexedValueSet(resource, includes, unsupported);
    }
}

/// <summary>One include: the whole of <paramref name="System"/> when <paramref name="Codes"/> is null.</summary>
internal sealed record ValueSetInclude(string System, string? Version, IReadOnlyList<string>? Codes);

/// <summary>A ConceptMap's elements by source system and code.</summary>
internal sealed class IndexedConceptMap
{
    private IndexedConceptMap(ConceptMap resource, Dictionary<(string System, string Code), List<ConceptMapTarget>> bySource)
    {
        Resource = resource;
        BySource = bySource;
    }

    public ConceptMap Resource { get; }

    public string? Url => Resource.Url;

    public string? Version => Resource.Version;

    public string? SourceUri => (Resource.Source as FhirUri)?.Value ?? (Resource.Source as Canonical)?.Value;

    public string? TargetUri => (Resource.Target as FhirUri)?.Value ?? (Resource.Target as Canonical)?.Value;

    public IReadOnlyDictionary<(string System, string Code), List<ConceptMapTarget>> BySource { get; }

    public static IndexedConceptMap From(ConceptMap resource)
    {
        var bySource = new Dictionary<(string, string), List<ConceptMapTarget>>();
        foreach (var group in resource.Group)
        {
            foreach (var element in group.Element.Where(e => !string.IsNullOrEmpty(e.Code)))
            {
                var key = (group.Source ?? string.Empty, element.Code!);
                if (!bySource.TryGetValue(key, out var targets))
                {
                    bySource[key] = targets = [];
                }

                targets.AddRange(element.Target.Select(t => new ConceptMapTarget(group.Target, t.Code, t.Display, t.Equivalence ?? ConceptMapEquivalence.Equivalent, t.Comment)));
            }
        }

        return new IndexedConceptMap(resource, bySource);
    }
}

/// <summary>One target of a mapped code.</summary>
internal sealed record ConceptMapTarget(string? System, string? Code, string? Display, ConceptMapEquivalence Equivalence, string? Comment);
