using Hl7.Fhir.Model;

namespace YTeSo.Registry.Terminology;

/// <summary>Builds the pieces of CodeSystem and ValueSet resources the importers and the shipped lists share.</summary>
internal static class TerminologyResources
{
    public static CodeSystem.ConceptDefinitionComponent Concept(string code, string display, string? parent, string? definition)
    {
        var concept = new CodeSystem.ConceptDefinitionComponent { Code = code, Display = display };
        if (!string.IsNullOrEmpty(definition))
        {
            concept.Definition = definition;
        }

        if (!string.IsNullOrEmpty(parent))
        {
            concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = TerminologySystems.ParentProperty, Value = new Code(parent) });
        }

        return concept;
    }

    public static string? ParentOf(CodeSystem.ConceptDefinitionComponent concept) =>
        (concept.Property.FirstOrDefault(p => p.Code == TerminologySystems.ParentProperty)?.Value as Code)?.Value;

    /// <summary>The validity of this version as R5 CodeSystem.effectivePeriod (cross-version extension, R5 versions.html).</summary>
    public static void SetEffectivePeriod(CodeSystem codeSystem, string? from, string? to, string file, List<string> problems)
    {
        if (string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to))
        {
            return;
        }

        foreach (var (name, value) in new[] { ("effective-from", from), ("effective-to", to) })
        {
            if (!string.IsNullOrEmpty(value) && Index.IndexedCodeSystem.Day(value) is null)
            {
                problems.Add($"{file}: {name} must be a date yyyy-MM-dd, not '{value}'");
            }
        }

        var period = new Period();
        if (!string.IsNullOrEmpty(from))
        {
            period.Start = from;
        }

        if (!string.IsNullOrEmpty(to))
        {
            period.End = to;
        }

        codeSystem.SetExtension(TerminologySystems.EffectivePeriodExtension, period);
    }

    /// <summary>Declares the concept properties used (R4 CodeSystem.property), so a reader knows what parent and certainty mean.</summary>
    public static void DeclareProperties(CodeSystem codeSystem)
    {
        var used = codeSystem.Concept.SelectMany(c => c.Property).Select(p => p.Code).ToHashSet(StringComparer.Ordinal);
        if (used.Contains(TerminologySystems.ParentProperty))
        {
            codeSystem.Property.Add(new CodeSystem.PropertyComponent
            {
                Code = TerminologySystems.ParentProperty,
                Uri = "http://hl7.org/fhir/concept-properties#parent",
                Description = "The code this one is part of (chapter, block, category).",
                Type = CodeSystem.PropertyType.Code,
            });
        }

        if (used.Contains(TerminologySystems.CertaintyProperty))
        {
            codeSystem.Property.Add(new CodeSystem.PropertyComponent
            {
                Code = TerminologySystems.CertaintyProperty,
                Uri = TerminologySystems.Base + "CodeSystem/certainty",
                Description = "How this row is known: P primary text, S secondary source, U unverified (check before relying on it).",
                Type = CodeSystem.PropertyType.Code,
            });
        }
    }

    /// <summary>The value set of every code of the system, whichever version is in force (no version in the include).</summary>
    public static ValueSet AllCodes(CodeSystem codeSystem, string id) => new()
    {
        Id = id,
        Url = TerminologySystems.Base + "ValueSet/" + id,
        Name = codeSystem.Name,
        Title = codeSystem.Title,
        Status = PublicationStatus.Active,
        Experimental = codeSystem.Experimental,
        Description = new Markdown($"Every code of {codeSystem.Url}, in the version in force on the day asked."),
        Compose = new ValueSet.ComposeComponent { Include = [new ValueSet.ConceptSetComponent { System = codeSystem.Url }] },
    };
}
