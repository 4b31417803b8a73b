using System.Net;
using System.Reflection;
using Microsoft.AspNetCore.Components;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Web;

/// <summary>Every page of the web shell renders (200, Vietnamese, no error page), found by its @page routes.</summary>
public sealed class PageSmokeTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    public static TheoryData<string> Routes()
    {
        var routes = typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>())
            .Select(r => r.Template)
            .Order(StringComparer.Ordinal);
        return [.. routes];
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Every_page_renders_in_Vietnamese(string template)
    {
        using var fhir = app.CreateFhirClient();
        var patient = await fhir.CreateAsync(new Hl7.Fhir.Model.Patient
        {
            Name = [new Hl7.Fhir.Model.HumanName { Family = "Trần", Given = ["Thị", "Bích"] }],
            BirthDate = "1985-03-08",
        });
        var url = template
            .Replace("{ResourceType}", "Patient", StringComparison.Ordinal)
            .Replace("{Id}", patient.Id, StringComparison.Ordinal)
            .Replace("{Version:int}", "1", StringComparison.Ordinal);
        using var web = app.CreateClient();

        using var response = await web.GetAsync(url, TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"vi\"", html, StringComparison.Ordinal);
        Assert.Contains("Tổng quan", html, StringComparison.Ordinal); // the navigation, in Vietnamese
        if (url != "/loi")
        {
            Assert.DoesNotContain("Đã có lỗi xảy ra", html, StringComparison.Ordinal);
            Assert.DoesNotContain("mud-alert-text-error", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_unknown_address_gets_the_Vietnamese_not_found_page_with_404()
    {
        using var web = app.CreateClient();

        using var response = await web.GetAsync("/trang-khong-ton-tai", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Không tìm thấy trang", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_language_switch_only_redirects_inside_the_site()
    {
        using var web = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.ClientOptions.BaseAddress };

        using var response = await web.GetAsync("/ngon-ngu?culture=en&returnUrl=" + Uri.EscapeDataString("//phishing.example/x"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.ToString());
    }
}
