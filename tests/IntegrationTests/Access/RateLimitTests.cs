using System.Net;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Access;

/// <summary>A host whose clients may make only a few requests a minute.</summary>
public sealed class FewRequestsApp : YTeSoApp
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Security:RequestsPerMinute"] = "5" };
}

/// <summary>A client over its limit is told to wait, in a form a FHIR client understands.</summary>
public sealed class RateLimitTests(FewRequestsApp app) : IClassFixture<FewRequestsApp>
{
    [Fact]
    public async Task A_client_over_its_limit_gets_429_with_retry_after_and_an_operation_outcome()
    {
        using var fhir = app.CreateFhirClient();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 6; i++)
        {
            last?.Dispose();
            last = await fhir.GetAsync("Patient", TestContext.Current.CancellationToken);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
        Assert.Contains("\"throttled\"", await last.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        last.Dispose();
    }
}
