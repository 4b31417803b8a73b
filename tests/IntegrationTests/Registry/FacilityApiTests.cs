using System.Net;
using System.Net.Http.Json;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// The facility registry's UI API over HTTP (issue 5): the Department administrator registers and corrects facilities
/// (Organization + Location in one transaction), staff search them typed without diacritics, and every refusal says
/// which field is wrong and leaves nothing written. Synthetic facilities and units.
/// </summary>
public sealed class FacilityApiTests(FacilityApp app) : IClassFixture<FacilityApp>
{
    [Fact]
    public async Task The_department_registers_a_facility_as_an_organization_and_a_location_and_staff_find_it_without_diacritics()
    {
        using var created = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66301", "Phòng khám Đa khoa Hòa Bình Đắk Lắk"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("/api/registry/facilities/66301", created.Headers.Location?.OriginalString);
        var body = await FacilityApp.JsonAsync(created);
        Assert.Equal("cs-66301", body.GetProperty("organizationId").GetString());
        Assert.Equal("dd-66301", body.GetProperty("locationId").GetString());
        Assert.Equal("12 Lê Duẩn, Phường Buôn Ma Thuột, Tỉnh Đắk Lắk", body.GetProperty("addressText").GetString());

        using var fhir = app.CreateFhirClient();
        var organization = await fhir.SendAsync<Organization>(HttpMethod.Get, "Organization/cs-66301");
        Assert.Equal(HttpStatusCode.OK, organization.Status);
        Assert.Contains(organization.Resource.Type.SelectMany(t => t.Coding), c => c.System == "https://yteso.vn/fhir/CodeSystem/facility-type" && c.Code == "phong-kham");
        Assert.Equal("123/ĐL-GPHĐ", organization.Resource.Identifier.Single(i => i.System == "https://yteso.vn/fhir/sid/giay-phep-hoat-dong").Value);
        var location = await fhir.SendAsync<Location>(HttpMethod.Get, "Location/dd-66301");
        Assert.Equal("Organization/cs-66301", location.Resource.ManagingOrganization.Reference);
        Assert.Equal(12.71m, location.Resource.Position.Latitude);

        using var found = await app.Doctor.GetAsync("api/registry/facilities?q=hoa binh dak lak");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var facility = Assert.Single((await FacilityApp.JsonAsync(found)).EnumerateArray());
        Assert.Equal("66301", facility.GetProperty("code").GetString());
        Assert.Equal(108.03, facility.GetProperty("longitude").GetDouble());
        using var byType = await app.Doctor.GetAsync("api/registry/facilities?type=nha-thuoc&q=hoa binh");
        Assert.Empty((await FacilityApp.JsonAsync(byType)).EnumerateArray());
        using var byCode = await app.Doctor.GetAsync("api/registry/facilities/66301");
        Assert.Equal("Phòng khám Đa khoa Hòa Bình Đắk Lắk", (await FacilityApp.JsonAsync(byCode)).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_correction_updates_both_resources_and_the_code_stays()
    {
        using (var created = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66302", "Nhà thuốc Minh Châu")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var changed = FacilityApp.Facility("66302", "Nhà thuốc Minh Châu 2", commune: "24305", latitude: 12.89, longitude: 108.25);
        changed["type"] = "nha-thuoc";
        changed["activeTo"] = "2025-12-31";
        using var updated = await app.Department.PutAsJsonAsync("api/registry/facilities/66302", changed);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var body = await FacilityApp.JsonAsync(updated);
        Assert.Equal("24305", body.GetProperty("communeCode").GetString());
        Assert.False(body.GetProperty("active").GetBoolean());
        using var fhir = app.CreateFhirClient();
        var location = await fhir.SendAsync<Location>(HttpMethod.Get, "Location/dd-66302");
        Assert.Equal("2", location.Resource.Meta.VersionId);
        Assert.Equal(Location.LocationStatus.Inactive, location.Resource.Status);
        Assert.Equal("Nhà thuốc Minh Châu 2", location.Resource.Name);
        using var search = await app.Doctor.GetAsync("api/registry/facilities?type=nha-thuoc&commune=24305");
        Assert.Contains((await FacilityApp.JsonAsync(search)).EnumerateArray(), f => f.GetProperty("code").GetString() == "66302");

        using var otherCode = await app.Department.PutAsJsonAsync("api/registry/facilities/66302", FacilityApp.Facility("66399", "Nhà thuốc khác"));
        Assert.Equal(HttpStatusCode.BadRequest, otherCode.StatusCode);
    }

    [Theory]
    [InlineData("6630", "code")]
    [InlineData("663011", "code")]
    [InlineData("6630A", "code")]
    public async Task A_malformed_facility_code_is_refused_with_400_naming_the_field(string code, string field)
    {
        using var response = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility(code, "Phòng khám mã sai"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FacilityApp.JsonAsync(response)).GetProperty("errors");
        Assert.Contains("5 digits", errors.GetProperty(field)[0].GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync(code);
    }

    [Fact]
    public async Task A_code_whose_first_two_digits_are_no_province_is_refused_with_422_and_an_old_province_code_is_accepted()
    {
        using var unknown = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("99001", "Phòng khám tỉnh không có"));
        using var legacy = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("54001", "Phòng khám mã tỉnh cũ Phú Yên"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        Assert.Contains("'99', which is not a province code", (await FacilityApp.JsonAsync(unknown)).GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync("99001");
        Assert.Equal(HttpStatusCode.Created, legacy.StatusCode);
    }

    [Fact]
    public async Task A_code_in_use_answers_409_and_changes_nothing()
    {
        using (var first = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66303", "Phòng khám Thiện Tâm")))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        using var second = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66303", "Phòng khám chiếm mã"));

        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("already used", (await FacilityApp.JsonAsync(second)).GetProperty("errors").GetProperty("code")[0].GetString(), StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var organization = await fhir.SendAsync<Organization>(HttpMethod.Get, "Organization/cs-66303");
        Assert.Equal("Phòng khám Thiện Tâm", organization.Resource.Name);
        Assert.Equal("1", organization.Resource.Meta.VersionId);
    }

    [Fact]
    public async Task A_commune_not_in_force_is_refused_with_422_and_neither_resource_is_written()
    {
        using var legacyCommune = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66304", "Phòng khám xã cũ", commune: "24118"));
        using var unknownCommune = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66305", "Phòng khám xã lạ", commune: "99999"));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, legacyCommune.StatusCode);
        Assert.Contains("'24118' is not a commune in force", (await FacilityApp.JsonAsync(legacyCommune)).GetProperty("errors").GetProperty("communeCode")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknownCommune.StatusCode);
        await AssertNothingWrittenAsync("66304");
        await AssertNothingWrittenAsync("66305");
    }

    [Fact]
    public async Task A_position_outside_Vietnam_is_refused_with_422_and_the_organization_is_not_written_either()
    {
        // Latitude and longitude swapped: a common typing error.
        using var response = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66306", "Phòng khám tọa độ đảo", latitude: 108.03, longitude: 12.71));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("outside Vietnam", (await FacilityApp.JsonAsync(response)).GetProperty("errors").GetProperty("latitude")[0].GetString(), StringComparison.Ordinal);
        await AssertNothingWrittenAsync("66306");
    }

    [Fact]
    public async Task Missing_fields_are_each_named_in_a_400()
    {
        using var response = await FacilityApp.PostAsync(app.Department, new { code = "66307", type = "benh-vien-tu", communeCode = "2413", latitude = 12.7 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await FacilityApp.JsonAsync(response)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("name", out _));
        Assert.True(errors.TryGetProperty("type", out _));
        Assert.True(errors.TryGetProperty("communeCode", out _));
        Assert.True(errors.TryGetProperty("longitude", out _));
        await AssertNothingWrittenAsync("66307");
    }

    [Fact]
    public async Task Staff_outside_the_department_may_search_but_not_register_and_anonymous_callers_get_nothing()
    {
        using var doctorWrites = await FacilityApp.PostAsync(app.Doctor, FacilityApp.Facility("66308", "Phòng khám bác sĩ tự đăng ký"));
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.ClientOptions.BaseAddress };
        using var anonymousReads = await anonymous.GetAsync("api/registry/facilities");
        using var doctorReads = await app.Doctor.GetAsync("api/registry/facilities");

        Assert.Equal(HttpStatusCode.Forbidden, doctorWrites.StatusCode);
        Assert.Equal(HttpStatusCode.OK, doctorReads.StatusCode);
        Assert.True(
            anonymousReads.StatusCode == HttpStatusCode.Unauthorized || anonymousReads.Headers.Location?.ToString().Contains("/dang-nhap", StringComparison.Ordinal) == true,
            $"anonymous search answered {(int)anonymousReads.StatusCode}");
        await AssertNothingWrittenAsync("66308");
    }

    [Fact]
    public async Task The_list_and_map_pages_render_for_a_signed_in_doctor_and_the_boundary_comes_from_the_configured_folder()
    {
        using (var created = await FacilityApp.PostAsync(app.Department, FacilityApp.Facility("66309", "Phòng khám Ánh Dương")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var browser = app.CreateBrowserClient();
        using (var signedIn = await FacilityApp.PostSignInAsync(browser, "bs-co-so", FacilityApp.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var list = await browser.GetStringAsync("co-so?q=anh duong");
        var map = await browser.GetStringAsync("co-so/ban-do");
        using var boundary = await browser.GetAsync("co-so/ban-do/ranh-gioi");

        Assert.Contains("<tr data-code=\"66309\">", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-code=\"66301\"", list, StringComparison.Ordinal);
        Assert.Contains("Phòng khám Ánh Dương", System.Net.WebUtility.HtmlDecode(map), StringComparison.Ordinal);
        Assert.Contains("_content/YTeSo.Registry/leaflet/leaflet.js", map, StringComparison.Ordinal);
        if (SharedData.Directory is { } shared && Directory.EnumerateFiles(Path.Combine(shared, "geo"), "66_*.geojson").Any())
        {
            Assert.Equal(HttpStatusCode.OK, boundary.StatusCode);
            Assert.Contains("FeatureCollection", await boundary.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(HttpStatusCode.NotFound, boundary.StatusCode);
        }
    }

    private async Task AssertNothingWrittenAsync(string code)
    {
        using var fhir = app.CreateFhirClient();
        var organizations = await fhir.SearchAsync($"Organization?identifier=https://yteso.vn/fhir/sid/ma-co-so-kcb|{Uri.EscapeDataString(code)}");
        var locations = await fhir.SearchAsync($"Location?identifier=https://yteso.vn/fhir/sid/ma-co-so-kcb|{Uri.EscapeDataString(code)}");
        Assert.Empty(organizations.MatchIds());
        Assert.Empty(locations.MatchIds());
    }
}
