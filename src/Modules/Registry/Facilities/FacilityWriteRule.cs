using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Contracts;

namespace YTeSo.Registry.Facilities;

/// <summary>
/// The facility profile's rules (docs/registry.md, "Facilities"), checked before every FHIR create or update of an
/// Organization or a Location that claims to be a registry facility, i.e. carries the facility code identifier. Other
/// Organizations and Locations (payers, Synthea test data, wards, administrative units) pass unchanged.
/// </summary>
internal sealed class FacilityWriteRule(AdministrativeUnitDirectory units, TimeProvider clock) : IResourceWriteRule
{
    private const int MaxFacilitiesPerCode = 5;

    public IReadOnlyCollection<string> ResourceTypes { get; } = ["Organization", "Location"];

    public async Task<IReadOnlyList<string>> CheckAsync(Resource resource, IStoredResources stored, CancellationToken cancellationToken)
    {
        if (!FacilityProfile.ClaimsToBeFacility(resource))
        {
            return [];
        }

        var problems = new List<string>();
        var type = resource.TypeName;
        var hasUnits = await units.HasUnitsAsync(cancellationToken);
        var identifiers = resource is Organization o ? o.Identifier : ((Location)resource).Identifier;
        for (var i = 0; i < identifiers.Count; i++)
        {
            if (identifiers[i].System != FacilityVocabulary.FacilityCodeSystem)
            {
                continue;
            }

            var code = identifiers[i].Value;
            if (FacilityVocabulary.FormatProblem(code) is { } format)
            {
                problems.Add($"{type}.identifier[{i}].value: {format}.");
                continue;
            }

            // The first two digits are the province's code, before or after the 2025 reform (codes issued before
            // 1 July 2025 keep their old province digits).
            if (hasUnits
                && await units.FindAsync(AdministrativeLevel.Province, code![..2], AdministrativeReform.TwoTierFrom, cancellationToken) is null
                && await units.FindAsync(AdministrativeLevel.Province, code[..2], AdministrativeReform.LastThreeTierDay, cancellationToken) is null)
            {
                problems.Add($"{type}.identifier[{i}].value: the facility code '{code}' starts with '{code[..2]}', which is not a province code before or after the 2025 reform.");
                continue;
            }

            if (resource is Organization organization && organization.Active != false)
            {
                var others = await stored.SearchAsync("Organization", $"identifier={FacilityVocabulary.FacilityCodeSystem}|{code}", MaxFacilitiesPerCode, cancellationToken);
                if (others.OfType<Organization>().FirstOrDefault(other => other.Id != organization.Id && other.Active != false) is { } taken)
                {
                    problems.Add($"Organization.identifier[{i}].value: the facility code '{code}' is already used by the active Organization/{taken.Id} ({taken.Name}).");
                }
            }
        }

        List<Address?> addresses = resource is Organization org ? [.. org.Address] : [((Location)resource).Address];
        for (var i = 0; i < addresses.Count; i++)
        {
            var path = resource is Organization ? $"Organization.address[{i}]" : "Location.address";
            if (addresses[i]?.GetExtension(FacilityVocabulary.CommuneCodeExtension) is null)
            {
                continue;
            }

            var commune = FacilityProfile.CommuneCode(addresses[i]);
            if (commune is not { Length: 5 } || !commune.All(char.IsAsciiDigit))
            {
                problems.Add($"{path}.extension[commune-code]: the commune code must be 5 digits, not '{commune}'.");
            }
            else if (hasUnits && await units.FindAsync(AdministrativeLevel.Commune, commune, Today(), cancellationToken) is null)
            {
                problems.Add($"{path}.extension[commune-code]: '{commune}' is not a commune in force today.");
            }
        }

        if (resource is Location location)
        {
            await CheckLocationAsync(location, stored, problems, cancellationToken);
        }

        return problems;
    }

    private static async Task CheckLocationAsync(Location location, IStoredResources stored, List<string> problems, CancellationToken cancellationToken)
    {
        if (location.Position is { Latitude: { } latitude, Longitude: { } longitude } && !FacilityVocabulary.InsideVietnam((double)latitude, (double)longitude))
        {
            // Invariant: the message is about FHIR decimals, whatever the server's culture (vi-VN writes 1,35).
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"Location.position: latitude {latitude}, longitude {longitude} is outside Vietnam ({FacilityVocabulary.MinLatitude}–{FacilityVocabulary.MaxLatitude}°N, {FacilityVocabulary.MinLongitude}–{FacilityVocabulary.MaxLongitude}°E)."));
        }

        var reference = location.ManagingOrganization?.Reference;
        if (reference is null || !reference.StartsWith("Organization/", StringComparison.Ordinal))
        {
            problems.Add($"Location.managingOrganization: a facility's Location must name its facility's Organization, not '{reference}'.");
            return;
        }

        var id = reference["Organization/".Length..].Split('/')[0];
        var found = id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
            ? await stored.SearchAsync("Organization", $"_id={id}", 1, cancellationToken)
            : [];
        if (found.Count == 0 || found[0] is not Organization manager || !FacilityProfile.ClaimsToBeFacility(manager))
        {
            problems.Add($"Location.managingOrganization: '{reference}' is not a facility (an Organization with a {FacilityVocabulary.FacilityCodeSystem} identifier).");
        }
    }

    private DateOnly Today() => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime); // the day in Vietnam
}
