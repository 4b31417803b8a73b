using Hl7.Fhir.Model;
using YTeSo.Platform.Text;
using YTeSo.Registry.Contracts;
using YTeSo.Registry.Terminology.Index;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>
/// <c>CodeSystem/$lookup</c> and <c>CodeSystem/$validate-code</c> (FHIR R4 codesystem-operation-lookup,
/// codesystem-operation-validate-code). Without <c>version</c> or <c>date</c>, the version in force today (Vietnam
/// time) answers.
/// </summary>
internal sealed class CodeSystemOperations(TerminologyIndex index, AdministrativeUnitCodes units)
{
    public async Task<OperationAnswer> LookupAsync(OperationInput input, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var day = input.Day("date", problems);
        var coding = input.Coding("coding") ?? new Coding(input.String("system"), input.String("code"));
        if (string.IsNullOrEmpty(coding.Code) || string.IsNullOrEmpty(coding.System))
        {
            problems.Add("$lookup needs 'code' and 'system', or 'coding' (FHIR R4 codesystem-operation-lookup).");
        }

        if (problems.Count > 0)
        {
            return OperationAnswer.BadRequest(problems);
        }

        var (system, code) = (coding.System!, coding.Code!);
        var version = input.String("version") ?? coding.Version;
        if (AdministrativeUnitCodes.Handles(system))
        {
            var unit = await units.FindAsync(system, code, day, index.Today, cancellationToken);
            return unit is null
                ? OperationAnswer.NotFound($"No administrative unit '{code}' in {system} on the day asked (codes are reused across the 2025 reform: give the day).")
                : OperationAnswer.Ok(LookupResult(unit));
        }

        var snapshot = await index.CurrentAsync(cancellationToken);
        var codeSystem = snapshot.CodeSystem(system, version, day ?? index.Today, out var problem);
        if (codeSystem is null)
        {
            return OperationAnswer.NotFound(problem!);
        }

        if (!codeSystem.ByCode.TryGetValue(code, out var concept))
        {
            return OperationAnswer.NotFound($"Code '{code}' is not in {codeSystem.Describe()}.");
        }

        return OperationAnswer.Ok(LookupResult(codeSystem, concept));
    }

    public async Task<OperationAnswer> ValidateCodeAsync(OperationInput input, string? codeSystemId, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var day = input.Day("date", problems);
        var snapshot = await index.CurrentAsync(cancellationToken);
        IndexedCodeSystem? byId = null;
        if (codeSystemId is not null && (byId = snapshot.CodeSystemById(codeSystemId)) is null)
        {
            return OperationAnswer.NotFound($"CodeSystem/{codeSystemId} does not exist.");
        }

        var url = byId?.Url ?? input.String("url");
        var coding = input.Coding("coding")
            ?? input.CodeableConcept("codeableConcept")?.Coding.FirstOrDefault(c => url is null || c.System == url)
            ?? new Coding(url, input.String("code")) { Display = input.String("display") };
        url ??= coding.System;
        if (string.IsNullOrEmpty(coding.Code) || string.IsNullOrEmpty(url))
        {
            problems.Add("$validate-code needs 'url' and 'code', 'coding' or 'codeableConcept' (FHIR R4 codesystem-operation-validate-code).");
        }

        if (problems.Count > 0)
        {
            return OperationAnswer.BadRequest(problems);
        }

        var (system, code) = (url!, coding.Code!);
        var display = input.String("display") ?? coding.Display;
        if (AdministrativeUnitCodes.Handles(system))
        {
            var unit = await units.FindAsync(system, code, day, index.Today, cancellationToken);
            return OperationAnswer.Ok(unit is null
                ? Invalid($"No administrative unit '{code}' in {system} on the day asked.")
                : Valid(unit.Name));
        }

        string? problem = null;
        var codeSystem = byId is not null && input.String("version") is null && day is null
            ? byId
            : snapshot.CodeSystem(system, input.String("version") ?? coding.Version ?? byId?.Version, day ?? index.Today, out problem);
        if (codeSystem is null)
        {
            // An unknown system is the caller's error, not a verdict on the code (the spec's result=false means "not valid in this system").
            return snapshot.HasCodeSystem(system) ? OperationAnswer.Ok(Invalid(problem!)) : OperationAnswer.NotFound(problem!);
        }

        return OperationAnswer.Ok(Verdict(codeSystem, code, display));
    }

    /// <summary>result/message/display for one code of one version, display checked folded (FHIR R4: a wrong display makes it invalid).</summary>
    internal static Parameters Verdict(IndexedCodeSystem codeSystem, string code, string? display)
    {
        if (!codeSystem.ByCode.TryGetValue(code, out var concept))
        {
            return Invalid($"Code '{code}' is not in {codeSystem.Describe()}.");
        }

        if (display is not null && !Displays(concept).Any(d => TextNormalizer.Fold(d) == TextNormalizer.Fold(display)))
        {
            var result = Invalid($"Code '{code}' is in {codeSystem.Describe()}, but its display is '{concept.Display}', not '{display}'.");
            result.Add("display", new FhirString(concept.Display));
            return result;
        }

        return Valid(concept.Display);
    }

    internal static Parameters Valid(string? display)
    {
        var result = new Parameters().Add("result", new FhirBoolean(true));
        if (display is not null)
        {
            result.Add("display", new FhirString(display));
        }

        return result;
    }

    internal static Parameters Invalid(string message) =>
        new Parameters().Add("result", new FhirBoolean(false)).Add("message", new FhirString(message));

    private static IEnumerable<string> Displays(IndexedConcept concept) =>
        new[] { concept.Display }.Concat(concept.Source.Designation.Select(d => d.Value)).OfType<string>();

    private static Parameters LookupResult(IndexedCodeSystem codeSystem, IndexedConcept concept)
    {
        var result = new Parameters().Add("name", new FhirString(codeSystem.Resource.Title ?? codeSystem.Resource.Name ?? codeSystem.Url));
        if (codeSystem.Version is not null)
        {
            result.Add("version", new FhirString(codeSystem.Version));
        }

        result.Add("display", new FhirString(concept.Display ?? concept.Code));
        if (concept.Source.Definition is { } definition)
        {
            result.Add("definition", new FhirString(definition));
        }

        foreach (var designation in concept.Source.Designation)
        {
            var parts = new List<Tuple<string, Base>>();
            if (designation.Language is not null)
            {
                parts.Add(Tuple.Create("language", (Base)new Code(designation.Language)));
            }

            if (designation.Use is not null)
            {
                parts.Add(Tuple.Create("use", (Base)designation.Use));
            }

            parts.Add(Tuple.Create("value", (Base)new FhirString(designation.Value)));
            result.Add("designation", parts);
        }

        // The hierarchy as R4 lookup properties: "parent" and "child" (codesystem-concept-properties).
        if (concept.Parent is not null)
        {
            result.Add("property", Property(TerminologySystems.ParentProperty, new Code(concept.Parent)));
        }

        foreach (var property in concept.Source.Property.Where(p => p.Code != TerminologySystems.ParentProperty && p.Value is not null))
        {
            result.Add("property", Property(property.Code ?? string.Empty, property.Value));
        }

        return result;
    }

    private static Parameters LookupResult(AdministrativeUnit unit)
    {
        var result = new Parameters()
            .Add("name", new FhirString("Đơn vị hành chính"))
            .Add("display", new FhirString(unit.Name));
        result.Add("property", Property("type", new FhirString(unit.Type)));
        if (unit.ParentCode is not null && unit.Level != AdministrativeLevel.Province)
        {
            result.Add("property", Property(TerminologySystems.ParentProperty, new Code(unit.ParentCode)));
        }

        return result;
    }

    /// <summary>A lookup "property" out-parameter: its code and value parts (FHIR R4 codesystem-operation-lookup).</summary>
    private static List<Tuple<string, Base>> Property(string code, Base value) =>
        [Tuple.Create("code", (Base)new Code(code)), Tuple.Create("value", value)];
}
