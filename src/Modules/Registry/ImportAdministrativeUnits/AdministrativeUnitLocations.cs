using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.Registry.AdministrativeUnits;

namespace YTeSo.Registry.ImportAdministrativeUnits;

/// <summary>How many administrative-unit Locations an import wrote, and how many were already as the files say.</summary>
public sealed record AdministrativeUnitLocationReport(int Written, int Unchanged);

/// <summary>
/// Publishes the administrative units as FHIR Locations (docs/registry.md, "Administrative units as Location"): one per
/// unit and validity (mode kind, physical type jdn, identifier <see cref="UnitSystem"/> with the validity as its period
/// and as the <see cref="ValidityExtension"/>, partOf its parent, position when the list has one, alias without the
/// unit type so <c>Location?name=dak lak</c> finds "Tỉnh Đắk Lắk"). Fixed ids make the writes upserts; a unit whose
/// Location already says the same is not written again, so a re-import with the same files writes no new versions.
/// </summary>
internal sealed class AdministrativeUnitLocations(IFhirRepository fhir)
{
    public const string UnitSystem = "https://yteso.vn/fhir/sid/don-vi-hanh-chinh";

    /// <summary>valuePeriod: the days the unit is in force (legacy units end on 30/06/2025, current ones start on 01/07/2025).</summary>
    public const string ValidityExtension = "https://yteso.vn/fhir/StructureDefinition/administrative-unit-validity";

    public const string LevelSystem = "https://yteso.vn/fhir/CodeSystem/administrative-level";

    /// <summary>Entries per transaction: large enough to amortise the commit, small enough to keep one transaction short.</summary>
    private const int BatchSize = 1000;

    private static readonly FhirAccess Access = FhirAccess.System("administrative-unit import");

    public static string Id(AdministrativeUnitRow unit) =>
        unit.ValidTo is null ? $"dvhc-{unit.Level}-{unit.Code}" : $"dvhc-{unit.Level}-{unit.Code}-legacy";

    public async Task<AdministrativeUnitLocationReport> PublishAsync(IReadOnlyList<AdministrativeUnitRow> units, CancellationToken cancellationToken)
    {
        var ids = units.Select(Id).ToHashSet(StringComparer.Ordinal);
        var stored = await StoredAsync(cancellationToken);
        var changed = new List<Location>();
        // Parents first, so every batch's partOf points at a unit already committed or in the same batch.
        foreach (var unit in units.OrderBy(u => u.Level switch { "province" => 0, "district" => 1, _ => 2 }).ThenBy(u => u.Code, StringComparer.Ordinal))
        {
            var location = ToLocation(unit, ids);
            if (stored.TryGetValue(location.Id!, out var current) && Same(current, location))
            {
                continue;
            }

            changed.Add(location);
        }

        foreach (var batch in changed.Chunk(BatchSize))
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            bundle.Entry.AddRange(batch.Select(l => new Bundle.EntryComponent
            {
                Resource = l,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Location/{l.Id}" },
            }));
            await fhir.ProcessBundleAsync(Access, bundle, cancellationToken);
        }

        return new AdministrativeUnitLocationReport(changed.Count, units.Count - changed.Count);
    }

    private static Location ToLocation(AdministrativeUnitRow unit, HashSet<string> ids)
    {
        var validity = new Period { Start = Day(unit.ValidFrom), End = Day(unit.ValidTo) };
        // Island districts have no type in the lists; FHIR forbids empty strings (datatypes.html#string), so leave it out.
        var typeText = unit.Type.Length > 0 ? unit.Type : null;
        var location = new Location
        {
            Id = Id(unit),
            Identifier = [new Identifier(UnitSystem, unit.Code) { Period = validity }],
            Status = unit.ValidTo is null ? Location.LocationStatus.Active : Location.LocationStatus.Inactive,
            Name = unit.Name,
            Mode = Location.LocationMode.Kind,
            Type = [new CodeableConcept(LevelSystem, unit.Level, unit.Level, typeText)],
            PhysicalType = new CodeableConcept("http://terminology.hl7.org/CodeSystem/location-physical-type", "jdn", "Jurisdiction", typeText),
        };
        if (unit.Type.Length > 0 && unit.Name.StartsWith(unit.Type + " ", StringComparison.Ordinal))
        {
            location.Alias = [unit.Name[(unit.Type.Length + 1)..]];
        }

        location.Extension.Add(new Extension(ValidityExtension, (Period)validity.DeepCopy()));
        if (unit.Latitude is { } latitude && unit.Longitude is { } longitude)
        {
            location.Position = new Location.PositionComponent { Latitude = (decimal)latitude, Longitude = (decimal)longitude };
        }

        if (unit.ParentCode is { } parentCode)
        {
            var parentLevel = unit.Level == "commune" && unit.ValidTo is not null ? "district" : "province";
            var parent = unit.ValidTo is null ? $"dvhc-{parentLevel}-{parentCode}" : $"dvhc-{parentLevel}-{parentCode}-legacy";
            if (ids.Contains(parent))
            {
                location.PartOf = new ResourceReference($"Location/{parent}");
            }
        }

        return location;
    }

    private async Task<Dictionary<string, Location>> StoredAsync(CancellationToken cancellationToken)
    {
        var stored = new Dictionary<string, Location>(StringComparer.Ordinal);
        IReadOnlyList<KeyValuePair<string, string>>? next = [new("identifier", $"{UnitSystem}|"), new("_count", "1000")];
        while (next is not null)
        {
            var page = await fhir.SearchAsync(Access, "Location", next, cancellationToken);
            foreach (var location in page.Resources.OfType<Location>())
            {
                stored[location.Id!] = location;
            }

            next = page.NextPageParameters;
        }

        return stored;
    }

    /// <summary>Equal apart from meta (version, last updated), which the store stamps.</summary>
    private static bool Same(Location stored, Location wanted)
    {
        var copy = (Location)stored.DeepCopy();
        copy.Meta = null;
        return copy.IsExactly(wanted);
    }

    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
