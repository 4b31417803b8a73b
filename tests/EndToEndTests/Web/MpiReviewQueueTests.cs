using System.Text;
using System.Text.Json;
using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>
/// The MPI steward works the review queue in a real browser (issue 4): finds a possible match, compares the two records
/// side by side with their differences marked, links them with a reason, and the two records share one golden record.
/// </summary>
public sealed class MpiReviewQueueTests(DemoSite site) : IClassFixture<DemoSite>
{
    private const string Password = "Dinh-danh-2026";

    [Fact]
    public async Task The_steward_compares_a_possible_match_side_by_side_and_links_it_with_a_reason()
    {
        var page = await site.NewPageAsync();
        await site.CreateStaffAsync("can-bo-mpi", Password, "tyt-demo", "mpi-steward");
        var (a, b) = await PossiblePairAsync("Đinh", "Nhàn");

        await DemoSite.SignInAsync(page, "can-bo-mpi", Password);
        await page.WaitForURLAsync(url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await page.ClickAsync(".nav-menu a[href='/mpi/hang-doi']");
        await page.WaitForURLAsync(url => url.EndsWith("/mpi/hang-doi", StringComparison.Ordinal));
        Assert.Equal("Hàng đợi đối chiếu hồ sơ", await page.Locator("h1").InnerTextAsync());
        var row = page.Locator("[data-testid=mpi-queue] tr", new() { HasText = "Đinh Thị Hồng Nhàn" });
        Assert.Contains("Đinh Thị Nhàn", await row.InnerTextAsync(), StringComparison.Ordinal);
        await DemoSite.ScreenshotAsync(page, "mpi-queue");

        await row.Locator("a[data-testid^=mpi-compare]").ClickAsync();
        await page.Locator("[data-testid=mpi-case]").WaitForAsync();
        Assert.StartsWith("Đối chiếu cặp hồ sơ", await page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        // What differs is marked in words as well as colour; what agrees is not.
        Assert.Contains("17/04/1991", await page.Locator("tr[data-field=BirthDate]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("differs", await page.Locator("tr[data-field=BirthDate]").GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
        Assert.Contains("khác nhau", await page.Locator("tr[data-field=Name]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Null(await page.Locator("tr[data-field=Sex]").GetAttributeAsync("class"));
        Assert.Contains("Nữ", await page.Locator("tr[data-field=Sex]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.Locator("[data-testid=mpi-evidence] tr").CountAsync() > 2);
        await DemoSite.ScreenshotAsync(page, "mpi-compare");

        await page.CheckAsync("[data-testid=decision-link]");
        await page.FillAsync("[data-testid=decision-reason]", "Cùng mẹ, cùng thôn; người nhà xác nhận qua điện thoại");
        await page.ClickAsync("[data-testid=decision-submit]");
        await page.WaitForURLAsync(url => url.Contains("/mpi/hang-doi?decided=", StringComparison.Ordinal));
        Assert.Contains("Đã ghi nhận quyết định", await page.Locator("[data-testid=mpi-decided]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("[data-testid=mpi-queue] tr", new() { HasText = "Đinh Thị Hồng Nhàn" }).CountAsync());

        Assert.Equal(await GoldenOfAsync(a), await GoldenOfAsync(b));
    }

    [Fact]
    public async Task The_queue_is_closed_to_staff_who_are_not_the_steward()
    {
        var page = await site.NewSignedInPageAsync();
        await page.GotoAsync("/mpi/hang-doi");
        Assert.Contains("cán bộ quản lý định danh", await page.Locator("[data-testid=mpi-forbidden]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".nav-menu a[href='/mpi/hang-doi']").CountAsync());
    }

    /// <summary>Two records of one (synthetic) woman the matcher is unsure of: no middle name, year of birth only, no phone.</summary>
    private async Task<(string A, string B)> PossiblePairAsync(string family, string given)
    {
        using var api = await site.CreateApiClientAsync();
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var a = await CreateAsync(api, $$"""
            {"resourceType":"Patient","name":[{"family":"{{family}}","given":["Thị","Hồng","{{given}}"]}],"birthDate":"1991-04-17","gender":"female",
             "telecom":[{"system":"phone","use":"mobile","value":"{{phone}}"}],
             "identifier":[{"system":"https://yteso.vn/fhir/sid/ma-bn/66001","value":"E2E-{{Guid.NewGuid():N}}"}],
             "address":[{"text":"Thôn thử nghiệm","extension":[{"url":"https://yteso.vn/fhir/StructureDefinition/commune-code","valueCode":"24121"}]}]}
            """);
        var b = await CreateAsync(api, $$"""
            {"resourceType":"Patient","name":[{"family":"{{family}}","given":["Thị","{{given}}"]}],"birthDate":"1991","gender":"female",
             "identifier":[{"system":"https://yteso.vn/fhir/sid/ma-bn/66123","value":"E2E-{{Guid.NewGuid():N}}"}],
             "address":[{"text":"Thôn thử nghiệm","extension":[{"url":"https://yteso.vn/fhir/StructureDefinition/commune-code","valueCode":"24121"}]}]}
            """);
        return (a, b);
    }

    private static async Task<string> CreateAsync(HttpClient api, string json)
    {
        using var response = await api.PostAsync("fhir/Patient", new StringContent(json, Encoding.UTF8, "application/fhir+json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<string> GoldenOfAsync(string patientId)
    {
        using var api = await site.CreateApiClientAsync();
        var bundle = JsonDocument.Parse(await api.GetStringAsync($"fhir/Person?patient=Patient/{patientId}")).RootElement;
        return Assert.Single(bundle.GetProperty("entry").EnumerateArray()).GetProperty("resource").GetProperty("id").GetString()!;
    }
}
