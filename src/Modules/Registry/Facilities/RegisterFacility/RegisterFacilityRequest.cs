namespace YTeSo.Registry.Facilities.RegisterFacility;

/// <summary>
/// A facility to register (<c>POST /api/registry/facilities</c>) or correct (<c>PUT /api/registry/facilities/{code}</c>,
/// where <see cref="Code"/> may be left out). Dates are days (yyyy-MM-dd in JSON). See docs/registry.md, "Facilities".
/// </summary>
public sealed record RegisterFacilityRequest
{
    /// <summary>Mã cơ sở KCB: 5 digits, the first two a province code.</summary>
    public string? Code { get; init; }

    public string? Name { get; init; }

    /// <summary>A code of https://yteso.vn/fhir/CodeSystem/facility-type (benh-vien, trung-tam-y-te, tram-y-te, ...).</summary>
    public string? Type { get; init; }

    /// <summary>A code of https://yteso.vn/fhir/CodeSystem/facility-level (trung-uong, tinh, khu-vuc, xa, tu-nhan).</summary>
    public string? Level { get; init; }

    /// <summary>The 5-digit code of the commune in force where the facility is.</summary>
    public string? CommuneCode { get; init; }

    /// <summary>House number and street, without commune and province (they come from the commune code).</summary>
    public string? AddressLine { get; init; }

    public double? Latitude { get; init; }

    public double? Longitude { get; init; }

    public string? LicenceNumber { get; init; }

    public DateOnly? LicenceIssued { get; init; }

    public DateOnly? LicenceExpires { get; init; }

    /// <summary>Codes of https://yteso.vn/fhir/CodeSystem/facility-service.</summary>
    public IReadOnlyList<string>? Services { get; init; }

    public DateOnly? ActiveFrom { get; init; }

    /// <summary>The last day of operation; a facility past it is inactive (Organization.active false).</summary>
    public DateOnly? ActiveTo { get; init; }

    /// <summary>The problems with the fields, by field name (camel case, as in the JSON); empty when well formed.</summary>
    public Dictionary<string, string[]> Problems(string? codeFromRoute)
    {
        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var code = codeFromRoute ?? Code;
        if (codeFromRoute is not null && Code is { Length: > 0 } && Code != codeFromRoute)
        {
            problems["code"] = [$"The code in the body ('{Code}') differs from the code in the address ('{codeFromRoute}'); a facility's code is not changed, register a new facility."];
        }
        else if (FacilityVocabulary.FormatProblem(code) is { } format)
        {
            problems["code"] = [Capitalised(format) + "."];
        }

        if (string.IsNullOrWhiteSpace(Name) || Name.Trim().Length > 250)
        {
            problems["name"] = ["The name is required (at most 250 characters)."];
        }

        if (FacilityVocabulary.Type(Type) is null)
        {
            problems["type"] = [$"The type must be one of {string.Join(", ", FacilityVocabulary.Types.Select(t => t.Code))}, not '{Type}'."];
        }

        if (Level is not null && FacilityVocabulary.Level(Level) is null)
        {
            problems["level"] = [$"The level must be one of {string.Join(", ", FacilityVocabulary.Levels.Select(t => t.Code))}, not '{Level}'."];
        }

        if (CommuneCode is not { Length: 5 } || !CommuneCode.All(char.IsAsciiDigit))
        {
            problems["communeCode"] = [$"The commune code must be 5 digits, not '{CommuneCode}'."];
        }

        if (Latitude is null != Longitude is null)
        {
            problems[Latitude is null ? "latitude" : "longitude"] = ["Give both latitude and longitude, or neither."];
        }

        if (Services?.FirstOrDefault(s => FacilityVocabulary.Service(s) is null) is { } unknown)
        {
            problems["services"] = [$"'{unknown}' is not one of {string.Join(", ", FacilityVocabulary.Services.Select(s => s.Code))}."];
        }

        if (LicenceIssued is { } issued && LicenceExpires is { } expires && expires < issued)
        {
            problems["licenceExpires"] = ["The licence cannot expire before it is issued."];
        }

        if (ActiveFrom is { } from && ActiveTo is { } to && to < from)
        {
            problems["activeTo"] = ["The facility cannot stop operating before it starts."];
        }

        return problems;
    }

    private static string Capitalised(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
