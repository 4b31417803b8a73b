using System.Globalization;
using System.Text.Json.Nodes;
using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>The web shell in a real browser: the home page's counts, the resource browser, languages, a phone screen.</summary>
public sealed class WebShellTests(DemoSite site) : IClassFixture<DemoSite>
{
    [Fact]
    public async Task The_home_page_shows_the_demo_province_counts_in_Vietnamese()
    {
        var page = await site.NewSignedInPageAsync();

        await page.GotoAsync("/");

        Assert.Equal("Tổng quan dữ liệu y tế", (await page.Locator("h1").InnerTextAsync()).Trim());
        Assert.Equal(DemoSite.DemoCitizens.ToString(CultureInfo.InvariantCulture), (await page.Locator("[data-testid=count-Patient] h5").InnerTextAsync()).Trim());
        var total = long.Parse((await page.Locator("[data-testid=total-count]").InnerTextAsync()).Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.True(total > DemoSite.DemoCitizens * 5, $"only {total} resources counted");
        // MudBlazor's stylesheet and the theme are really applied (the app bar is the Department's blue).
        Assert.Equal("rgb(11, 92, 173)", await page.Locator(".mud-appbar").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor"));
        await DemoSite.ScreenshotAsync(page, "home");
    }

    [Fact]
    public async Task The_resource_browser_finds_patients_by_name_without_accents_and_opens_one_with_its_history()
    {
        var page = await site.NewSignedInPageAsync();
        await page.GotoAsync("/du-lieu");

        await page.FillAsync("[data-testid=type-input]", "Patient");
        await page.FillAsync("[data-testid=query-input]", "name=nguyen");
        await page.ClickAsync("[data-testid=search-button]");

        var rows = page.Locator("[data-testid=result-link]");
        Assert.True(await rows.CountAsync() > 0, "no patient named Nguyễn in the demo province");
        Assert.All(await rows.AllInnerTextsAsync(), text => Assert.Contains("Nguyễn", text, StringComparison.Ordinal));
        await DemoSite.ScreenshotAsync(page, "browse-patients");

        await rows.First.ClickAsync();
        await page.WaitForURLAsync("**/du-lieu/Patient/*");
        var json = JsonNode.Parse(await page.Locator("[data-testid=resource-json]").InnerTextAsync())!;
        Assert.Equal("Patient", (string?)json["resourceType"]);
        Assert.Equal(1, await page.Locator("[data-testid=history] tbody tr").CountAsync());
        var id = (string)json["id"]!;
        var activeBefore = json["active"]?.ToJsonString();
        Assert.NotEqual("false", activeBefore); // so the correction below is visible

        // A hospital corrects the record through the FHIR API; the browser shows both versions and the old one on request.
        using var http = await site.CreateApiClientAsync();
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/fhir/Patient/{id}")
        {
            Content = new StringContent("""[{"op":"add","path":"/active","value":false}]""", System.Text.Encoding.UTF8, "application/json-patch+json"),
        };
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(patch, TestContext.Current.CancellationToken)).StatusCode);
        await page.GotoAsync(page.Url);
        Assert.Equal(2, await page.Locator("[data-testid=history] tbody tr").CountAsync());
        Assert.False((bool)JsonNode.Parse(await page.Locator("[data-testid=resource-json]").InnerTextAsync())!["active"]!);

        await page.ClickAsync("[data-testid=history-link] >> text=1");
        await page.WaitForURLAsync($"**/du-lieu/Patient/{id}/phien-ban/1");
        Assert.Equal(activeBefore, JsonNode.Parse(await page.Locator("[data-testid=resource-json]").InnerTextAsync())!["active"]?.ToJsonString());
        await DemoSite.ScreenshotAsync(page, "patient-version-1");
    }

    [Fact]
    public async Task A_search_the_server_cannot_understand_gets_a_readable_warning_not_an_error_page()
    {
        var page = await site.NewSignedInPageAsync();

        var response = await page.GotoAsync("/du-lieu/Patient?q=" + Uri.EscapeDataString("khongco=1"));

        Assert.Equal(200, response!.Status);
        Assert.Contains("khongco", await page.Locator("[data-testid=search-error]").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switching_to_English_translates_the_shell_and_switching_back_restores_Vietnamese()
    {
        var page = await site.NewSignedInPageAsync();
        await page.GotoAsync("/du-lieu");

        await page.ClickAsync("[data-testid=language-switch]");
        await page.WaitForURLAsync("**/du-lieu");
        Assert.Equal("Clinical data", (await page.Locator("h1").InnerTextAsync()).Trim());

        await page.ClickAsync("[data-testid=language-switch]");
        Assert.Equal("Dữ liệu lâm sàng", (await page.Locator("h1").InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task On_a_phone_screen_the_menu_folds_away_and_still_reaches_the_data()
    {
        var page = await site.NewSignedInPageAsync(width: 390, height: 844);
        await page.GotoAsync("/");

        Assert.False(await page.Locator(".main-drawer").IsVisibleAsync());
        await page.ClickAsync(".mobile-menu summary");
        await page.ClickAsync(".mobile-menu >> text=Dữ liệu lâm sàng (FHIR)");

        await page.WaitForURLAsync("**/du-lieu");
        Assert.Equal("Dữ liệu lâm sàng", (await page.Locator("h1").InnerTextAsync()).Trim());
        await DemoSite.ScreenshotAsync(page, "phone-browse");
    }
}
