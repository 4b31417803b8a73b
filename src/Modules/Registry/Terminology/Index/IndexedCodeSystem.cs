using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Platform.Text;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>One concept of a code system version, with what the filter compares prepared once.</summary>
internal sealed class IndexedConcept
{
    public required string Code { get; init; }

    public required string? Display { get; init; }

    public required string? Parent { get; init; }

    public required string FoldedCode { get; init; }

    /// <summary>Folded words of the display and every designation, each after a space (<see cref="ConceptFilter.SearchText"/>).</summary>
    public required string Words { get; init; }

    public required CodeSystem.ConceptDefinitionComponent Source { get; init; }
}

/// <summary>
/// One version of a code system as stored (a CodeSystem resource): several may share a url, each valid over its
/// effective period (R5 CodeSystem.effectivePeriod through the R4 cross-version extension).
/// </summary>
internal sealed class IndexedCodeSystem
{
    private IndexedCodeSystem(CodeSystem resource, DateOnly? from, DateOnly? to, List<IndexedConcept> concepts)
    {
        Resource = resource;
        From = from;
        To = to;
        Concepts = concepts;
        ByCode = concepts.GroupBy(c => c.Code, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    public CodeSystem Resource { get; }

    public string Url => Resource.Url ?? string.Empty;

    public string? Version => Resource.Version;

    public DateOnly? From { get; }

    public DateOnly? To { get; }

    /// <summary>Concepts in the order of the list (nested concepts flattened, parents first).</summary>
    public IReadOnlyList<IndexedConcept> Concepts { get; }

    public IReadOnlyDictionary<string, IndexedConcept> ByCode { get; }

    public bool InForceOn(DateOnly day) => (From is null || From <= day) && (To is null || day <= To);

    public string Describe() => $"{Url}|{Version ?? "(no version)"}" + (From is null && To is null ? string.Empty : $" (in force {From?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "…"} – {To?.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) ?? "…"})");

    public static IndexedCodeSystem Of(CodeSystem resource)
    {
        var period = resource.GetExtensionValue<Period>(TerminologySystems.EffectivePeriodExtension);
        var concepts = new List<IndexedConcept>();
        Flatten(resource.Concept, null, concepts);
        return new IndexedCodeSystem(resource, Day(period?.Start), Day(period?.End), concepts);
    }

    /// <summary>A FHIR date or dateTime's day ("2026-08-01", "2026-08-01T00:00:00+07:00"); null when absent or unreadable.</summary>
    public static DateOnly? Day(string? value) =>
        value is { Length: >= 10 } && DateOnly.TryParseExact(value[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    private static void Flatten(IEnumerable<CodeSystem.ConceptDefinitionComponent> concepts, string? nestedParent, List<IndexedConcept> into)
    {
        foreach (var concept in concepts)
        {
            if (string.IsNullOrEmpty(concept.Code))
            {
                continue;
            }

            var parent = concept.Property.FirstOrDefault(p => p.Code == TerminologySystems.ParentProperty)?.Value is Code code ? code.Value : nestedParent;
            var text = string.Join(' ', new[] { concept.Display }.Concat(concept.Designation.Select(d => d.Value)).Where(v => !string.IsNullOrEmpty(v)));
            into.Add(new IndexedConcept
            {
                Code = concept.Code,
                Display = concept.Display,
                Parent = parent,
                FoldedCode = TextNormalizer.Fold(concept.Code),
                Words = ConceptFilter.SearchText(ConceptFilter.Words(TextNormalizer.Fold(text)).Distinct(StringComparer.Ordinal)),
                Source = concept,
            });
            Flatten(concept.Concept, concept.Code, into);
        }
    }
}
