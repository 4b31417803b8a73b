using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// Malformed and hostile input gets a precise 4xx OperationOutcome and leaves the database exactly as it was
/// (checked through the system history, which counts every version ever written).
/// </summary>
public sealed class BadInputTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    public static TheoryData<string, string, string> HostileBodies()
    {
        var data = new TheoryData<string, string, string>
        {
            { "truncated JSON", "Patient", """{"resourceType":"Patient","name":[{"family":"Ng""" },
            { "wrong resourceType for the URL", "Patient", """{"resourceType":"Observation","status":"final","code":{"text":"x"}}""" },
            { "unknown resourceType", "Patient", """{"resourceType":"Benhnhan","name":"x"}""" },
            { "not an object", "Patient", """[1,2,3]""" },
            { "empty body", "Patient", "" },
            { "invalid calendar date", "Patient", """{"resourceType":"Patient","birthDate":"1990-02-30"}""" },
            { "wrong datatype", "Patient", """{"resourceType":"Patient","active":"yes"}""" },
            { "number for a code", "Patient", """{"resourceType":"Patient","gender":5}""" },
            { "unknown element", "Patient", """{"resourceType":"Patient","tenBenhNhan":"x"}""" },
            { "malformed reference", "Observation", """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/"}}""" },
            { "reference to a missing resource", "Observation", """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/khong-co"}}""" },
            { "bundle-internal reference outside a transaction", "Observation", """{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"urn:uuid:5d4b0a0e-0000-0000-0000-000000000000"}}""" },
            { "deeply nested JSON", "Patient", """{"resourceType":"Patient","extension":""" + string.Concat(Enumerable.Repeat("[", 5000)) + string.Concat(Enumerable.Repeat("]", 5000)) + "}" },
            { "a 2 MB string", "Patient", """{"resourceType":"Patient","name":[{"family":" """ + new string('A', 2 * 1024 * 1024) + "\"}]}" },
        };
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_bodies_get_a_4xx_outcome_and_write_nothing(string why, string type, string body)
    {
        using var fhir = app.CreateFhirClient();
        var before = await VersionsWrittenAsync(fhir);

        using var response = await fhir.PostAsync(type, new StringContent(body, Encoding.UTF8, "application/fhir+json"));
        var outcome = await response.ReadAsync<OperationOutcome>();

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{why}: answered {(int)response.StatusCode}");
        Assert.Contains(outcome.Issue, i => i.Severity == OperationOutcome.IssueSeverity.Error && !string.IsNullOrEmpty(i.Diagnostics));
        Assert.Equal(before, await VersionsWrittenAsync(fhir));
    }

    [Fact]
    public async Task Five_megabytes_of_garbage_get_a_400_and_write_nothing()
    {
        using var fhir = app.CreateFhirClient();
        var garbage = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(garbage);
        var before = await VersionsWrittenAsync(fhir);

        using var response = await fhir.PostAsync("Patient", new ByteArrayContent(garbage) { Headers = { ContentType = new("application/fhir+json") } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsType<OperationOutcome>(await response.ReadAsync<OperationOutcome>());
        Assert.Equal(before, await VersionsWrittenAsync(fhir));
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413()
    {
        using var fhir = app.CreateFhirClient();
        var huge = """{"resourceType":"Patient","name":[{"family":" """ + new string('B', 17 * 1024 * 1024) + "\"}]}";

        using var response = await fhir.PostAsync("Patient", new StringContent(huge, Encoding.UTF8, "application/fhir+json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Xml_with_a_document_type_definition_is_refused()
    {
        using var fhir = app.CreateFhirClient();
        const string xxe = """<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Patient xmlns="http://hl7.org/fhir"><name><family value="&x;"/></name></Patient>""";

        using var response = await fhir.PostAsync("Patient", new StringContent(xxe, Encoding.UTF8, "application/fhir+xml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transaction_with_a_dangling_reference_writes_none_of_its_entries()
    {
        using var fhir = app.CreateFhirClient();
        var before = await VersionsWrittenAsync(fhir);
        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = "urn:uuid:" + Guid.NewGuid(),
            Resource = new Patient { Name = [new HumanName { Family = "Mai" }] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "x" }, Subject = new ResourceReference("Patient/khong-ton-tai") },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });

        using var response = await fhir.PostAsync(string.Empty, FhirHttp.Json(transaction));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("Patient/khong-ton-tai", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, await VersionsWrittenAsync(fhir));
    }

    [Fact]
    public async Task A_transaction_with_an_unresolved_urn_uuid_writes_nothing()
    {
        using var fhir = app.CreateFhirClient();
        var before = await VersionsWrittenAsync(fhir);
        var transaction = new Bundle { Type = Bundle.BundleType.Transaction };
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Patient { Name = [new HumanName { Family = "Mai" }] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        transaction.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "x" }, Subject = new ResourceReference("urn:uuid:" + Guid.NewGuid()) },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });

        using var response = await fhir.PostAsync(string.Empty, FhirHttp.Json(transaction));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(before, await VersionsWrittenAsync(fhir));
    }

    [Fact]
    public async Task A_batch_reports_each_failed_entry_and_keeps_the_good_ones()
    {
        using var fhir = app.CreateFhirClient();
        var batch = new Bundle { Type = Bundle.BundleType.Batch };
        batch.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Patient { Name = [new HumanName { Family = "Tốt" }] },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Patient" },
        });
        batch.Entry.Add(new Bundle.EntryComponent
        {
            Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept { Text = "x" }, Subject = new ResourceReference("Patient/khong-ton-tai") },
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Observation" },
        });
        batch.Entry.Add(new Bundle.EntryComponent { Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = "Patient/khong-ton-tai" } });

        using var response = await fhir.PostAsync(string.Empty, FhirHttp.Json(batch));
        var result = await response.ReadAsync<Bundle>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Bundle.BundleType.BatchResponse, result.Type);
        Assert.StartsWith("201", result.Entry[0].Response.Status, StringComparison.Ordinal);
        Assert.StartsWith("422", result.Entry[1].Response.Status, StringComparison.Ordinal);
        Assert.StartsWith("404", result.Entry[2].Response.Status, StringComparison.Ordinal);
        Assert.IsType<OperationOutcome>(result.Entry[1].Response.Outcome);
    }

    [Fact]
    public async Task Posting_a_non_batch_bundle_to_the_base_is_a_400()
    {
        using var fhir = app.CreateFhirClient();

        using var response = await fhir.PostAsync(string.Empty, FhirHttp.Json(new Bundle { Type = Bundle.BundleType.Collection }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<int?> VersionsWrittenAsync(HttpClient fhir) => (await fhir.SearchAsync("_history?_count=1")).Total;
}
