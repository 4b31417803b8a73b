using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>The HTTP contract of FHIR R4 http.html: statuses, version headers, conditional interactions, Prefer, formats.</summary>
public sealed class RestInteractionTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private static Patient NewPatient(string family = "Võ") => new()
    {
        Name = [new HumanName { Family = family, Given = ["Thanh", "Tâm"] }],
        Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", "0" + Random.Shared.NextInt64(10_000_000_000, 99_999_999_999))],
    };

    [Fact]
    public async Task Create_answers_201_with_location_etag_and_last_modified_and_ignores_the_body_id()
    {
        using var fhir = app.CreateFhirClient();
        var patient = NewPatient();
        patient.Id = "client-chosen";

        using var response = await fhir.PostAsync("Patient", FhirHttp.Json(patient));
        var created = await response.ReadAsync<Patient>();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEqual("client-chosen", created.Id);
        Assert.EndsWith($"/fhir/Patient/{created.Id}/_history/1", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal("W/\"1\"", response.Headers.ETag!.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.Equal("1", created.Meta.VersionId);
    }

    [Fact]
    public async Task Update_versions_the_resource_and_vread_returns_each_version()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(NewPatient());
        created.Gender = AdministrativeGender.Female;

        using var update = await fhir.PutAsync($"Patient/{created.Id}", FhirHttp.Json(created));
        using var v1 = await fhir.GetAsync($"Patient/{created.Id}/_history/1");
        using var v2 = await fhir.GetAsync($"Patient/{created.Id}/_history/2");
        using var v3 = await fhir.GetAsync($"Patient/{created.Id}/_history/3");

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("W/\"2\"", update.Headers.ETag!.ToString());
        Assert.Null((await v1.ReadAsync<Patient>()).Gender);
        Assert.Equal(AdministrativeGender.Female, (await v2.ReadAsync<Patient>()).Gender);
        Assert.Equal(HttpStatusCode.NotFound, v3.StatusCode);
    }

    [Fact]
    public async Task Update_of_an_unknown_id_creates_it_with_that_id()
    {
        using var fhir = app.CreateFhirClient();
        var id = "vn-" + Guid.NewGuid().ToString("N")[..12];
        var patient = NewPatient();
        patient.Id = id;

        using var response = await fhir.PutAsync($"Patient/{id}", FhirHttp.Json(patient));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(id, (await response.ReadAsync<Patient>()).Id);
    }

    [Fact]
    public async Task If_match_with_a_stale_version_is_refused_with_412()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(NewPatient());
        using (var first = await fhir.PutAsync($"Patient/{created.Id}", FhirHttp.Json(created)))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        using var stale = new HttpRequestMessage(HttpMethod.Put, $"Patient/{created.Id}") { Content = FhirHttp.Json(created) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\"", isWeak: true));
        using var response = await fhir.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.IsType<OperationOutcome>(await response.ReadAsync<OperationOutcome>());
    }

    [Fact]
    public async Task Deleted_resources_answer_410_and_keep_their_history()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(NewPatient());

        using var delete = await fhir.DeleteAsync($"Patient/{created.Id}");
        using var read = await fhir.GetAsync($"Patient/{created.Id}");
        var history = await fhir.SearchAsync($"Patient/{created.Id}/_history");
        using var deleteAgain = await fhir.DeleteAsync($"Patient/{created.Id}");

        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, read.StatusCode);
        Assert.Equal(2, history.Entry.Count);
        Assert.Equal(Bundle.HTTPVerb.DELETE, history.Entry[0].Request.Method);
        Assert.Equal(HttpStatusCode.NoContent, deleteAgain.StatusCode);
    }

    [Fact]
    public async Task Conditional_create_returns_the_existing_resource_instead_of_a_duplicate()
    {
        using var fhir = app.CreateFhirClient();
        var patient = NewPatient();
        var cccd = patient.Identifier[0].Value;
        using var first = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = FhirHttp.Json(patient) };
        first.Headers.Add("If-None-Exist", $"identifier=https://yteso.vn/fhir/sid/cccd|{cccd}");
        using var second = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = FhirHttp.Json(patient) };
        second.Headers.Add("If-None-Exist", $"identifier=https://yteso.vn/fhir/sid/cccd|{cccd}");

        using var created = await fhir.SendAsync(first);
        using var existing = await fhir.SendAsync(second);
        var matches = await fhir.SearchAsync($"Patient?identifier={cccd}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, existing.StatusCode);
        Assert.Single(matches.MatchIds());
    }

    [Fact]
    public async Task Conditional_update_and_delete_act_on_the_single_match()
    {
        using var fhir = app.CreateFhirClient();
        var patient = NewPatient("Đoàn");
        var cccd = patient.Identifier[0].Value;
        var created = await fhir.CreateAsync(patient);
        patient.BirthDate = "1970-01-01";

        using var update = await fhir.PutAsync($"Patient?identifier={cccd}", FhirHttp.Json(patient));
        var updated = await update.ReadAsync<Patient>();
        using var delete = await fhir.DeleteAsync($"Patient?identifier={cccd}");
        using var read = await fhir.GetAsync($"Patient/{created.Id}");

        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal("2", updated.Meta.VersionId);
        Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, read.StatusCode);
    }

    [Fact]
    public async Task Conditional_update_matching_several_resources_is_refused_with_412()
    {
        using var fhir = app.CreateFhirClient();
        var family = "Trùng" + Guid.NewGuid().ToString("N")[..6];
        await fhir.CreateAsync(NewPatient(family));
        await fhir.CreateAsync(NewPatient(family));

        using var response = await fhir.PutAsync($"Patient?family={family}", FhirHttp.Json(NewPatient(family)));

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    [Fact]
    public async Task Prefer_return_minimal_and_operation_outcome_change_the_body()
    {
        using var fhir = app.CreateFhirClient();
        using var minimal = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = FhirHttp.Json(NewPatient()) };
        minimal.Headers.Add("Prefer", "return=minimal");
        using var outcome = new HttpRequestMessage(HttpMethod.Post, "Patient") { Content = FhirHttp.Json(NewPatient()) };
        outcome.Headers.Add("Prefer", "return=OperationOutcome");

        using var minimalResponse = await fhir.SendAsync(minimal);
        using var outcomeResponse = await fhir.SendAsync(outcome);

        Assert.Equal(HttpStatusCode.Created, minimalResponse.StatusCode);
        Assert.Empty(await minimalResponse.Content.ReadAsStringAsync());
        Assert.NotNull(minimalResponse.Headers.Location);
        Assert.IsType<OperationOutcome>(await outcomeResponse.ReadAsync<OperationOutcome>());
    }

    [Fact]
    public async Task Json_patch_changes_the_resource_and_a_failed_test_changes_nothing()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(NewPatient());
        const string patch = """[{ "op": "add", "path": "/birthDate", "value": "1999-09-09" }, { "op": "replace", "path": "/name/0/family", "value": "Huỳnh" }]""";
        const string failing = """[{ "op": "test", "path": "/birthDate", "value": "2000-01-01" }, { "op": "remove", "path": "/name" }]""";

        using var patched = await fhir.PatchAsync($"Patient/{created.Id}", new StringContent(patch, Encoding.UTF8, "application/json-patch+json"));
        using var refused = await fhir.PatchAsync($"Patient/{created.Id}", new StringContent(failing, Encoding.UTF8, "application/json-patch+json"));
        using var read = await fhir.GetAsync($"Patient/{created.Id}");
        var current = await read.ReadAsync<Patient>();

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("1999-09-09", current.BirthDate);
        Assert.Equal("Huỳnh", current.Name[0].Family);
        Assert.Equal("2", current.Meta.VersionId);
    }

    [Fact]
    public async Task Xml_is_accepted_and_returned_when_asked_for()
    {
        using var fhir = app.CreateFhirClient();
        const string xml = """<Patient xmlns="http://hl7.org/fhir"><name><family value="Đinh"/><given value="Bảo"/></name><gender value="male"/></Patient>""";

        using var created = await fhir.PostAsync("Patient?_format=xml", new StringContent(xml, Encoding.UTF8, "application/fhir+xml"));
        var text = await created.Content.ReadAsStringAsync();
        var location = created.Headers.Location!.ToString();
        using var json = await fhir.GetAsync(location.Replace("/_history/1", string.Empty, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.StartsWith("application/fhir+xml", created.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        Assert.Contains("<family value=\"Đinh\" />", text, StringComparison.Ordinal);
        Assert.Equal("Đinh", (await json.ReadAsync<Patient>()).Name[0].Family);
    }

    [Fact]
    public async Task History_pages_by_count_and_filters_by_since()
    {
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(NewPatient());
        for (var i = 0; i < 4; i++)
        {
            created.BirthDate = $"200{i}-01-01";
            created = await (await fhir.PutAsync($"Patient/{created.Id}", FhirHttp.Json(created))).ReadAsync<Patient>();
        }

        var firstPage = await fhir.SearchAsync($"Patient/{created.Id}/_history?_count=2");
        var secondPage = await fhir.SearchAsync(firstPage.Link.Single(l => l.Relation == "next").Url);
        var since = await fhir.SearchAsync($"Patient/{created.Id}/_history?_since={Uri.EscapeDataString(created.Meta.LastUpdated!.Value.AddMilliseconds(-1).ToString("o"))}");
        var typeHistory = await fhir.SearchAsync("Patient/_history?_count=1");

        Assert.Equal(5, firstPage.Total);
        Assert.Equal(["5", "4"], firstPage.Entry.Select(e => e.Resource.Meta.VersionId));
        Assert.Equal(["3", "2"], secondPage.Entry.Select(e => e.Resource.Meta.VersionId));
        Assert.Equal(["5"], since.Entry.Select(e => e.Resource.Meta.VersionId));
        Assert.True(typeHistory.Total >= 5);
    }

    [Fact]
    public async Task Unknown_types_and_ids_answer_404_with_an_outcome()
    {
        using var fhir = app.CreateFhirClient();

        using var unknownType = await fhir.GetAsync("Benhnhan/1");
        using var unknownId = await fhir.GetAsync("Patient/does-not-exist");

        Assert.Equal(HttpStatusCode.NotFound, unknownType.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownId.StatusCode);
        Assert.IsType<OperationOutcome>(await unknownId.ReadAsync<OperationOutcome>());
    }
}
