using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>A staff member signs in and out in a real browser; repeated wrong passwords lock the account.</summary>
public sealed class SignInTests(DemoSite site) : IClassFixture<DemoSite>
{
    [Fact]
    public async Task A_staff_member_signs_in_and_out_in_the_browser()
    {
        var page = await site.NewPageAsync();
        await page.GotoAsync("/du-lieu");
        Assert.Contains("/dang-nhap", page.Url, StringComparison.Ordinal);
        Assert.Equal("Đăng nhập", await page.Locator("h1").InnerTextAsync());

        await page.FillAsync("#username", DemoSite.AdminUserName);
        await page.FillAsync("#password", DemoSite.AdminPassword);
        await page.ClickAsync("[data-testid=sign-in-submit]");
        await page.WaitForURLAsync(url => url.EndsWith("/du-lieu", StringComparison.Ordinal));
        Assert.Contains("Quản trị", await page.Locator("[data-testid=signed-in-as]").InnerTextAsync(), StringComparison.Ordinal);
        await DemoSite.ScreenshotAsync(page, "signed-in");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/dang-nhap", StringComparison.Ordinal));
        await page.GotoAsync("/du-lieu");
        Assert.Contains("/dang-nhap", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_show_the_lockout_message()
    {
        // Its own account, so locking it does not disturb the tests that sign in as the administrator.
        await site.CreateStaffAsync("dd-khoa", "Mat-khau-2026", "tyt-demo", "nurse");
        var other = await site.NewPageAsync();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            await DemoSite.SignInAsync(other, "dd-khoa", "Sai-mat-khau-9");
            Assert.Contains("không đúng", await other.Locator("[data-testid=sign-in-error]").InnerTextAsync(), StringComparison.Ordinal);
        }

        // The third wrong password locks the account, and then even the right one is refused with the lockout message.
        await DemoSite.SignInAsync(other, "dd-khoa", "Sai-mat-khau-9");
        Assert.Contains("tạm thời bị khóa", await other.Locator("[data-testid=sign-in-error]").InnerTextAsync(), StringComparison.Ordinal);
        await DemoSite.SignInAsync(other, "dd-khoa", "Mat-khau-2026");
        Assert.Contains("tạm thời bị khóa", await other.Locator("[data-testid=sign-in-error]").InnerTextAsync(), StringComparison.Ordinal);
        await DemoSite.ScreenshotAsync(other, "locked-out");
    }
}
