using System.Net;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// The facility profile through the FHIR API (issue 5): a facility's Organization and Location are created, read,
/// searched and updated like any resource, the Registry's write rule refuses what breaks the profile with 422 and a
/// message naming the element, and Organizations that do not claim to be facilities pass unchanged. Synthetic data.
/// </summary>
public sealed class FacilityFhirTests(FacilityApp app) : IClassFixture<FacilityApp>
{
    private const string FacilityCode = "https://yteso.vn/fhir/sid/ma-co-so-kcb";

    [Fact]
    public async Task A_facility_is_created_read_searched_and_updated_through_FHIR()
    {
        using var fhir = app.CreateFhirClient();
        var organization = await fhir.CreateAsync(Organization("66401", "Trung tâm Y tế khu vực Cư Kuin"));
        var location = await fhir.CreateAsync(Location("66401", organization.Id, 12.6, 108.1));

        var read = await fhir.SendAsync<Organization>(HttpMethod.Get, $"Organization/{organization.Id}");
        var byCode = await fhir.SearchAsync($"Organization?identifier={FacilityCode}|66401");
        var byType = await fhir.SearchAsync("Organization?type=https://yteso.vn/fhir/CodeSystem/facility-type|trung-tam-y-te&name=trung tam y te khu vuc cu kuin");
        var site = await fhir.SearchAsync($"Location?organization=Organization/{organization.Id}");
        organization.Name = "Trung tâm Y tế khu vực Cư Kuin (mới)";
        var updated = await fhir.SendAsync<Organization>(HttpMethod.Put, $"Organization/{organization.Id}", organization);

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal([organization.Id], byCode.MatchIds());
        Assert.Equal([organization.Id], byType.MatchIds());
        Assert.Equal([location.Id], site.MatchIds());
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("2", updated.Resource.Meta.VersionId);
    }

    [Fact]
    public async Task Each_broken_rule_is_refused_with_422_naming_the_element_and_the_value()
    {
        using var fhir = app.CreateFhirClient();
        var facility = await fhir.CreateAsync(Organization("66402", "Phòng khám Ea Kar"));

        var badCode = await PostAsync(fhir, Organization("664O2", "Phòng khám chữ O thay số 0"));
        var unknownProvince = await PostAsync(fhir, Organization("98002", "Phòng khám tỉnh lạ"));
        var reused = await PostAsync(fhir, Organization("66402", "Phòng khám trùng mã"));
        var unknownCommune = await PostAsync(fhir, Organization("66403", "Phòng khám xã lạ", commune: "24999"));
        var outside = await PostAsync(fhir, Location("66402", facility.Id, 1.35, 103.8)); // Singapore
        var notAFacility = await fhir.CreateAsync(new Organization { Name = "Bảo hiểm xã hội tỉnh" });
        var managedByPayer = await PostAsync(fhir, Location("66402", notAFacility.Id, 12.8, 108.4));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, badCode.Status);
        Assert.Contains("Organization.identifier[0].value: the facility code (mã cơ sở KCB) must be exactly 5 digits, not '664O2'", badCode.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownProvince.Status);
        Assert.Contains("'98', which is not a province code", unknownProvince.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.Status);
        Assert.Contains($"already used by the active Organization/{facility.Id}", reused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownCommune.Status);
        Assert.Contains("Organization.address[0].extension[commune-code]: '24999' is not a commune in force", unknownCommune.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, outside.Status);
        Assert.Contains("Location.position: latitude 1.35, longitude 103.8 is outside Vietnam", outside.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, managedByPayer.Status);
        Assert.Contains($"'Organization/{notAFacility.Id}' is not a facility", managedByPayer.Message, StringComparison.Ordinal);
        Assert.Single((await fhir.SearchAsync($"Organization?identifier={FacilityCode}|66402")).MatchIds());
        Assert.Empty((await fhir.SearchAsync($"Location?identifier={FacilityCode}|66402")).MatchIds());
    }

    [Fact]
    public async Task A_closed_facility_frees_its_code_for_a_new_organization()
    {
        using var fhir = app.CreateFhirClient();
        var closed = await fhir.CreateAsync(Organization("66404", "Phòng khám đã đóng cửa"));
        closed.Active = false;
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Organization>(HttpMethod.Put, $"Organization/{closed.Id}", closed)).Status);

        var successor = await PostAsync(fhir, Organization("66404", "Phòng khám kế tục"));

        Assert.Equal(HttpStatusCode.Created, successor.Status);
    }

    [Fact]
    public async Task Organizations_and_locations_that_do_not_claim_to_be_facilities_pass_unchanged()
    {
        using var fhir = app.CreateFhirClient();
        var payer = new Organization
        {
            Name = "Synthea General Hospital",
            Identifier = [new Identifier("https://github.com/synthetichealth/synthea", "abc-123")],
            Address = [new Address { City = "Boston", Country = "US" }],
        };
        var ward = new Location { Name = "Khoa Nội", Position = new Location.PositionComponent { Latitude = 42.36m, Longitude = -71.06m } };

        var created = await PostAsync(fhir, payer);
        var wardCreated = await PostAsync(fhir, ward);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.Created, wardCreated.Status);
    }

    private static async Task<(HttpStatusCode Status, string Message)> PostAsync(HttpClient fhir, Resource resource)
    {
        using var response = await fhir.PostAsync(resource.TypeName, FhirHttp.Json(resource));
        var message = response.StatusCode == HttpStatusCode.Created ? string.Empty : string.Join(" | ", (await response.ReadAsync<OperationOutcome>()).Issue.Select(i => i.Diagnostics));
        return (response.StatusCode, message);
    }

    private static Organization Organization(string code, string name, string commune = "24373") => new()
    {
        Identifier = [new Identifier(FacilityCode, code)],
        Active = true,
        Name = name,
        Type = [new CodeableConcept("https://yteso.vn/fhir/CodeSystem/facility-type", "trung-tam-y-te", "Trung tâm y tế")],
        Address = [CommuneAddress(commune)],
    };

    private static Location Location(string code, string organizationId, double latitude, double longitude) => new()
    {
        Identifier = [new Identifier(FacilityCode, code)],
        Name = "Cơ sở " + code,
        Status = Hl7.Fhir.Model.Location.LocationStatus.Active,
        Address = CommuneAddress("24373"),
        Position = new Location.PositionComponent { Latitude = (decimal)latitude, Longitude = (decimal)longitude },
        ManagingOrganization = new ResourceReference($"Organization/{organizationId}"),
    };

    private static Address CommuneAddress(string commune)
    {
        var address = new Address { City = "Xã Ea Kar", State = "Tỉnh Đắk Lắk", Country = "VN" };
        address.Extension.Add(new Extension("https://yteso.vn/fhir/StructureDefinition/commune-code", new Code(commune)));
        return address;
    }
}
