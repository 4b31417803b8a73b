using System.Net;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// Search semantics against hand-computed expectations (FHIR R4 search.html), one parameter type and modifier at a
/// time. The dataset is in <see cref="SearchFixture"/>; expected ids are worked out from it by hand.
/// </summary>
public sealed class SearchTests(SearchFixture data) : IClassFixture<SearchFixture>
{
    private async Task<string[]> Find(string type, string query)
    {
        using var fhir = data.CreateFhirClient();
        var bundle = await fhir.SearchAsync($"{type}?{query}&_tag={Uri.EscapeDataString(data.Tag)}&_count=100");
        var names = data.Ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        return [.. bundle.MatchIds().Select(id => names[id]).Order(StringComparer.Ordinal)];
    }

    [Theory]
    [InlineData("name=nguyen", "p1,p2")]
    [InlineData("name=Nguy%E1%BB%85n%20V%C4%83n", "p1")]
    [InlineData("name=an", "p1")]
    [InlineData("name:exact=Nguy%E1%BB%85n", "p1,p2")]
    [InlineData("name:exact=nguyen", "")]
    [InlineData("name:contains=oa", "p4")]
    [InlineData("given:exact=Ho%C3%A0", "p4")]
    [InlineData("family=le", "p4")]
    [InlineData("address-city=vung%20tau", "p1")]
    public async Task String_parameters_match_prefixes_without_accents_and_case(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Patient", query));

    [Theory]
    [InlineData("gender=male", "p1,p3")]
    [InlineData("gender=http://hl7.org/fhir/administrative-gender%7Cfemale", "p2,p4")]
    [InlineData("gender:not=male", "p2,p4")]
    [InlineData("identifier=079090000001", "p1")]
    [InlineData("identifier=https://yteso.vn/fhir/sid/cccd%7C", "p1,p2")]
    [InlineData("identifier=%7C079090000001", "")]
    [InlineData("active=false", "p3")]
    [InlineData("phone=0901000001", "p1")]
    [InlineData("gender=male,female", "p1,p2,p3,p4")]
    public async Task Token_parameters_match_system_and_code(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Patient", query));

    [Theory]
    [InlineData("code=http://loinc.org%7C29463-7", "o1,o2,o3")]
    [InlineData("code:text=huyet", "o5")]
    [InlineData("code:text=weight", "o1,o2,o3")]
    public async Task Token_parameters_search_codes_and_their_text(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Observation", query));

    [Theory]
    [InlineData("birthdate=1990", "p1,p4")]
    [InlineData("birthdate=1990-02", "p1")]
    [InlineData("birthdate=ge2000", "p3")]
    [InlineData("birthdate=lt1990-01-01", "p2")]
    [InlineData("birthdate=sa1990", "p3")]
    [InlineData("birthdate=eb1990", "p2")]
    [InlineData("birthdate=ne1990", "p2,p3")]
    [InlineData("birthdate=gt1985-11-20&birthdate=lt2001", "p1,p4")]
    public async Task Date_parameters_compare_ranges_with_every_prefix(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Patient", query));

    [Theory]
    // A date without a zone is a Vietnamese calendar day (UTC+7): o3 (2024-12-31T23:00Z) is 06:00 on 1 January there.
    [InlineData("date=ge2025-01-01", "o1,o2,o3,o4,o5")]
    [InlineData("date=2025-01-01", "o3")]
    [InlineData("date=lt2025-01-01T00:00:00Z", "o3")]
    [InlineData("date=le2025-02-02", "o1,o3,o5")]
    [InlineData("date=2025-02-02", "")]
    [InlineData("date=2025-02", "o5")]
    [InlineData("date=2024-12-31T23:00:00Z", "o3")]
    public async Task Date_parameters_work_on_instants_partial_dates_and_periods(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Observation", query));

    [Theory]
    [InlineData("probability=0.25", "ra1")]
    [InlineData("probability=0.3", "ra1")]
    [InlineData("probability=0.2", "")]
    [InlineData("probability=gt0.5", "ra2")]
    [InlineData("probability=le0.8", "ra1,ra2")]
    public async Task Number_parameters_honour_the_implied_precision(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("RiskAssessment", query));

    [Theory]
    [InlineData("value-quantity=65", "o1")]
    [InlineData("value-quantity=gt60%7C%7Ckg", "o1,o2")]
    [InlineData("value-quantity=gt60%7Chttp://unitsofmeasure.org%7Ccm", "o4")]
    [InlineData("value-quantity=lt60", "o3")]
    public async Task Quantity_parameters_compare_values_and_units(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("Observation", query));

    [Fact]
    public async Task Reference_parameters_match_by_type_and_id_or_id_alone()
    {
        Assert.Equal(["o1", "o2"], await Find("Observation", $"subject=Patient/{data.Ids["p1"]}"));
        Assert.Equal(["o3", "o4"], await Find("Observation", $"subject={data.Ids["p2"]}"));
        Assert.Equal(["o1", "o2"], await Find("Observation", $"patient=Patient/{data.Ids["p1"]}"));
        Assert.Equal(["o3", "o4"], await Find("Observation", $"subject:Patient={data.Ids["p2"]}"));
        Assert.Equal(["p4"], await Find("Patient", $"general-practitioner=Practitioner/{data.Ids["pr1"]}"));
    }

    [Fact]
    public async Task Chained_and_reverse_chained_parameters_follow_references()
    {
        Assert.Equal(["o5"], await Find("Observation", "subject:Patient.name=tran"));
        Assert.Equal(["o3", "o4"], await Find("Observation", "subject.identifier=079185000002"));
        Assert.Equal(["p2"], await Find("Patient", "_has:Observation:patient:code=http://loinc.org%7C8302-2"));
    }

    [Theory]
    [InlineData("url=http://yteso.vn/fhir/ValueSet/a", "vs1")]
    [InlineData("url:below=http://yteso.vn/fhir/ValueSet/a", "vs1,vs2")]
    [InlineData("url:above=http://yteso.vn/fhir/ValueSet/a/b/c", "vs1,vs2")]
    public async Task Uri_parameters_match_exactly_below_and_above(string query, string expected) =>
        Assert.Equal(Split(expected), await Find("ValueSet", query));

    [Fact]
    public async Task Id_last_updated_and_missing_filter_on_resource_columns()
    {
        Assert.Equal(["p1", "p3"], await Find("Patient", $"_id={data.Ids["p1"]},{data.Ids["p3"]}"));
        Assert.Equal(["p1", "p2", "p3", "p4"], await Find("Patient", $"_lastUpdated=ge{data.SeededAt.AddMinutes(-5):yyyy-MM-ddTHH:mm:ssZ}"));
        Assert.Empty(await Find("Patient", $"_lastUpdated=lt{data.SeededAt.AddDays(-1):yyyy-MM-dd}"));
        Assert.Equal(["p1"], await Find("Patient", "address-city:missing=false"));
        Assert.Equal(["p2", "p3", "p4"], await Find("Patient", "address-city:missing=true"));
    }

    [Fact]
    public async Task Sort_orders_by_several_keys_with_missing_values_last()
    {
        using var fhir = data.CreateFhirClient();
        var names = data.Ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        async Task<string[]> Sorted(string sort) =>
            [.. (await fhir.SearchAsync($"Patient?_tag={Uri.EscapeDataString(data.Tag)}&_sort={sort}")).MatchIds().Select(id => names[id])];

        Assert.Equal(["p2", "p4", "p1", "p3"], await Sorted("birthdate"));
        Assert.Equal(["p3", "p4", "p1", "p2"], await Sorted("-birthdate"));
        Assert.Equal(["p4", "p1", "p2", "p3"], await Sorted("family,-birthdate"));
    }

    [Fact]
    public async Task Next_links_page_through_without_repeats_or_gaps_while_others_write()
    {
        using var fhir = data.CreateFhirClient();
        var names = data.Ids.ToDictionary(kv => kv.Value, kv => kv.Key);
        var seen = new List<string>();
        var page = await fhir.SearchAsync($"Patient?_tag={Uri.EscapeDataString(data.Tag)}&_sort=birthdate&_count=1");
        var total = page.Total;
        var first = true;
        while (true)
        {
            seen.AddRange(page.MatchIds());
            if (first)
            {
                // A concurrent write that sorts before the cursor must not shift later pages.
                var extra = new Patient { BirthDate = "1970-01-01", Meta = new Meta { Tag = [new Coding("urn:yteso:test", "paging-" + Guid.NewGuid().ToString("N"))] } };
                await fhir.CreateAsync(extra);
                first = false;
            }

            var next = page.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null)
            {
                break;
            }

            page = await fhir.SearchAsync(next);
        }

        Assert.Equal(4, total);
        Assert.Equal(["p2", "p4", "p1", "p3"], seen.Select(id => names[id]));
    }

    [Fact]
    public async Task Total_summary_count_and_elements_shape_the_result()
    {
        using var fhir = data.CreateFhirClient();
        var tag = Uri.EscapeDataString(data.Tag);

        var counted = await fhir.SearchAsync($"Patient?_tag={tag}&_summary=count");
        var elements = await fhir.SearchAsync($"Patient?_tag={tag}&_id={data.Ids["p1"]}&_elements=identifier");

        Assert.Equal(4, counted.Total);
        Assert.Empty(counted.Entry);
        var patient = (Patient)elements.Entry.Single().Resource;
        Assert.Empty(patient.Name);
        Assert.Single(patient.Identifier);
    }

    [Fact]
    public async Task Include_and_revinclude_add_the_referenced_and_referring_resources()
    {
        using var fhir = data.CreateFhirClient();
        var tag = Uri.EscapeDataString(data.Tag);

        var included = await fhir.SearchAsync($"Observation?_tag={tag}&_id={data.Ids["o1"]}&_include=Observation:subject");
        var revIncluded = await fhir.SearchAsync($"Patient?_tag={tag}&_id={data.Ids["p1"]}&_revinclude=Observation:subject");

        Assert.Equal([data.Ids["o1"]], included.MatchIds());
        Assert.Equal([data.Ids["p1"]], included.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Resource.Id));
        Assert.Equal(
            new[] { data.Ids["o1"], data.Ids["o2"] }.Order(),
            revIncluded.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => e.Resource.Id).Order());
    }

    [Fact]
    public async Task Unknown_parameters_fail_under_strict_handling_and_are_reported_under_lenient()
    {
        using var fhir = data.CreateFhirClient();
        using var strict = new HttpRequestMessage(HttpMethod.Get, "Patient?nonsense=1");
        strict.Headers.Add("Prefer", "handling=strict");

        using var strictResponse = await fhir.SendAsync(strict);
        var lenient = await fhir.SearchAsync($"Patient?nonsense=1&_tag={Uri.EscapeDataString(data.Tag)}");

        Assert.Equal(HttpStatusCode.BadRequest, strictResponse.StatusCode);
        Assert.IsType<OperationOutcome>(await strictResponse.ReadAsync<OperationOutcome>());
        Assert.Equal(4, lenient.MatchIds().Count);
        Assert.Contains(lenient.Entry, e => e.Search.Mode == Bundle.SearchEntryMode.Outcome && e.Resource is OperationOutcome);
    }

    [Fact]
    public async Task Searching_by_post_gives_the_same_result_as_by_get()
    {
        using var fhir = data.CreateFhirClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = "nguyen", ["_tag"] = data.Tag });

        using var response = await fhir.PostAsync("Patient/_search", form);
        var bundle = await response.ReadAsync<Bundle>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new[] { data.Ids["p1"], data.Ids["p2"] }.Order(), bundle.MatchIds().Order());
    }

    [Theory]
    [InlineData("Patient?birthdate=xx1990")]
    [InlineData("Patient?birthdate=1990-13-45")]
    [InlineData("RiskAssessment?probability=abc")]
    [InlineData("Observation?value-quantity=gt%7C%7Ckg")]
    [InlineData("Patient?gender:exact=male")]
    [InlineData("Patient?_sort=nonsense")]
    [InlineData("Patient?_count=-1")]
    [InlineData("Patient?_cursor=not-a-cursor")]
    [InlineData("Observation?subject.nonsense=1")]
    [InlineData("Patient?_include=Observation:subject")]
    [InlineData("NotAType?name=x")]
    public async Task Malformed_search_values_get_a_4xx_outcome(string url)
    {
        using var fhir = data.CreateFhirClient();

        using var response = await fhir.GetAsync(url);

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.NotFound, $"{url} answered {(int)response.StatusCode}");
        Assert.NotEmpty((await response.ReadAsync<OperationOutcome>()).Issue);
    }

    private static string[] Split(string expected) =>
        expected.Length == 0 ? [] : [.. expected.Split(',').Order(StringComparer.Ordinal)];
}
