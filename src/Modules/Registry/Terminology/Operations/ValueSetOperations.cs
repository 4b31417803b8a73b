using Hl7.Fhir.Model;
using YTeSo.Registry.Terminology.Index;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>
/// <c>ValueSet/$expand</c> and <c>ValueSet/$validate-code</c> (FHIR R4 valueset-operation-expand,
/// valueset-operation-validate-code), over the value sets stored in the FHIR store. Each include takes the version of
/// its code system named in the include, or the one in force on <c>date</c> (today without it).
/// </summary>
internal sealed class ValueSetOperations(TerminologyIndex index, TimeProvider clock)
{
    /// <summary>
    /// The most concepts one expansion returns; asking for more without <c>count</c> is refused as too costly (R4 issue
    /// type too-costly) rather than sending the whole of ICD-10 at once. Page with <c>count</c> and <c>offset</c>.
    /// </summary>
    public const int MaxExpansion = 10_000;

    public async Task<OperationAnswer> ExpandAsync(OperationInput input, string? valueSetId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var day = input.Day("date", problems) ?? index.Today;
        var offset = input.Integer("offset", problems) ?? 0;
        var count = input.Integer("count", problems);
        var includeDesignations = input.Boolean("includeDesignations", problems) ?? false;
        if (problems.Count > 0)
        {
            return OperationAnswer.BadRequest(problems);
        }

        var snapshot = await index.CurrentAsync(cancellationToken);
        var (valueSet, missing) = Resolve(snapshot, input, valueSetId);
        if (valueSet is null)
        {
            return missing!;
        }

        if (valueSet.Unsupported is not null)
        {
            return OperationAnswer.Unprocessable(OperationOutcome.IssueType.NotSupported, $"ValueSet {valueSet.Url} cannot be expanded here: {valueSet.Unsupported}.");
        }

        var filter = ConceptFilter.Parse(input.String("filter"));
        var take = Math.Min(count ?? MaxExpansion, MaxExpansion);
        var contains = new List<ValueSet.ContainsComponent>();
        var used = new List<IndexedCodeSystem>();
        var total = 0;
        foreach (var include in valueSet.Includes)
        {
            var codeSystem = snapshot.CodeSystem(include.System, include.Version, day, out var problem);
            if (codeSystem is null)
            {
                return OperationAnswer.Unprocessable(OperationOutcome.IssueType.NotFound, $"ValueSet {valueSet.Url} includes {include.System}: {problem}");
            }

            used.Add(codeSystem);
            foreach (var concept in Concepts(codeSystem, include))
            {
                if (!filter.IsEmpty && !filter.Matches(concept.FoldedCode, concept.Words))
                {
                    continue;
                }

                if (total >= offset && contains.Count < take)
                {
                    contains.Add(Entry(codeSystem, concept, includeDesignations));
                }

                total++;
            }
        }

        if (count is null && total - offset > MaxExpansion)
        {
            return OperationAnswer.Unprocessable(OperationOutcome.IssueType.TooCostly,
                $"The expansion of {valueSet.Url} has {total} concepts; ask for a page with 'count' (at most {MaxExpansion}) and 'offset', or narrow it with 'filter'.");
        }

        var expansion = new ValueSet.ExpansionComponent
        {
            Identifier = "urn:uuid:" + Guid.NewGuid().ToString("D"),
            TimestampElement = new FhirDateTime(clock.GetUtcNow()),
            Total = total,
            Offset = offset,
            Contains = contains,
        };
        if (input.String("filter") is { } text)
        {
            expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "filter", Value = new FhirString(text) });
        }

        expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "date", Value = new FhirDateTime(day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) });
        expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "offset", Value = new Integer(offset) });
        if (count is not null)
        {
            expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "count", Value = new Integer(count) });
        }

        // R4 expansion parameter "version": the code system versions the expansion was made from (valueset-expansion-parameters).
        foreach (var codeSystem in used)
        {
            expansion.Parameter.Add(new ValueSet.ParameterComponent { Name = "version", Value = new FhirUri($"{codeSystem.Url}|{codeSystem.Version}") });
        }

        var resource = valueSet.Resource;
        return OperationAnswer.Ok(new ValueSet
        {
            Id = resource.Id,
            Url = resource.Url,
            Version = resource.Version,
            Name = resource.Name,
            Title = resource.Title,
            Status = resource.Status,
            Expansion = expansion,
        });
    }

    public async Task<OperationAnswer> ValidateCodeAsync(OperationInput input, string? valueSetId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var day = input.Day("date", problems) ?? index.Today;
        var snapshot = await index.CurrentAsync(cancellationToken);
        var coding = input.Coding("coding")
            ?? input.CodeableConcept("codeableConcept")?.Coding.FirstOrDefault()
            ?? new Coding(input.String("system"), input.String("code")) { Display = input.String("display"), Version = input.String("systemVersion") };
        if (string.IsNullOrEmpty(coding.Code))
        {
            problems.Add("ValueSet/$validate-code needs 'code' (with 'system'), 'coding' or 'codeableConcept' (FHIR R4 valueset-operation-validate-code).");
        }

        if (problems.Count > 0)
        {
            return OperationAnswer.BadRequest(problems);
        }

        var (valueSet, missing) = Resolve(snapshot, input, valueSetId);
        if (valueSet is null)
        {
            return missing!;
        }

        if (valueSet.Unsupported is not null)
        {
            return OperationAnswer.Unprocessable(OperationOutcome.IssueType.NotSupported, $"ValueSet {valueSet.Url} cannot be checked here: {valueSet.Unsupported}.");
        }

        var system = coding.System ?? (valueSet.Includes.Select(i => i.System).Distinct(StringComparer.Ordinal).ToList() is [var only] ? only : null);
        if (system is null)
        {
            return OperationAnswer.BadRequest($"ValueSet {valueSet.Url} draws on several code systems: give 'system' with 'code'.");
        }

        var includes = valueSet.Includes.Where(i => i.System == system && (i.Codes is null || i.Codes.Contains(coding.Code, StringComparer.Ordinal))).ToList();
        if (includes.Count == 0)
        {
            return OperationAnswer.Ok(CodeSystemOperations.Invalid($"Code '{system}|{coding.Code}' is not in value set {valueSet.Url}."));
        }

        var codeSystem = snapshot.CodeSystem(system, coding.Version ?? includes[0].Version, day, out var problem);
        return OperationAnswer.Ok(codeSystem is null
            ? CodeSystemOperations.Invalid($"Code '{system}|{coding.Code}' cannot be checked: {problem}")
            : CodeSystemOperations.Verdict(codeSystem, coding.Code!, input.String("display") ?? coding.Display));
    }

    /// <summary>The value set of the instance route, or of <c>url</c> (and <c>valueSetVersion</c>), or of a <c>valueSet</c> in the body.</summary>
    private static (IndexedValueSet? ValueSet, OperationAnswer? Problem) Resolve(TerminologySnapshot snapshot, OperationInput input, string? valueSetId)
    {
        if (valueSetId is not null)
        {
            return snapshot.ValueSetById(valueSetId) is { } byId ? (byId, null) : (null, OperationAnswer.NotFound($"ValueSet/{valueSetId} does not exist."));
        }

        if (input.Resource("valueSet") is ValueSet inline)
        {
            return (IndexedValueSet.From(inline), null);
        }

        if (input.String("url") is not { } url)
        {
            return (null, OperationAnswer.BadRequest("Name the value set: 'url', a 'valueSet' resource, or ValueSet/{id}/$… (FHIR R4 valueset operations).", OperationOutcome.IssueType.Required));
        }

        var canonical = url.Split('|', 2);
        var version = input.String("valueSetVersion") ?? (canonical.Length == 2 ? canonical[1] : null);
        return snapshot.ValueSet(canonical[0], version) is { } byUrl
            ? (byUrl, null)
            : (null, OperationAnswer.NotFound($"Unknown value set '{url}'" + (version is null ? "." : $" version '{version}'.")));
    }

    private static IEnumerable<IndexedConcept> Concepts(IndexedCodeSystem codeSystem, ValueSetInclude include) =>
        include.Codes is null ? codeSystem.Concepts : include.Codes.Select(c => codeSystem.ByCode.GetValueOrDefault(c)).OfType<IndexedConcept>();

    private static ValueSet.ContainsComponent Entry(IndexedCodeSystem codeSystem, IndexedConcept concept, bool includeDesignations)
    {
        var entry = new ValueSet.ContainsComponent { System = codeSystem.Url, Version = codeSystem.Version, Code = concept.Code, Display = concept.Display };
        if (includeDesignations)
        {
            entry.Designation = [.. concept.Source.Designation.Select(d => new ValueSet.DesignationComponent { Language = d.Language, Use = d.Use, Value = d.Value })];
        }

        return entry;
    }
}
