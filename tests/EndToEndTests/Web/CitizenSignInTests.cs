using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.CitizenSignIn;
using YTeSo.Access.Sms;
using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>A demo citizen signs in on a phone-sized screen with the code the SMS simulator captured, then signs out.</summary>
public sealed partial class CitizenSignInTests(DemoSite site) : IClassFixture<DemoSite>
{
    [Fact]
    public async Task A_citizen_signs_in_with_the_sms_code_and_sees_their_page_without_staff_menus()
    {
        var page = await site.NewPageAsync(390, 844);
        var (cccd, phone, family) = await DemoCitizenAsync();

        await page.GotoAsync("/cong-dan");
        Assert.Contains("/cong-dan/dang-nhap", page.Url, StringComparison.Ordinal);
        Assert.Equal("Đăng nhập cho người dân", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(0, await page.Locator(".nav-menu").CountAsync());
        await page.FillAsync("#cccd", cccd);
        await page.FillAsync("#phone", phone);
        await page.ClickAsync("[data-testid=citizen-send-code]");
        await page.Locator("[data-testid=citizen-code-sent]").WaitForAsync();
        await DemoSite.ScreenshotAsync(page, "citizen-code");

        var sms = site.Services.GetRequiredService<SimulatedSmsGateway>().MessagesTo(CitizenIdentifiers.NormalizeMobile(phone)!);
        await page.FillAsync("#code", SixDigits().Match(Assert.Single(sms).Text).Value);
        await page.ClickAsync("[data-testid=citizen-verify]");
        await page.WaitForURLAsync(url => url.EndsWith("/cong-dan", StringComparison.Ordinal));

        Assert.Contains(family, await page.Locator("[data-testid=citizen-name]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator(".nav-menu").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=no-break-glass]").CountAsync());
        await DemoSite.ScreenshotAsync(page, "citizen-home");

        await page.ClickAsync("[data-testid=sign-out]");
        await page.WaitForURLAsync(url => url.Contains("/cong-dan/dang-nhap", StringComparison.Ordinal));
        await page.GotoAsync("/cong-dan");
        Assert.Contains("/cong-dan/dang-nhap", page.Url, StringComparison.Ordinal);
    }

    /// <summary>A seeded citizen with a CCCD and a phone number, read through the API as the deployment client.</summary>
    private async Task<(string Cccd, string Phone, string Family)> DemoCitizenAsync()
    {
        using var api = await site.CreateApiClientAsync();
        var bundle = JsonDocument.Parse(await api.GetStringAsync("fhir/Patient?_count=20")).RootElement;
        foreach (var entry in bundle.GetProperty("entry").EnumerateArray())
        {
            var patient = entry.GetProperty("resource");
            var cccd = patient.TryGetProperty("identifier", out var ids)
                ? ids.EnumerateArray().Where(i => i.GetProperty("system").GetString() == CitizenIdentifiers.CccdSystem).Select(i => i.GetProperty("value").GetString()).FirstOrDefault()
                : null;
            var phone = patient.TryGetProperty("telecom", out var telecom) ? telecom.EnumerateArray().Select(t => t.GetProperty("value").GetString()).FirstOrDefault() : null;
            if (cccd is not null && phone is not null && patient.TryGetProperty("name", out var names))
            {
                return (cccd, phone, names[0].GetProperty("family").GetString()!);
            }
        }

        Assert.Fail("No seeded citizen has a CCCD and a phone number.");
        return default;
    }

    [GeneratedRegex("\\b\\d{6}\\b")]
    private static partial Regex SixDigits();
}
