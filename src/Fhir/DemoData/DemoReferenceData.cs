using System.Globalization;

using Hl7.Fhir.Model;

namespace YTeSo.Fhir.DemoData;

internal sealed record DemoPractitioner(string Id, Facility Facility, PersonName Name, bool Female, int BirthYear, string Licence, string Title);

/// <summary>
/// Facilities and staff shared by every citizen bundle. They come from a fixed seed, not the options' seed,
/// so runs with different seeds PUT the same reference resources and stay idempotent.
/// </summary>
internal sealed class DemoReferenceData
{
    private const int ReferenceSeed = 66;

    private DemoReferenceData(IReadOnlyList<DemoPractitioner> practitioners)
    {
        Practitioners = practitioners;
    }

    public IReadOnlyList<DemoPractitioner> Practitioners { get; }

    public static DemoReferenceData Create()
    {
        var random = new Random(ReferenceSeed);
        var practitioners = new List<DemoPractitioner>();
        foreach (var facility in DemoProvince.Facilities)
        {
            string[] titles = facility.Kind switch
            {
                FacilityKind.ProvincialHospital => ["Bác sĩ nội khoa", "Bác sĩ nhi khoa", "Bác sĩ hồi sức cấp cứu"],
                FacilityKind.RegionalHealthCentre => ["Bác sĩ đa khoa", "Bác sĩ y học dự phòng"],
                _ => ["Bác sĩ đa khoa", "Y sĩ đa khoa"],
            };
            for (var i = 0; i < titles.Length; i++)
            {
                var female = random.Chance(0.55);
                var birthYear = 1965 + random.Next(32);
                var id = string.Create(CultureInfo.InvariantCulture, $"nvyt-{facility.Code}-{i + 1:D2}");

                // Mimics the common printed form "number/province abbreviation-CCHN" (not checked against the
                // Luật KCB 2023 licence format); the number is random.
                var licence = random.Digits(6) + "/ĐL-CCHN";
                practitioners.Add(new(id, facility, VietnameseNames.Next(random, female, birthYear), female, birthYear, licence, titles[i]));
            }
        }

        return new DemoReferenceData(practitioners);
    }

    public IReadOnlyList<DemoPractitioner> At(Facility facility) => [.. Practitioners.Where(p => p.Facility == facility)];

    /// <summary>A transaction of PUTs with fixed ids, so loading it twice changes nothing.</summary>
    public Bundle ToTransaction()
    {
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var facility in DemoProvince.Facilities)
        {
            Put(bundle, ToOrganization(facility));
            Put(bundle, ToLocation(facility));
        }

        foreach (var practitioner in Practitioners)
        {
            Put(bundle, ToPractitioner(practitioner));
        }

        return bundle;
    }

    private static void Put(Bundle bundle, Resource resource)
    {
        // No fullUrl: the server's base is not known here, and FHIR R4 bundle.html makes it optional for PUT.
        var url = $"{resource.TypeName}/{resource.Id}";
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = resource,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = url },
        });
    }

    private static Organization ToOrganization(Facility facility) => new()
    {
        Id = facility.OrganizationId,
        Meta = DemoFhir.SyntheticMeta(),
        Identifier = [new Identifier(DemoFhirSystems.FacilityCode, facility.Code)],
        Active = true,
        Type =
        [
            new CodeableConcept(DemoFhirSystems.OrganizationType, "prov", "Healthcare Provider", facility.Kind switch
            {
                FacilityKind.ProvincialHospital => "Bệnh viện đa khoa tuyến tỉnh",
                FacilityKind.RegionalHealthCentre => "Trung tâm y tế khu vực",
                _ => "Trạm y tế xã, phường",
            }),
            // The Registry's facility profile (docs/registry.md): type and level from YTeSo's code systems.
            facility.Kind switch
            {
                FacilityKind.ProvincialHospital => new CodeableConcept(DemoFhirSystems.FacilityType, "benh-vien", "Bệnh viện", "Bệnh viện"),
                FacilityKind.RegionalHealthCentre => new CodeableConcept(DemoFhirSystems.FacilityType, "trung-tam-y-te", "Trung tâm y tế", "Trung tâm y tế"),
                _ => new CodeableConcept(DemoFhirSystems.FacilityType, "tram-y-te", "Trạm y tế xã, phường", "Trạm y tế xã, phường"),
            },
            facility.Kind switch
            {
                FacilityKind.ProvincialHospital => new CodeableConcept(DemoFhirSystems.FacilityLevel, "tinh", "Tỉnh", "Tỉnh"),
                FacilityKind.RegionalHealthCentre => new CodeableConcept(DemoFhirSystems.FacilityLevel, "khu-vuc", "Khu vực", "Khu vực"),
                _ => new CodeableConcept(DemoFhirSystems.FacilityLevel, "xa", "Xã, phường", "Xã, phường"),
            },
        ],
        Name = facility.Name,
        Address = [DemoFhir.Address(facility.Commune, line: null)],
    };

    private static Location ToLocation(Facility facility)
    {
        // Sites sit near, not exactly on, the commune centroid; the offset is fixed per facility code.
        var offset = (int.Parse(facility.Code, CultureInfo.InvariantCulture) % 17) - 8;
        return new Location
        {
            Id = facility.LocationId,
            Meta = DemoFhir.SyntheticMeta(),
            Identifier = [new Identifier(DemoFhirSystems.FacilityCode, facility.Code)],
            Status = Location.LocationStatus.Active,
            Name = facility.Name,
            Mode = Location.LocationMode.Instance,
            PhysicalType = new CodeableConcept(DemoFhirSystems.LocationPhysicalType, "bu", "Building", "Tòa nhà"),
            Address = DemoFhir.Address(facility.Commune, line: null),
            Position = new Location.PositionComponent
            {
                Latitude = Math.Round((decimal)facility.Commune.Latitude + (offset * 0.001m), 5),
                Longitude = Math.Round((decimal)facility.Commune.Longitude - (offset * 0.001m), 5),
            },
            ManagingOrganization = new ResourceReference($"Organization/{facility.OrganizationId}", facility.Name),
        };
    }

    private static Practitioner ToPractitioner(DemoPractitioner practitioner) => new()
    {
        Id = practitioner.Id,
        Meta = DemoFhir.SyntheticMeta(),
        Identifier = [new Identifier(DemoFhirSystems.PractitionerLicence, practitioner.Licence)],
        Active = true,
        Name = [DemoFhir.HumanName(practitioner.Name)],
        Gender = practitioner.Female ? AdministrativeGender.Female : AdministrativeGender.Male,
        BirthDate = string.Create(CultureInfo.InvariantCulture, $"{practitioner.BirthYear}"),
        Qualification = [new Practitioner.QualificationComponent { Code = new CodeableConcept { Text = practitioner.Title } }],
    };
}
