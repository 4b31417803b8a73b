using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// Every mapped endpoint, found from the routing table rather than listed by hand, refuses a caller without
/// credentials: APIs with 401, pages by sending the browser to the sign-in page. Only the public ones answer.
/// </summary>
public sealed class EndpointProtectionTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    /// <summary>What may be reached without signing in (issue 3: health, metadata, .well-known, sign-in pages).</summary>
    private static readonly string[] PublicRoutes =
    [
        "/health", "/fhir/metadata", "/.well-known/smart-configuration", "/dang-nhap", "/ngon-ngu", "/khong-tim-thay", "/loi",
        "/connect/token", "/connect/authorize",
        // Citizens' sign-in (ADR 0009): the form itself; the code it sends goes only to the phone on record.
        "/cong-dan/dang-nhap",
        // The licensing procedure (docs/registry.md): applying needs no account; following an application needs its
        // number and the key given once; the certificate's QR page shows a licence only with its random code.
        "/giay-phep/nop-ho-so",
        "/giay-phep/tra-cuu",
        "/xac-minh/giay-phep",
    ];

    [Fact]
    public async Task Every_endpoint_without_credentials_gets_401_or_the_sign_in_page()
    {
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => !IsStaticAsset(e))
            .ToList();
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found: is the routing table complete?");

        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.ClientOptions.BaseAddress };
        var failures = new List<string>();
        var checkedCount = 0;
        foreach (var endpoint in endpoints)
        {
            var path = SamplePath(endpoint.RoutePattern.RawText ?? string.Empty);
            var isPublic = PublicRoutes.Contains(path) || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            foreach (var method in methods)
            {
                if (isPublic)
                {
                    if (!PublicRoutes.Contains(path))
                    {
                        failures.Add($"{method} {path} is anonymous but not in the reviewed public list");
                    }

                    continue;
                }

                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                }

                using var response = await anonymous.SendAsync(request, TestContext.Current.CancellationToken);
                checkedCount++;
                var refused = response.StatusCode == HttpStatusCode.Unauthorized
                    || (response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("/dang-nhap", StringComparison.Ordinal) == true)
                    // Antiforgery runs before authorization for form posts: refused before anything happens.
                    || (response.StatusCode == HttpStatusCode.BadRequest && method == "POST" && !path.StartsWith("/fhir", StringComparison.Ordinal) && !path.StartsWith("/api", StringComparison.Ordinal));
                if (!refused)
                {
                    failures.Add($"{method} {path} ({endpoint.DisplayName}) answered {(int)response.StatusCode} without credentials");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(checkedCount > 30, $"only {checkedCount} protected endpoint/method pairs were checked");
    }

    [Fact]
    public async Task An_api_refusal_says_how_to_authenticate()
    {
        using var anonymous = app.CreateAnonymousClient();
        using var response = await anonymous.GetAsync("fhir/Patient", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task A_page_without_a_session_goes_to_sign_in_and_comes_back()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.ClientOptions.BaseAddress };
        using var response = await anonymous.GetAsync("du-lieu/Patient", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Contains("/dang-nhap", location, StringComparison.Ordinal);
        Assert.Contains("ReturnUrl=%2Fdu-lieu%2FPatient", location, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/fhir/metadata")]
    [InlineData("/.well-known/smart-configuration")]
    [InlineData("/dang-nhap")]
    [InlineData("/cong-dan/dang-nhap")]
    public async Task Public_endpoints_answer_without_credentials(string path)
    {
        using var anonymous = app.CreateAnonymousClient();
        using var response = await anonymous.GetAsync(path.TrimStart('/'), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static bool IsStaticAsset(RouteEndpoint endpoint) =>
        endpoint.Metadata.Any(m => m.GetType().Name.Contains("StaticAsset", StringComparison.Ordinal))
        || Path.HasExtension(endpoint.RoutePattern.RawText ?? string.Empty) && !(endpoint.RoutePattern.RawText ?? string.Empty).Contains('{', StringComparison.Ordinal);

    /// <summary>A concrete path for a route pattern: every parameter gets a plausible sample value.</summary>
    private static string SamplePath(string pattern)
    {
        var path = "/" + pattern.TrimStart('/');
        path = System.Text.RegularExpressions.Regex.Replace(path, "\\{\\*?([A-Za-z]+)(:[^}]*)?\\??\\}", match => match.Groups[1].Value switch
        {
            "type" => "Patient",
            "id" or "job" => "1",
            "version" => "1",
            "file" => "Patient.ndjson",
            _ => "1",
        });
        return path;
    }
}
