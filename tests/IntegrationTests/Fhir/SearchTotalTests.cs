using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>Bundle.total: exact up to a limit by default, always exact with _total=accurate, absent with _total=none.</summary>
public sealed class SearchTotalTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task A_broad_search_leaves_the_total_out_unless_the_client_asks_for_an_accurate_one()
    {
        using var fhir = app.CreateFhirClient();
        var matching = FhirSearchPage.DefaultTotalLimit + 5;
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var i = 0; i < matching; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = new Basic { Code = new CodeableConcept("https://yteso.vn/fhir/test", "dem-tong") },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Basic" },
            });
        }

        bundle.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Basic { Code = new CodeableConcept("https://yteso.vn/fhir/test", "mot-minh") },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Basic" },
        });
        var (status, _) = await fhir.SendAsync<Bundle>(HttpMethod.Post, string.Empty, bundle);
        Assert.Equal(System.Net.HttpStatusCode.OK, status);

        var broad = await fhir.SearchAsync("Basic?code=https://yteso.vn/fhir/test|dem-tong&_count=10");
        var accurate = await fhir.SearchAsync("Basic?code=https://yteso.vn/fhir/test|dem-tong&_count=10&_total=accurate");
        var narrow = await fhir.SearchAsync("Basic?code=https://yteso.vn/fhir/test|mot-minh");
        var none = await fhir.SearchAsync("Basic?code=https://yteso.vn/fhir/test|mot-minh&_total=none");

        Assert.Null(broad.Total);
        Assert.Equal(10, broad.MatchIds().Count);
        Assert.NotNull(broad.NextLink);
        Assert.Equal(matching, accurate.Total);
        Assert.Equal(1, narrow.Total);
        Assert.Null(none.Total);
    }
}
