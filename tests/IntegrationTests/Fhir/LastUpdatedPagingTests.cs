using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// Paging sorted by _lastUpdated through resources written close together (one transaction): the cursor must carry the
/// instant exactly, ticks and all.
/// </summary>
public sealed class LastUpdatedPagingTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Theory]
    [InlineData("-_lastUpdated")]
    [InlineData("_lastUpdated")]
    public async Task Paging_by_last_updated_through_one_transactions_resources_repeats_and_skips_nothing(string sort)
    {
        using var fhir = app.CreateFhirClient();
        var tag = "paging-" + Guid.NewGuid().ToString("N");
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        for (var i = 0; i < 45; i++)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                Resource = new Patient { Meta = new Meta { Tag = [new Coding("urn:yteso:test", tag)] }, Name = [new HumanName { Family = "Trang", Given = [$"Số {i}"] }] },
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
            });
        }

        using (var posted = await fhir.PostAsync(string.Empty, FhirHttp.Json(bundle), TestContext.Current.CancellationToken))
        {
            Assert.True(posted.IsSuccessStatusCode, await posted.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var seen = new List<string>();
        var page = await fhir.SearchAsync($"Patient?_tag={tag}&_sort={sort}&_count=7");
        while (true)
        {
            seen.AddRange(page.MatchIds());
            var next = page.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null)
            {
                break;
            }

            page = await fhir.SearchAsync(next);
        }

        Assert.Equal(45, seen.Count);
        Assert.Equal(45, seen.Distinct().Count());
    }
}
