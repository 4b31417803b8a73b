using System.Globalization;
using Hl7.Fhir.Model;

namespace YTeSo.Registry.Facilities;

/// <summary>A facility as the UI and its API see it: the Organization and its Location read together.</summary>
public sealed record FacilityResponse(
    string Code,
    string Name,
    string? Type,
    string? TypeDisplay,
    string? Level,
    string? LevelDisplay,
    string? CommuneCode,
    string? ProvinceCode,
    string? AddressLine,
    string? AddressText,
    double? Latitude,
    double? Longitude,
    string? LicenceNumber,
    DateOnly? LicenceIssued,
    DateOnly? LicenceExpires,
    IReadOnlyList<string> Services,
    bool Active,
    DateOnly? ActiveFrom,
    DateOnly? ActiveTo,
    string OrganizationId,
    string? LocationId);

/// <summary>
/// The facility profile (docs/registry.md, "Facilities"): how a facility is written as an R4 Organization and a
/// Location, and read back. Both carry the facility code identifier, which is what marks a resource as a registry
/// facility for <see cref="FacilityWriteRule"/>.
/// </summary>
internal static class FacilityProfile
{
    /// <summary>Fixed ids, as the demo data uses them, so a PUT of the same facility twice changes nothing new.</summary>
    public static string OrganizationId(string code) => $"cs-{code}";

    public static string LocationId(string code) => $"dd-{code}";

    public static string? FacilityCode(Resource resource) => resource switch
    {
        Organization o => o.Identifier.FirstOrDefault(i => i.System == FacilityVocabulary.FacilityCodeSystem)?.Value,
        Location l => l.Identifier.FirstOrDefault(i => i.System == FacilityVocabulary.FacilityCodeSystem)?.Value,
        _ => null,
    };

    public static bool ClaimsToBeFacility(Resource resource) =>
        resource switch
        {
            Organization o => o.Identifier.Any(i => i.System == FacilityVocabulary.FacilityCodeSystem),
            Location l => l.Identifier.Any(i => i.System == FacilityVocabulary.FacilityCodeSystem),
            _ => false,
        };

    public static string? CommuneCode(Address? address) =>
        (address?.GetExtension(FacilityVocabulary.CommuneCodeExtension)?.Value as Code)?.Value
        ?? (address?.GetExtension(FacilityVocabulary.CommuneCodeExtension)?.Value as FhirString)?.Value;

    public static Organization ToOrganization(string code, FacilityFields fields, Address address, Organization? current)
    {
        var organization = current ?? new Organization { Id = OrganizationId(code) };
        organization.Identifier = [.. organization.Identifier.Where(i => i.System is not (FacilityVocabulary.FacilityCodeSystem or FacilityVocabulary.LicenceSystem))];
        organization.Identifier.Insert(0, new Identifier(FacilityVocabulary.FacilityCodeSystem, code) { Use = Identifier.IdentifierUse.Official });
        if (!string.IsNullOrWhiteSpace(fields.LicenceNumber))
        {
            organization.Identifier.Add(new Identifier(FacilityVocabulary.LicenceSystem, fields.LicenceNumber.Trim())
            {
                Type = new CodeableConcept(null, null, "Giấy phép hoạt động"),
                Period = Period(fields.LicenceIssued, fields.LicenceExpires),
            });
        }

        organization.Name = fields.Name.Trim();
        organization.Active = fields.ActiveTo is null || fields.ActiveTo >= fields.Today;
        organization.Type = [.. organization.Type.Where(t => !t.Coding.Any(c => c.System is FacilityVocabulary.TypeSystem or FacilityVocabulary.LevelSystem))];
        var type = FacilityVocabulary.Type(fields.Type)!;
        organization.Type.Add(new CodeableConcept(FacilityVocabulary.TypeSystem, type.Code, type.Display, type.Display));
        if (FacilityVocabulary.Level(fields.Level) is { } level)
        {
            organization.Type.Add(new CodeableConcept(FacilityVocabulary.LevelSystem, level.Code, level.Display, level.Display));
        }

        organization.Address = [address];
        organization.Extension.RemoveAll(e => e.Url is FacilityVocabulary.ServiceExtension or FacilityVocabulary.ActivePeriodExtension);
        foreach (var service in fields.Services.Select(FacilityVocabulary.Service).OfType<FacilityConcept>())
        {
            organization.Extension.Add(new Extension(FacilityVocabulary.ServiceExtension, new CodeableConcept(FacilityVocabulary.ServiceSystem, service.Code, service.Display, service.Display)));
        }

        if (Period(fields.ActiveFrom, fields.ActiveTo) is { } active)
        {
            organization.Extension.Add(new Extension(FacilityVocabulary.ActivePeriodExtension, active));
        }

        return organization;
    }

    public static Location ToLocation(string code, FacilityFields fields, Address address, string organizationId, Location? current)
    {
        var location = current ?? new Location { Id = LocationId(code) };
        location.Identifier = [new Identifier(FacilityVocabulary.FacilityCodeSystem, code)];
        location.Status = fields.ActiveTo is null || fields.ActiveTo >= fields.Today ? Location.LocationStatus.Active : Location.LocationStatus.Inactive;
        location.Name = fields.Name.Trim();
        location.Mode = Location.LocationMode.Instance;
        location.PhysicalType = new CodeableConcept("http://terminology.hl7.org/CodeSystem/location-physical-type", "bu", "Building", "Tòa nhà");
        location.Address = (Address)address.DeepCopy();
        location.Position = fields.Latitude is { } lat && fields.Longitude is { } lon
            ? new Location.PositionComponent { Latitude = (decimal)lat, Longitude = (decimal)lon }
            : null;
        location.ManagingOrganization = new ResourceReference($"Organization/{organizationId}", fields.Name.Trim());
        return location;
    }

    /// <summary>vn-standards §8.1: no district since 1 July 2025, so the address is line, commune, province.</summary>
    public static Address Address(string? line, string communeCode, string? communeName, string? provinceName)
    {
        var address = new Address
        {
            Use = Hl7.Fhir.Model.Address.AddressUse.Work,
            Type = Hl7.Fhir.Model.Address.AddressType.Physical,
            City = communeName,
            State = provinceName,
            Country = "VN",
            Text = string.Join(", ", new[] { line?.Trim(), communeName, provinceName }.Where(p => !string.IsNullOrEmpty(p))),
        };
        if (!string.IsNullOrWhiteSpace(line))
        {
            address.Line = [line.Trim()];
        }

        address.Extension.Add(new Extension(FacilityVocabulary.CommuneCodeExtension, new Code(communeCode)));
        return address;
    }

    public static FacilityResponse ToResponse(Organization organization, Location? location)
    {
        var code = FacilityCode(organization) ?? string.Empty;
        var type = organization.Type.SelectMany(t => t.Coding).FirstOrDefault(c => c.System == FacilityVocabulary.TypeSystem)?.Code;
        var level = organization.Type.SelectMany(t => t.Coding).FirstOrDefault(c => c.System == FacilityVocabulary.LevelSystem)?.Code;
        var licence = organization.Identifier.FirstOrDefault(i => i.System == FacilityVocabulary.LicenceSystem);
        var address = organization.Address.FirstOrDefault() ?? location?.Address;
        var commune = CommuneCode(address);
        var active = organization.GetExtension(FacilityVocabulary.ActivePeriodExtension)?.Value as Period;
        return new FacilityResponse(
            code,
            organization.Name ?? string.Empty,
            type,
            FacilityVocabulary.Type(type)?.Display,
            level,
            FacilityVocabulary.Level(level)?.Display,
            commune,
            code.Length >= 2 ? code[..2] : null,
            address?.Line.FirstOrDefault(),
            address?.Text,
            (double?)location?.Position?.Latitude,
            (double?)location?.Position?.Longitude,
            licence?.Value,
            Day(licence?.Period?.Start),
            Day(licence?.Period?.End),
            [.. organization.GetExtensions(FacilityVocabulary.ServiceExtension).Select(e => (e.Value as CodeableConcept)?.Coding.FirstOrDefault()?.Code).OfType<string>()],
            organization.Active ?? true,
            Day(active?.Start),
            Day(active?.End),
            organization.Id ?? string.Empty,
            location?.Id);
    }

    private static Period? Period(DateOnly? start, DateOnly? end) =>
        start is null && end is null ? null : new Period { Start = Text(start), End = Text(end) };

    private static string? Text(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly? Day(string? text) =>
        text is { Length: >= 10 } && DateOnly.TryParseExact(text[..10], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;
}

/// <summary>What a registration or a correction sets, already checked by <see cref="RegisterFacility.RegisterFacilityRequest"/>.</summary>
internal sealed record FacilityFields(
    string Name,
    string Type,
    string? Level,
    double? Latitude,
    double? Longitude,
    string? LicenceNumber,
    DateOnly? LicenceIssued,
    DateOnly? LicenceExpires,
    IReadOnlyList<string> Services,
    DateOnly? ActiveFrom,
    DateOnly? ActiveTo,
    DateOnly Today);
