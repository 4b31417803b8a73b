using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.Registry.Contracts;
using YTeSo.Registry.Facilities.SearchFacilities;

namespace YTeSo.Registry.Facilities.RegisterFacility;

/// <summary>How a registration or correction ended: the facility, or the status and the problems by field.</summary>
internal sealed record RegisterFacilityResult(FacilityResponse? Facility, int Status, IReadOnlyDictionary<string, string[]> Problems);

/// <summary>
/// Registers a facility, or corrects one, as an Organization and its Location written together in one FHIR
/// transaction with the caller's access, so both or neither are stored. The write rule (<see cref="FacilityWriteRule"/>)
/// runs inside that transaction; its refusals come back as 422 with each problem under the field it names.
/// </summary>
internal sealed class RegisterFacilityHandler(IFhirRepository fhir, SearchFacilitiesHandler search, IAdministrativeUnits units, TimeProvider clock)
{
    public async Task<RegisterFacilityResult> HandleAsync(FhirAccess access, RegisterFacilityRequest request, string? existingCode, CancellationToken cancellationToken)
    {
        var problems = request.Problems(existingCode);
        if (problems.Count > 0)
        {
            return new(null, 400, problems);
        }

        var code = existingCode ?? request.Code!;
        var current = await search.FindAsync(access, code, cancellationToken);
        if (existingCode is null && current is { Organization.Active: not false } taken)
        {
            return new(null, 409, new Dictionary<string, string[]> { ["code"] = [$"The facility code '{code}' is already used by {taken.Organization.Name} (Organization/{taken.Organization.Id})."] });
        }

        if (existingCode is not null && current is null)
        {
            return new(null, 404, new Dictionary<string, string[]> { ["code"] = [$"No facility has the code '{code}'."] });
        }

        var today = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime);
        var fields = new FacilityFields(
            request.Name!, request.Type!, request.Level, request.Latitude, request.Longitude, request.LicenceNumber, request.LicenceIssued,
            request.LicenceExpires, request.Services ?? [], request.ActiveFrom, request.ActiveTo, today);
        var commune = await units.FindAsync(AdministrativeLevel.Commune, request.CommuneCode!, today, cancellationToken);
        var province = commune is null ? null : await units.FindAsync(AdministrativeLevel.Province, commune.ProvinceCode, today, cancellationToken);
        var address = FacilityProfile.Address(request.AddressLine, request.CommuneCode!, commune?.Name, province?.Name);

        // A correction keeps the stored resources (their ids, other identifiers and extensions) and changes what the
        // profile owns; a registration after an inactive one with the same code gets fresh fixed ids.
        var reuse = existingCode is not null ? current : null;
        var organization = FacilityProfile.ToOrganization(code, fields, address, reuse?.Organization);
        var location = FacilityProfile.ToLocation(code, fields, address, organization.Id ?? FacilityProfile.OrganizationId(code), reuse?.Location);
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        Put(bundle, organization, reuse?.Organization.Meta?.VersionId);
        Put(bundle, location, reuse?.Location?.Meta?.VersionId);
        try
        {
            await fhir.ProcessBundleAsync(access, bundle, cancellationToken);
        }
        catch (Exception e) when (FhirRefusal.TryGet(e, out var status, out var outcome))
        {
            var byField = ByField(outcome);
            var reused = byField.GetValueOrDefault("code")?.Any(m => m.Contains("is already used", StringComparison.Ordinal)) == true;
            return new(null, reused ? 409 : status, byField);
        }

        var stored = await search.FindAsync(access, code, cancellationToken);
        return new(stored is { } s ? FacilityProfile.ToResponse(s.Organization, s.Location) : null, existingCode is null ? 201 : 200, new Dictionary<string, string[]>());
    }

    private static void Put(Bundle bundle, Resource resource, string? version) => bundle.Entry.Add(new Bundle.EntryComponent
    {
        Resource = resource,
        Request = new Bundle.RequestComponent
        {
            Method = Bundle.HTTPVerb.PUT,
            Url = $"{resource.TypeName}/{resource.Id}",
            IfMatch = version is null ? null : $"W/\"{version}\"",
        },
    });

    /// <summary>The rule's messages start with the element they name; each goes under the request field it came from.</summary>
    private static Dictionary<string, string[]> ByField(OperationOutcome outcome) =>
        outcome.Issue
            .Select(i => i.Diagnostics ?? i.Details?.Text ?? string.Empty)
            .GroupBy(Field)
            .ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);

    private static string Field(string message) => message switch
    {
        _ when message.Contains("commune-code", StringComparison.Ordinal) => "communeCode",
        _ when message.Contains("Location.position", StringComparison.Ordinal) => "latitude",
        _ when message.Contains(".identifier", StringComparison.Ordinal) => "code",
        _ => "facility",
    };
}
