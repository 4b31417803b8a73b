using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Fhir.Storage;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>Bulk Data $export: kick-off, status polling, manifest, NDJSON files; and jobs cut off by a restart.</summary>
public sealed class BulkExportTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task A_type_export_delivers_every_current_resource_of_those_types_as_ndjson()
    {
        using var fhir = app.CreateFhirClient();
        var patient = await fhir.CreateAsync(new Patient { Name = [new HumanName { Family = "Hoàng", Given = ["Văn", "Thái"] }] });
        for (var i = 0; i < 3; i++)
        {
            await fhir.CreateAsync(new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept("http://loinc.org", "8867-4", "Nhịp tim"),
                Subject = new ResourceReference($"Patient/{patient.Id}"),
                Value = new Quantity(70 + i, "/min"),
            });
        }

        var deleted = await fhir.CreateAsync(new Patient { Name = [new HumanName { Family = "Xóa" }] });
        using (await fhir.DeleteAsync($"Patient/{deleted.Id}", TestContext.Current.CancellationToken))
        {
        }

        var manifest = await ExportAsync(fhir, "$export?_type=Patient,Observation");

        var files = manifest["output"]!.AsArray().ToDictionary(o => (string)o!["type"]!, o => (string)o!["url"]!);
        Assert.Equal(["Observation", "Patient"], files.Keys.Order(StringComparer.Ordinal));
        var parser = new FhirJsonDeserializer();
        var patients = await LinesAsync(fhir, files["Patient"]);
        var observations = await LinesAsync(fhir, files["Observation"]);
        Assert.Contains(patients, line => parser.Deserialize<Patient>(line).Id == patient.Id);
        Assert.DoesNotContain(patients, line => parser.Deserialize<Patient>(line).Id == deleted.Id);
        Assert.Equal(3, observations.Count(line => parser.Deserialize<Observation>(line).Subject.Reference == $"Patient/{patient.Id}"));
    }

    [Fact]
    public async Task A_kick_off_without_respond_async_is_refused_with_400()
    {
        using var fhir = app.CreateFhirClient();

        using var response = await fhir.GetAsync("$export", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.IsType<OperationOutcome>(await response.ReadAsync<OperationOutcome>());
    }

    [Fact]
    public async Task A_job_cut_off_by_a_restart_reports_failure_instead_of_running_forever()
    {
        var store = app.Services.GetRequiredService<FhirStore>();
        var job = Guid.NewGuid().ToString("N");
        await using (var connection = await store.Database.OpenAsync(TestContext.Current.CancellationToken))
        {
            await using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO export_jobs (job_id, status, request_url, created_at, requested_by) VALUES (@j, 'in-progress', 'http://x/fhir/$export', 0, @o)";
            FhirStore.AddParameter(insert, "@j", job);
            FhirStore.AddParameter(insert, "@o", "client/" + YTeSoApp.TestClientId);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await app.Services.InitializeFhirAsync(TestContext.Current.CancellationToken); // what a restart runs first

        using var fhir = app.CreateFhirClient();
        using var status = await fhir.GetAsync($"$export-status/{job}", TestContext.Current.CancellationToken);
        var outcome = await status.ReadAsync<OperationOutcome>();
        Assert.Equal(HttpStatusCode.InternalServerError, status.StatusCode);
        Assert.Contains("restart", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    private static async Task<JsonNode> ExportAsync(HttpClient fhir, string kickOff) =>
        await fhir.WaitForExportAsync(await fhir.StartExportAsync(kickOff));

    private static async Task<List<string>> LinesAsync(HttpClient fhir, string url)
    {
        var text = await fhir.GetStringAsync(url, TestContext.Current.CancellationToken);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
