using System.Net.Http.Json;
using System.Text.Json;
using YTeSo.Access.Contracts;
using YTeSo.IntegrationTests.Access;
using YTeSo.Registry;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// The host with a few synthetic administrative units imported (so the facility rule checks communes and province
/// digits), and API clients acting for a Department administrator and for a doctor (SMART tokens from the real
/// authorization flow: API paths take bearer tokens only).
/// </summary>
public sealed class FacilityApp : AccessApp
{
    public const string Password = "Co-so-y-te-2026";

    private readonly string _units = Path.Combine(Path.GetTempPath(), "yteso-tests", "units-" + Guid.NewGuid().ToString("N"));

    public HttpClient Department { get; private set; } = default!;

    public HttpClient Doctor { get; private set; } = default!;

    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string>(base.Settings)
    {
        ["Registry:ProvinceCode"] = "66",
    };

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        Directory.CreateDirectory(_units);
        // Synthetic lists in the published layouts: two provinces in force, two legacy provinces with a district each.
        await File.WriteAllTextAsync(Path.Combine(_units, "communes-2025-with-location.csv"), """
            province,ward,wardType,provinceCode,wardCode,wardLat,wardLon
            Tỉnh Đắk Lắk,Phường Buôn Ma Thuột,Phường,66,24133,12.7089,108.028
            Tỉnh Đắk Lắk,Phường Buôn Hồ,Phường,66,24305,12.8944,108.251
            Tỉnh Đắk Lắk,Xã Ea Kar,Xã,66,24373,12.7996,108.468
            Thành phố Hà Nội,Phường Ba Đình,Phường,1,4,21.0386,105.838
            """);
        await File.WriteAllTextAsync(Path.Combine(_units, "gso-legacy-communes-2025-07-18.csv"), """
            Mã,Tên,Cấp,Mã QH,Quận Huyện,Mã TP,Tỉnh / Thành Phố
            24118,Phường Tân Lợi,Phường,643,Thành phố Buôn Ma Thuột,66,Tỉnh Đắk Lắk
            22015,Phường 1,Phường,555,Thành phố Tuy Hòa,54,Tỉnh Phú Yên
            """);
        Report = await Services.ImportAdministrativeUnitsAsync(_units);

        await CreateStaffAsync("qt-so-co-so", Password, ("so-y-te", StaffRoles.DepartmentAdministrator));
        await CreateStaffAsync("bs-co-so", Password, ("bv-a", StaffRoles.Doctor));
        Department = await ActingForAsync("qt-so-co-so", "user/*.rs user/Organization.cru user/Location.cru");
        Doctor = await ActingForAsync("bs-co-so", "user/*.rs");
    }

    /// <summary>What the import of the synthetic units reported.</summary>
    public YTeSo.Registry.ImportAdministrativeUnits.AdministrativeUnitImportReport? Report { get; private set; }

    /// <summary>The synthetic units' folder, to import again.</summary>
    public string UnitsFolder => _units;

    public async Task<YTeSo.Registry.ImportAdministrativeUnits.AdministrativeUnitImportReport> ImportAgainAsync() =>
        await Services.ImportAdministrativeUnitsAsync(_units);

    private async Task<HttpClient> ActingForAsync(string userName, string scope)
    {
        var token = (await StaffTokenAsync(userName, Password, scope)).GetProperty("access_token").GetString();
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        Department?.Dispose();
        Doctor?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_units, recursive: true);
        }
        catch (IOException)
        {
            // left to the OS's temp clean-up
        }
    }

    /// <summary>A registration body; each test changes what it is about.</summary>
    public static Dictionary<string, object?> Facility(string code, string name, string commune = "24133", double? latitude = 12.71, double? longitude = 108.03) => new()
    {
        ["code"] = code,
        ["name"] = name,
        ["type"] = "phong-kham",
        ["level"] = "tu-nhan",
        ["communeCode"] = commune,
        ["addressLine"] = "12 Lê Duẩn",
        ["latitude"] = latitude,
        ["longitude"] = longitude,
        ["licenceNumber"] = "123/ĐL-GPHĐ",
        ["licenceIssued"] = "2024-03-15",
        ["services"] = new[] { "kham-benh", "xet-nghiem" },
        ["activeFrom"] = "2024-04-01",
    };

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return string.IsNullOrEmpty(text) ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> PostAsync(HttpClient client, object body) =>
        client.PostAsJsonAsync("api/registry/facilities", body);
}
