using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Registry;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// Administrative units as FHIR Location (issue 5): the import publishes every unit, current and legacy, with its
/// validity, its parent and its position; a search typed without diacritics finds it; a re-import writes nothing.
/// Synthetic units here; the real lists in <see cref="FacilitySharedAdministrativeUnitTests"/>.
/// </summary>
public sealed class FacilityAdministrativeUnitLocationTests(FacilityApp app) : IClassFixture<FacilityApp>
{
    private const string UnitSystem = "https://yteso.vn/fhir/sid/don-vi-hanh-chinh";

    [Fact]
    public async Task A_province_is_found_by_its_name_typed_without_diacritics()
    {
        using var fhir = app.CreateFhirClient();

        var current = await fhir.SearchAsync("Location?name=dak lak&status=active");
        var all = await fhir.SearchAsync("Location?name=dak lak");

        Assert.Equal(["dvhc-province-66"], current.MatchIds());
        Assert.Equal("Tỉnh Đắk Lắk", ((Location)current.Entry[0].Resource).Name);
        Assert.Equal(["dvhc-province-66", "dvhc-province-66-legacy"], all.MatchIds().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_commune_is_a_jurisdiction_part_of_its_province_with_its_position_and_validity()
    {
        using var fhir = app.CreateFhirClient();

        var commune = (await fhir.SendAsync<Location>(HttpMethod.Get, "Location/dvhc-commune-24133")).Resource;
        var legacy = (await fhir.SendAsync<Location>(HttpMethod.Get, "Location/dvhc-commune-24118-legacy")).Resource;
        var byCode = await fhir.SearchAsync($"Location?identifier={UnitSystem}|24133");

        Assert.Equal(Location.LocationMode.Kind, commune.Mode);
        Assert.Equal("jdn", commune.PhysicalType.Coding[0].Code);
        Assert.Equal("Location/dvhc-province-66", commune.PartOf.Reference);
        Assert.Equal(12.7089m, commune.Position.Latitude);
        Assert.Equal("2025-07-01", ((Period)commune.GetExtension("https://yteso.vn/fhir/StructureDefinition/administrative-unit-validity").Value).Start);
        Assert.Equal(Location.LocationStatus.Inactive, legacy.Status);
        Assert.Equal("Location/dvhc-district-643-legacy", legacy.PartOf.Reference);
        Assert.Equal("2025-06-30", legacy.Identifier[0].Period.End);
        Assert.Equal(["dvhc-commune-24133"], byCode.MatchIds());
    }

    [Fact]
    public async Task A_second_import_of_the_same_files_writes_no_new_version()
    {
        using var fhir = app.CreateFhirClient();

        var again = await app.ImportAgainAsync();
        var province = (await fhir.SendAsync<Location>(HttpMethod.Get, "Location/dvhc-province-66")).Resource;

        Assert.True(app.Report!.Locations.Written >= 10, $"{app.Report.Locations.Written} written by the first import");
        Assert.Equal(0, again.Locations.Written);
        Assert.Equal(app.Report.Locations.Written, again.Locations.Unchanged);
        Assert.Equal("1", province.Meta.VersionId);
    }
}

/// <summary>The real lists from ../shared/data/admin-units published as Location; skipped with a message when absent.</summary>
public sealed class FacilitySharedAdministrativeUnitTests(FacilitySharedAdministrativeUnitTests.SharedUnitsApp app) : IClassFixture<FacilitySharedAdministrativeUnitTests.SharedUnitsApp>
{
    /// <summary>The host with the shared files imported once (about 14,000 units).</summary>
    public sealed class SharedUnitsApp : YTeSoApp
    {
        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            var folder = SharedData.Directory is null ? null : Path.Combine(SharedData.Directory, "admin-units");
            if (folder is not null && File.Exists(Path.Combine(folder, "communes-2025-with-location.csv")))
            {
                await Services.ImportAdministrativeUnitsAsync(folder);
            }
        }
    }

    [Fact]
    public async Task Tinh_Dak_Lak_is_found_typed_without_diacritics_among_the_34_provinces_and_3321_communes()
    {
        _ = SharedData.RequireFile("admin-units/communes-2025-with-location.csv");
        using var fhir = app.CreateFhirClient();

        var dakLak = await fhir.SearchAsync("Location?name=dak lak&status=active&type=https://yteso.vn/fhir/CodeSystem/administrative-level|province");
        var provinces = await fhir.SearchAsync("Location?type=https://yteso.vn/fhir/CodeSystem/administrative-level|province&status=active&_summary=count");
        var communes = await fhir.SearchAsync("Location?type=https://yteso.vn/fhir/CodeSystem/administrative-level|commune&status=active&_summary=count");

        Assert.Equal("Tỉnh Đắk Lắk", ((Location)Assert.Single(dakLak.Entry).Resource).Name);
        Assert.Equal(34, provinces.Total);
        Assert.Equal(3321, communes.Total);
    }
}
