using System.Text;
using Microsoft.Playwright;
using YTeSo.EndToEndTests.Infrastructure;

namespace YTeSo.EndToEndTests.Web;

/// <summary>
/// The licensing procedure in a real browser (issue 5): an applicant submits an application with a document, the
/// Department's licensing officer asks for more, the applicant answers, the officer approves, prints the certificate,
/// and its QR link opens the public verification page that confirms the licence. Synthetic applicant.
/// </summary>
public sealed class LicensingWorkflowTests(DemoSite site) : IClassFixture<DemoSite>
{
    private const string Password = "Cap-phep-2026";

    [Fact]
    public async Task An_applicant_and_the_licensing_officer_take_an_application_from_submission_to_a_verified_certificate()
    {
        var applicant = await site.NewPageAsync(390, 844);   // a phone: applicants apply from wherever they are
        await site.CreateStaffAsync("chuyen-vien-cap-phep", Password, "so-y-te", "licensing-officer");

        // 1. The applicant finds the procedure from the sign-in page and submits.
        await applicant.GotoAsync("/dang-nhap");
        await applicant.ClickAsync("[data-testid=apply-licence]");
        await applicant.WaitForURLAsync(url => url.EndsWith("/giay-phep/nop-ho-so", StringComparison.Ordinal));
        await applicant.FillAsync("#name", "Lương Thị Bích Ngọc");
        await applicant.FillAsync("#cccd", "066391" + Random.Shared.Next(0, 999_999).ToString("D6", System.Globalization.CultureInfo.InvariantCulture));
        await applicant.FillAsync("#birth", "1991-11-23");
        await applicant.FillAsync("#phone", "0912345678");
        await applicant.SelectOptionAsync("#profession", "Bác sĩ");
        await applicant.FillAsync("#scope", "Khám bệnh, chữa bệnh chuyên khoa sản phụ khoa");
        await applicant.SetInputFilesAsync("#files", new FilePayload { Name = "van-bang-bac-si.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n% synthetic\n%%EOF\n") });
        await applicant.ClickAsync("[data-testid=licence-submit]");
        await applicant.Locator("[data-testid=licence-submitted]").WaitForAsync();
        var number = (await applicant.Locator("[data-testid=application-number]").InnerTextAsync()).Trim();
        var key = (await applicant.Locator("[data-testid=application-key]").InnerTextAsync()).Trim();
        Assert.StartsWith("HS-", number, StringComparison.Ordinal);
        await DemoSite.ScreenshotAsync(applicant, "licence-submitted");

        // 2. The officer sees it in the list and asks for the practice confirmation.
        var officer = await site.NewPageAsync();
        await DemoSite.SignInAsync(officer, "chuyen-vien-cap-phep", Password);
        await officer.WaitForURLAsync(url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await officer.ClickAsync(".nav-menu a[href='/giay-phep/tiep-nhan']");
        await officer.ClickAsync($"[data-testid='open-{number}']");
        await officer.Locator("[data-testid=application-details]").WaitForAsync();
        Assert.Contains("van-bang-bac-si.pdf", await officer.Locator("[data-testid=application-attachments]").InnerTextAsync(), StringComparison.Ordinal);
        await officer.CheckAsync("[data-testid=decision-request-info]");
        await officer.FillAsync("[data-testid=decision-note]", "Đề nghị bổ sung giấy xác nhận quá trình thực hành 12 tháng.");
        await officer.ClickAsync("[data-testid=decision-submit]");
        await officer.Locator("[data-testid=licensing-done]").WaitForAsync();
        Assert.Equal("Chờ bổ sung", await officer.Locator("[data-testid=application-status]").InnerTextAsync());

        // 3. The applicant looks the application up, reads the request, and answers with a document.
        await applicant.GotoAsync("/giay-phep/tra-cuu");
        await applicant.FillAsync("[data-testid=track-number]", number);
        await applicant.FillAsync("[data-testid=track-key]", key);
        await applicant.ClickAsync("[data-testid=track-submit]");
        Assert.Equal("Chờ bổ sung", await applicant.Locator("[data-testid=track-status]").InnerTextAsync());
        Assert.Contains("giấy xác nhận quá trình thực hành", await applicant.Locator("[data-testid=application-history]").InnerTextAsync(), StringComparison.Ordinal);
        await applicant.FillAsync("[data-testid=respond-note]", "Gửi kèm giấy xác nhận thực hành tại bệnh viện.");
        await applicant.SetInputFilesAsync("[data-testid=respond-files]", new FilePayload { Name = "xac-nhan-thuc-hanh.pdf", MimeType = "application/pdf", Buffer = Encoding.ASCII.GetBytes("%PDF-1.4\n% synthetic 2\n%%EOF\n") });
        await applicant.ClickAsync("[data-testid=respond-submit]");
        await applicant.Locator("[data-testid=track-responded]").WaitForAsync();
        Assert.Equal("Chờ xem xét", await applicant.Locator("[data-testid=track-status]").InnerTextAsync());

        // 4. The officer approves; the licence gets its number and a printable certificate.
        await officer.ReloadAsync();
        await officer.CheckAsync("[data-testid=decision-approve]");
        await officer.FillAsync("[data-testid=decision-note]", "Hồ sơ đủ điều kiện.");
        await officer.ClickAsync("[data-testid=decision-submit]");
        await officer.Locator("[data-testid=licensing-done]").WaitForAsync();
        Assert.Equal("Đã cấp phép", await officer.Locator("[data-testid=application-status]").InnerTextAsync());
        await officer.ClickAsync("[data-testid=print-licence]");
        await officer.Locator("[data-testid=licence-certificate]").WaitForAsync();
        var licence = (await officer.Locator("[data-testid=cert-number]").InnerTextAsync()).Trim();
        Assert.Matches(@"^\d{6}/", licence);
        Assert.Equal("Lương Thị Bích Ngọc", await officer.Locator("[data-testid=cert-holder]").InnerTextAsync());
        Assert.Equal(1, await officer.Locator("[data-testid=licence-certificate] .qr-code svg").CountAsync());
        await DemoSite.ScreenshotAsync(officer, "licence-certificate");
        var verifyUrl = await officer.Locator("[data-testid=cert-verify-link]").GetAttributeAsync("href");

        // The registry lists the new practitioner, found by name typed without diacritics.
        await officer.ClickAsync(".nav-menu a[href='/nguoi-hanh-nghe']");
        await officer.FillAsync("#q", "luong thi bich ngoc");
        await officer.PressAsync("#q", "Enter");
        var row = officer.Locator("[data-testid=practitioners] tbody tr", new() { HasText = licence });
        Assert.Contains("Lương Thị Bích Ngọc", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Đang hiệu lực", await row.InnerTextAsync(), StringComparison.Ordinal);

        // 5. Anyone scanning the QR code (a fresh browser, not signed in) sees the licence confirmed.
        var stranger = await site.NewPageAsync(390, 844);
        await stranger.GotoAsync(verifyUrl!);
        Assert.Contains("Giấy phép hợp lệ", await stranger.Locator("[data-testid=verify-status]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Lương Thị Bích Ngọc", await stranger.Locator("[data-testid=verify-holder]").InnerTextAsync());
        Assert.Contains(licence, await stranger.Locator("[data-testid=verify-details]").InnerTextAsync(), StringComparison.Ordinal);
        await DemoSite.ScreenshotAsync(stranger, "licence-verified");

        // The applicant's page now shows the issued licence and the full history.
        await applicant.GotoAsync("/giay-phep/tra-cuu");
        await applicant.FillAsync("[data-testid=track-number]", number);
        await applicant.FillAsync("[data-testid=track-key]", key);
        await applicant.ClickAsync("[data-testid=track-submit]");
        Assert.Contains(licence, await applicant.Locator("[data-testid=track-issued]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(4, await applicant.Locator("[data-testid=application-history] tbody tr").CountAsync());
    }
}
