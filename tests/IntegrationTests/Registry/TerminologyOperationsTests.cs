using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Registry.Terminology.ShippedLists;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// Issue 5's terminology operations over HTTP on the real host, on the code lists every start loads: $expand with a
/// filter typed without diacritics and paging, MA_LOAI_KCB versioned by date (QĐ 824 PL1 to 31/07/2026, QĐ 1804 from
/// 01/08/2026), $lookup, $validate-code, bad requests as OperationOutcome with 4xx, and a second start writing nothing.
/// </summary>
public sealed class TerminologyOperationsTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private const string Icd10 = "http://hl7.org/fhir/sid/icd-10";
    private const string Icd10ValueSet = "https://yteso.vn/fhir/ValueSet/icd-10";
    private const string VisitTypes = "https://yteso.vn/fhir/CodeSystem/ma-loai-kcb";

    [Fact]
    public async Task Expanding_icd10_with_a_filter_typed_without_diacritics_finds_the_diabetes_and_hypertension_codes()
    {
        using var fhir = app.CreateFhirClient();

        var (status, diabetes) = await fhir.SendAsync<ValueSet>(HttpMethod.Get, $"ValueSet/$expand?url={Icd10ValueSet}&filter=dai thao duong");
        var hypertension = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, $"ValueSet/icd-10/$expand?filter=tang huyet ap")).Resource;
        var byCode = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, $"ValueSet/icd-10/$expand?filter=e11")).Resource;

        Assert.Equal(HttpStatusCode.OK, status);
        var codes = diabetes.Expansion.Contains.Select(c => c.Code).ToList();
        Assert.Contains("E11.9", codes);
        Assert.Contains("E10", codes);
        Assert.DoesNotContain("I10", codes);
        Assert.All(diabetes.Expansion.Contains, c => Assert.Contains("Đái tháo đường", c.Display, StringComparison.Ordinal));
        Assert.Equal(codes.Count, diabetes.Expansion.Total);
        Assert.Contains(hypertension.Expansion.Contains, c => c.Code == "I10" && c.Display == "Tăng huyết áp vô căn (nguyên phát)" && c.System == Icd10);
        Assert.Equal(["E11", "E11.2", "E11.9"], byCode.Expansion.Contains.Select(c => c.Code!).ToArray());
    }

    [Fact]
    public async Task Expansion_pages_with_count_and_offset_and_reports_the_total()
    {
        using var fhir = app.CreateFhirClient();

        var all = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/icd-10/$expand?filter=viem")).Resource;
        var first = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/icd-10/$expand?filter=viem&count=3")).Resource;
        var second = (await fhir.SendAsync<ValueSet>(HttpMethod.Post, "ValueSet/icd-10/$expand", new Parameters()
            .Add("filter", new FhirString("viem")).Add("count", new Integer(3)).Add("offset", new Integer(3)))).Resource;

        Assert.True(all.Expansion.Total > 6, $"{all.Expansion.Total} concepts match 'viem'");
        Assert.Equal(all.Expansion.Total, first.Expansion.Total);
        Assert.Equal(all.Expansion.Contains.Take(3).Select(c => c.Code), first.Expansion.Contains.Select(c => c.Code));
        Assert.Equal(all.Expansion.Contains.Skip(3).Take(3).Select(c => c.Code), second.Expansion.Contains.Select(c => c.Code));
        Assert.Equal(3, second.Expansion.Offset);
    }

    [Fact]
    public async Task Visit_type_14_telehealth_is_valid_from_august_2026_and_not_before()
    {
        using var fhir = app.CreateFhirClient();

        var september = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$validate-code?url={VisitTypes}&code=14&date=2026-09-01")).Resource;
        var january = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$validate-code?url={VisitTypes}&code=14&date=2026-01-01")).Resource;
        var lookup = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$lookup?system={VisitTypes}&code=14&date=2026-09-01")).Resource;
        var oldVersion = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$lookup?system={VisitTypes}&code=02&date=2026-07-31")).Resource;
        var expansion = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/ma-loai-kcb/$expand?date=2026-08-01")).Resource;

        Assert.True(september.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Equal("KCB từ xa", september.GetSingleValue<FhirString>("display").Value);
        Assert.False(january.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Contains("824", january.GetSingleValue<FhirString>("message").Value, StringComparison.Ordinal);
        Assert.Equal("1804/QĐ-BYT", lookup.GetSingleValue<FhirString>("version").Value);
        Assert.Equal("Điều trị ngoại trú", oldVersion.GetSingleValue<FhirString>("display").Value);
        Assert.Equal(16, expansion.Expansion.Total);
    }

    [Fact]
    public async Task Lookup_gives_the_display_the_english_designation_and_the_parent_of_an_icd10_code()
    {
        using var fhir = app.CreateFhirClient();

        var (status, result) = await fhir.SendAsync<Parameters>(HttpMethod.Post, "CodeSystem/$lookup", new Parameters()
            .Add("coding", new Coding(Icd10, "E11.9")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Đái tháo đường không phụ thuộc insulin, không có biến chứng", result.GetSingleValue<FhirString>("display").Value);
        var properties = result.Get("property").ToDictionary(p => ((Code)p.Part.Single(x => x.Name == "code").Value).Value!, p => p.Part.Single(x => x.Name == "value").Value);
        Assert.Equal("E11", ((Code)properties["parent"]).Value);
        Assert.Contains(result.Get("designation"), d => d.Part.Any(p => p.Value is FhirString { Value: "Non-insulin-dependent diabetes mellitus without complications" }));
    }

    [Fact]
    public async Task Validate_code_says_true_with_the_display_or_false_with_a_reason()
    {
        using var fhir = app.CreateFhirClient();

        var good = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"ValueSet/$validate-code?url={Icd10ValueSet}&system={Icd10}&code=I10")).Resource;
        var unknown = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"ValueSet/icd-10/$validate-code?code=Q99.9")).Resource;
        var wrongDisplay = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$validate-code?url=https://yteso.vn/fhir/CodeSystem/gioi-tinh&code=2&display=Nam")).Resource;
        var folded = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$validate-code?url=https://yteso.vn/fhir/CodeSystem/gioi-tinh&code=2&display=nu")).Resource;

        Assert.True(good.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Equal("Tăng huyết áp vô căn (nguyên phát)", good.GetSingleValue<FhirString>("display").Value);
        Assert.False(unknown.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Contains("Q99.9", unknown.GetSingleValue<FhirString>("message").Value, StringComparison.Ordinal);
        Assert.False(wrongDisplay.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Contains("'Nữ'", wrongDisplay.GetSingleValue<FhirString>("message").Value, StringComparison.Ordinal);
        Assert.True(folded.GetSingleValue<FhirBoolean>("result").Value);
    }

    [Theory]
    [InlineData("GET", "ValueSet/$expand?url=https://yteso.vn/fhir/ValueSet/khong-co", 404, "khong-co")]
    [InlineData("GET", "ValueSet/khong-co/$expand", 404, "ValueSet/khong-co")]
    [InlineData("GET", "ValueSet/$expand", 400, "url")]
    [InlineData("GET", "ValueSet/icd-10/$expand?count=nhieu", 400, "count")]
    [InlineData("GET", "ValueSet/icd-10/$expand?date=31/02/2026", 400, "date")]
    [InlineData("GET", "CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10", 400, "code")]
    [InlineData("GET", "CodeSystem/$lookup?system=http://example.org/khong-co&code=1", 404, "Unknown code system")]
    [InlineData("GET", "CodeSystem/$lookup?system=http://hl7.org/fhir/sid/icd-10&code=Q99.9", 404, "Q99.9")]
    [InlineData("GET", "CodeSystem/$validate-code?url=https://yteso.vn/fhir/CodeSystem/ma-loai-kcb&code=01&version=9999", 200, "no version '9999'")]
    [InlineData("GET", "ConceptMap/$translate?system=http://hl7.org/fhir/sid/icd-10", 400, "code")]
    [InlineData("GET", "ConceptMap/khong-co/$translate?system=a&code=b", 404, "ConceptMap/khong-co")]
    [InlineData("POST", "ValueSet/$expand", 400, "Parameters")]
    [InlineData("POST", "CodeSystem/$lookup", 400, "{")]
    public async Task A_bad_request_is_answered_with_an_operation_outcome_and_a_4xx(string method, string url, int expected, string mentioned)
    {
        using var fhir = app.CreateFhirClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method == "POST")
        {
            // The first POST sends a resource that is not Parameters; the second is not JSON at all.
            request.Content = FhirHttp.Json(mentioned == "Parameters" ? "{\"resourceType\":\"Patient\",\"active\":true}" : "{ not json");
        }

        using var response = await fhir.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.Contains(expected == 200 ? "\"resourceType\":\"Parameters\"" : "\"resourceType\":\"OperationOutcome\"", body, StringComparison.Ordinal);
        if (mentioned != "{")
        {
            Assert.Contains(mentioned, body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_code_system_and_value_set_written_through_the_api_answer_at_once_and_an_update_is_seen()
    {
        using var fhir = app.CreateFhirClient();
        const string url = "https://example.org/fhir/CodeSystem/phan-loai-thu";
        var codeSystem = new CodeSystem
        {
            Id = "phan-loai-thu",
            Url = url,
            Version = "1",
            Status = PublicationStatus.Active,
            Content = CodeSystemContentMode.Complete,
            Concept = [new() { Code = "A", Display = "Nhẹ" }, new() { Code = "B", Display = "Trung bình" }, new() { Code = "C", Display = "Nặng" }],
        };
        var valueSet = new ValueSet
        {
            Id = "phan-loai-thu-nang",
            Url = "https://example.org/fhir/ValueSet/phan-loai-thu-nang",
            Status = PublicationStatus.Active,
            Compose = new ValueSet.ComposeComponent { Include = [new() { System = url, Concept = [new() { Code = "C" }, new() { Code = "B" }] }] },
        };

        Assert.Equal(HttpStatusCode.Created, (await fhir.SendAsync<CodeSystem>(HttpMethod.Put, "CodeSystem/phan-loai-thu", codeSystem)).Status);
        Assert.Equal(HttpStatusCode.Created, (await fhir.SendAsync<ValueSet>(HttpMethod.Put, "ValueSet/phan-loai-thu-nang", valueSet)).Status);
        var expansion = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/phan-loai-thu-nang/$expand")).Resource;
        var outside = (await fhir.SendAsync<Parameters>(HttpMethod.Get, "ValueSet/phan-loai-thu-nang/$validate-code?code=A")).Resource;
        codeSystem.Concept[2].Display = "Rất nặng";
        await fhir.SendAsync<CodeSystem>(HttpMethod.Put, "CodeSystem/phan-loai-thu", codeSystem);
        var updated = (await fhir.SendAsync<Parameters>(HttpMethod.Get, $"CodeSystem/$lookup?system={url}&code=C")).Resource;

        Assert.Equal(["C", "B"], expansion.Expansion.Contains.Select(c => c.Code!).ToArray());
        Assert.False(outside.GetSingleValue<FhirBoolean>("result").Value);
        Assert.Equal("Rất nặng", updated.GetSingleValue<FhirString>("display").Value);
    }

    [Fact]
    public async Task The_shipped_lists_are_stored_resources_and_a_second_start_writes_no_new_version()
    {
        using var fhir = app.CreateFhirClient();
        var loader = app.Services.GetServices<IHostedService>().OfType<ShippedCodeLists>().Single();

        await loader.StartAsync(TestContext.Current.CancellationToken);
        var versions = await fhir.SearchAsync($"CodeSystem?url={VisitTypes}");
        var history = await fhir.SearchAsync("CodeSystem/ma-loai-kcb-qd1804/_history");
        var ethnicGroups = (await fhir.SendAsync<ValueSet>(HttpMethod.Get, "ValueSet/dan-toc/$expand?filter=mong")).Resource;

        Assert.Equal(["1804/QĐ-BYT", "824/QĐ-BYT-PL1"], versions.Entry.Select(e => ((CodeSystem)e.Resource).Version!).Order(StringComparer.Ordinal).ToArray());
        Assert.Single(history.Entry);
        Assert.Equal(54, ((CodeSystem)(await fhir.SearchAsync("CodeSystem?_id=dan-toc-gso")).Entry.Single().Resource).Concept.Count);
        Assert.Equal("08", Assert.Single(ethnicGroups.Expansion.Contains).Code);
    }
}
