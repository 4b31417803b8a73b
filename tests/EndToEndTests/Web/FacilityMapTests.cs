using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>
/// The facility map in a real browser (issue 5): the demo province's facilities appear as markers coloured by type,
/// unticking a type hides its markers, and a name typed without diacritics finds one facility.
/// </summary>
public sealed class FacilityMapTests(DemoSite site) : IClassFixture<DemoSite>
{
    [Fact]
    public async Task Markers_appear_a_type_filter_hides_the_others_and_a_search_finds_one_facility()
    {
        var page = await site.NewSignedInPageAsync();
        await page.ClickAsync(".nav-menu a[href='/co-so/ban-do']");
        await page.WaitForURLAsync(url => url.EndsWith("/co-so/ban-do", StringComparison.Ordinal));
        await page.Locator("#facility-map[data-loaded=true]").WaitForAsync();
        var markers = page.Locator("[data-testid=map-canvas] path.facility-marker");
        var stations = page.Locator("[data-testid=map-canvas] path.facility-type-tram-y-te");

        var all = await markers.CountAsync();
        var stationCount = await stations.CountAsync();
        Assert.Equal("Bản đồ cơ sở y tế", await page.Locator("h1").InnerTextAsync());
        Assert.True(all > stationCount && stationCount > 0, $"{all} markers, {stationCount} commune stations");
        Assert.True(await page.Locator("[data-testid=map-canvas] path.facility-type-benh-vien").CountAsync() > 0);
        await DemoSite.ScreenshotAsync(page, "facility-map");

        await page.UncheckAsync("[data-testid=map-type-benh-vien]");
        await page.UncheckAsync("[data-testid=map-type-trung-tam-y-te]");
        Assert.Equal(stationCount, await markers.CountAsync());
        Assert.Equal(stationCount, await stations.CountAsync());
        Assert.Equal(stationCount.ToString(System.Globalization.CultureInfo.InvariantCulture), await page.Locator("[data-testid=map-status]").GetAttributeAsync("data-shown"));

        await page.FillAsync("[data-testid=map-search]", "buon ho");
        Assert.Equal(1, await markers.CountAsync());
        Assert.Equal("66107 · Trạm Y tế phường Buôn Hồ", await page.Locator("[data-testid=map-results] li").InnerTextAsync());
        await page.CheckAsync("[data-testid=map-type-trung-tam-y-te]");
        Assert.Equal(2, await markers.CountAsync()); // Trung tâm Y tế khu vực Buôn Hồ joins it
        await DemoSite.ScreenshotAsync(page, "facility-map-search");
    }

    [Fact]
    public async Task The_facility_list_finds_a_facility_typed_without_diacritics()
    {
        var page = await site.NewSignedInPageAsync();
        await page.GotoAsync("/co-so?q=krong pac");

        var rows = page.Locator("[data-testid=facilities] tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Contains("Trung tâm Y tế khu vực Krông Pắc", await page.Locator("[data-testid=facilities]").InnerTextAsync(), StringComparison.Ordinal);
    }
}
