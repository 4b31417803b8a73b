using Hl7.Fhir.Model;
using Hl7.Fhir.Utility;
using YTeSo.Registry.Terminology.Index;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>
/// <c>ConceptMap/$translate</c> (FHIR R4 conceptmap-operation-translate) over the stored concept maps and the virtual
/// map of administrative units (a pre-reform commune to the commune(s) it became on 1 July 2025, ADR 0010).
/// <c>reverse</c> is not supported.
/// </summary>
internal sealed class ConceptMapOperations(TerminologyIndex index, AdministrativeUnitCodes units)
{
    public async Task<OperationAnswer> TranslateAsync(OperationInput input, string? conceptMapId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var reverse = input.Boolean("reverse", problems);
        var coding = input.Coding("coding")
            ?? input.CodeableConcept("codeableConcept")?.Coding.FirstOrDefault()
            ?? new Coding(input.String("system"), input.String("code"));
        if (string.IsNullOrEmpty(coding.Code) || string.IsNullOrEmpty(coding.System))
        {
            problems.Add("$translate needs 'code' and 'system', 'coding' or 'codeableConcept' (FHIR R4 conceptmap-operation-translate).");
        }

        if (problems.Count > 0)
        {
            return OperationAnswer.BadRequest(problems);
        }

        if (reverse == true)
        {
            return OperationAnswer.Unprocessable(OperationOutcome.IssueType.NotSupported, "$translate with reverse=true is not supported here.");
        }

        var url = input.String("url");
        var targetSystem = input.String("targetsystem");
        var snapshot = await index.CurrentAsync(cancellationToken);
        var matches = new List<(ConceptMapTarget Target, string? Source)>();
        if (url == TerminologySystems.AdministrativeUnitsMap || (url is null && conceptMapId is null && coding.System == TerminologySystems.LegacyAdministrativeUnits))
        {
            if (coding.System == TerminologySystems.LegacyAdministrativeUnits)
            {
                matches.AddRange((await units.TranslateAsync(coding.Code!, cancellationToken)).Select(t => (t, (string?)TerminologySystems.AdministrativeUnitsMap)));
            }
        }
        else
        {
            List<IndexedConceptMap> maps;
            if (conceptMapId is not null)
            {
                maps = snapshot.ConceptMapById(conceptMapId) is { } byId ? [byId] : [];
                if (maps.Count == 0)
                {
                    return OperationAnswer.NotFound($"ConceptMap/{conceptMapId} does not exist.");
                }
            }
            else if (url is not null)
            {
                maps = snapshot.ConceptMap(url, input.String("conceptMapVersion")) is { } byUrl ? [byUrl] : [];
                if (maps.Count == 0)
                {
                    return OperationAnswer.NotFound($"Unknown concept map '{url}'.");
                }
            }
            else
            {
                var source = input.String("source");
                var target = input.String("target");
                maps = [.. snapshot.ConceptMaps.Where(m => (source is null || m.SourceUri == source) && (target is null || m.TargetUri == target))];
            }

            foreach (var map in maps)
            {
                matches.AddRange((map.BySource.GetValueOrDefault((coding.System!, coding.Code!)) ?? []).Select(t => (t, map.Url)));
            }
        }

        matches = [.. matches.Where(m => targetSystem is null || m.Target.System == targetSystem)];
        var found = matches.Any(m => m.Target.Equivalence is not (ConceptMapEquivalence.Unmatched or ConceptMapEquivalence.Disjoint));
        var result = new Parameters().Add("result", new FhirBoolean(found));
        if (!found)
        {
            result.Add("message", new FhirString($"No mapping for '{coding.System}|{coding.Code}'" + (targetSystem is null ? "." : $" into {targetSystem}.")));
        }

        foreach (var (target, source) in matches)
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create("equivalence", (Base)new Code(target.Equivalence.GetLiteral())),
                Tuple.Create("concept", (Base)new Coding(target.System, target.Code, target.Display)),
            };
            if (source is not null)
            {
                parts.Add(Tuple.Create("source", (Base)new FhirUri(source)));
            }

            result.Add("match", parts);
        }

        return OperationAnswer.Ok(result);
    }
}
