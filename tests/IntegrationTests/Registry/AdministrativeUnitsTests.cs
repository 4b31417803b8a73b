using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Contracts;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// Issue 5's administrative units from ../shared/data/admin-units, loaded with <c>yteso import admin-units</c> into the
/// host's database and read back through the contract and the API: the 2025 counts, every legacy commune resolving to
/// today's, an old address converted forward and back, codes reused across the reform, an idempotent re-import.
/// </summary>
public sealed class AdministrativeUnitsTests(AdministrativeUnitsTests.ImportedApp app) : IClassFixture<AdministrativeUnitsTests.ImportedApp>
{
    private static readonly DateOnly BeforeReform = new(2024, 6, 1);
    private static readonly DateOnly AfterReform = new(2026, 1, 15);
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Folder => Path.GetDirectoryName(SharedData.RequireFile("admin-units/communes-2025-with-location.csv"))!;

    /// <summary>The host with the shared files imported once through the command (importing takes seconds).</summary>
    public sealed class ImportedApp : YTeSoApp
    {
        public string? ImportOutput { get; private set; }

        public override async ValueTask InitializeAsync()
        {
            await base.InitializeAsync();
            if (SharedData.Directory is not null && File.Exists(Path.Combine(SharedData.Directory, "admin-units", "communes-2025-with-location.csv")))
            {
                var (exitCode, output) = await YTeSoCli.RunAsync(ImportAdminUnitsCommand.RunAsync, [Path.Combine(SharedData.Directory, "admin-units"), .. CliDatabaseArguments]);
                ImportOutput = exitCode == 0 ? output : throw new InvalidOperationException(output);
            }
        }
    }

    private Task<IAdministrativeUnits> ImportedAsync()
    {
        _ = Folder; // skips with a message when the shared files are absent
        app.Services.GetRequiredService<AdministrativeUnitDirectory>().Invalidate(); // the CLI wrote behind the host's copy
        return System.Threading.Tasks.Task.FromResult(app.Services.GetRequiredService<IAdministrativeUnits>());
    }

    [Fact]
    public async Task The_import_yields_34_provinces_and_3321_communes_and_a_second_run_changes_nothing()
    {
        _ = Folder;
        var firstOutput = app.ImportOutput!;
        var (second, secondOutput) = await YTeSoCli.RunAsync(ImportAdminUnitsCommand.RunAsync, [Folder, .. app.CliDatabaseArguments]);

        Assert.DoesNotContain("Added 0,", firstOutput, StringComparison.Ordinal);
        Assert.Contains("34 provinces, 3321 communes", firstOutput, StringComparison.Ordinal);
        Assert.Contains("Before the reform: 63 provinces", firstOutput, StringComparison.Ordinal);
        Assert.Equal(0, second);
        Assert.Contains("Added 0, changed 0", secondOutput, StringComparison.Ordinal);
        app.Services.GetRequiredService<AdministrativeUnitDirectory>().Invalidate();
        var units = app.Services.GetRequiredService<IAdministrativeUnits>();
        Assert.Equal(34, (await units.SearchAsync("tinh", AfterReform, AdministrativeLevel.Province, 100, Ct)).Count + (await units.SearchAsync("thanh pho", AfterReform, AdministrativeLevel.Province, 100, Ct)).Count);
    }

    [Fact]
    public async Task Every_legacy_commune_in_the_mapping_resolves_to_communes_in_force_today()
    {
        var units = await ImportedAsync();
        var legacyCodes = File.ReadLines(Path.Combine(Folder, "legacy-to-2025-communes.csv")).Skip(1)
            .Select(line => line.Split(',')[4]).Where(code => code.Length > 0).Select(code => ((int)double.Parse(code, System.Globalization.CultureInfo.InvariantCulture)).ToString("D5", System.Globalization.CultureInfo.InvariantCulture))
            .Distinct().ToList();

        Assert.True(legacyCodes.Count > 10_000, $"{legacyCodes.Count} legacy codes");
        foreach (var code in legacyCodes)
        {
            var successors = await units.SuccessorsAsync(code, Ct);
            Assert.True(successors.Count > 0, $"legacy commune {code} has no successor");
            Assert.All(successors, s => Assert.True(s.Current.InForceOn(AfterReform) && s.Legacy.InForceOn(BeforeReform), code));
        }

        // An island district with no communes became a special zone whole.
        var island = Assert.Single(await units.SuccessorsAsync("318", Ct));
        Assert.Equal(("Huyện Bạch Long Vĩ", AdministrativeLevel.District), (island.Legacy.Name, island.Legacy.Level));
        Assert.Equal(("11948", "Đặc khu"), (island.Current.Code, island.Current.Type));
    }

    [Fact]
    public async Task A_pre_reform_address_converts_to_todays_commune_and_back_to_its_legacy_name_for_a_dated_report()
    {
        var units = await ImportedAsync();

        // Phường Phúc Xá, Quận Ba Đình, Hà Nội (legacy 00001) became Phường Hồng Hà (00097) on 1 July 2025.
        var legacy = await units.FindAsync(AdministrativeLevel.Commune, "00001", BeforeReform, Ct);
        Assert.Equal("Phường Phúc Xá", legacy!.Name);
        Assert.Equal("Quận Ba Đình", (await units.FindAsync(AdministrativeLevel.District, legacy.ParentCode!, BeforeReform, Ct))!.Name);
        var today = Assert.Single(await units.SuccessorsAsync("00001", Ct));
        Assert.Equal(("00097", "Phường Hồng Hà"), (today.Current.Code, today.Current.Name));
        Assert.Null(await units.FindAsync(AdministrativeLevel.Commune, "00001", AfterReform, Ct));

        // Back: a 2024 report counted under today's Phường Hồng Hà names the communes it was made of.
        var before = await units.PredecessorsAsync("00097", Ct);
        Assert.Contains(before, p => p.Legacy.Code == "00001" && p.Legacy.Name == "Phường Phúc Xá");
        Assert.All(before, p => Assert.Equal(AdministrativeReform.LastThreeTierDay, p.Legacy.ValidTo));

        // A split commune points at every commune it went to, flagged.
        var split = (await Task.WhenAll((await units.SearchAsync("xa", BeforeReform, AdministrativeLevel.Commune, 20_000, Ct))
            .Select(async u => await units.SuccessorsAsync(u.Code, Ct)))).First(s => s.Count > 1);
        Assert.All(split, s => Assert.True(s.Divided));
    }

    [Fact]
    public async Task A_code_reused_across_the_reform_means_the_unit_in_force_on_the_day_asked()
    {
        var units = await ImportedAsync();

        Assert.Equal("Phường Trúc Bạch", (await units.FindAsync(AdministrativeLevel.Commune, "00004", BeforeReform, Ct))!.Name);
        Assert.Equal("Phường Ba Đình", (await units.FindAsync(AdministrativeLevel.Commune, "00004", AfterReform, Ct))!.Name);
        Assert.Equal("Tỉnh Bắc Giang", (await units.FindAsync(AdministrativeLevel.Province, "24", BeforeReform, Ct))!.Name);
        Assert.Equal("Tỉnh Bắc Ninh", (await units.FindAsync(AdministrativeLevel.Province, "24", AfterReform, Ct))!.Name);
    }

    [Fact]
    public async Task The_api_finds_units_by_name_typed_without_diacritics_and_explains_a_commune()
    {
        await ImportedAsync();
        using var http = app.CreateClient();

        var provinces = JsonDocument.Parse(await http.GetStringAsync("api/registry/admin-units?q=dak lak&level=province", Ct)).RootElement;
        var found = Assert.Single(provinces.EnumerateArray());
        Assert.Equal(("66", "Tỉnh Đắk Lắk"), (found.GetProperty("code").GetString(), found.GetProperty("name").GetString()));
        var oldHanoi = JsonDocument.Parse(await http.GetStringAsync("api/registry/admin-units?q=phuc xa&on=01/06/2024", Ct)).RootElement;
        Assert.Contains(oldHanoi.EnumerateArray(), u => u.GetProperty("code").GetString() == "00001");

        var detail = JsonDocument.Parse(await http.GetStringAsync("api/registry/admin-units/commune/00001?on=2024-06-01", Ct)).RootElement;
        Assert.Equal("00097", detail.GetProperty("becameCommunes")[0].GetProperty("current").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/registry/admin-units/commune/99999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/registry/admin-units?q=x&on=31/02/2024", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("api/registry/admin-units/quan/001", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_bad_file_is_refused_with_its_line_and_nothing_is_written()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yteso-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "communes-2025-with-location.csv"), """
            province,ward,provinceShort,wardShort,wardType,provinceCode,provinceLat,provinceLon,wardCode,wardLat,wardLon,wardAreaKm2
            Tỉnh Thử Nghiệm,Xã Mới,Thử Nghiệm,Mới,Xã,99,1,1,99001,1,1,1
            Tỉnh Thử Nghiệm,Xã Hỏng,Thử Nghiệm,Hỏng,Xã,99,1,1,ABCDE,1,1,1
            """, Ct);

        var (exitCode, output) = await YTeSoCli.RunAsync(ImportAdminUnitsCommand.RunAsync, [folder, .. app.CliDatabaseArguments]);

        Assert.Equal(1, exitCode);
        Assert.Contains("line 3", output, StringComparison.Ordinal);
        Assert.Contains("ABCDE", output, StringComparison.Ordinal);
        app.Services.GetRequiredService<AdministrativeUnitDirectory>().Invalidate();
        Assert.Null(await app.Services.GetRequiredService<IAdministrativeUnits>().FindAsync(AdministrativeLevel.Commune, "99001", AfterReform, Ct));
    }
}
