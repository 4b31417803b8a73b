using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir;

/// <summary>
/// The 500 Synthea patient bundles of ../shared/data (real-world-shaped transactions of 100-1,000 entries with
/// urn:uuid references) import through the transaction endpoint, and $everything returns exactly one patient's data.
/// </summary>
public sealed class SyntheaImportTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task All_500_synthea_bundles_import_with_every_reference_resolved_and_everything_returns_one_patients_data()
    {
        var archive = SharedData.RequireFile("synthea-r4-500.tgz");
        using var fhir = app.CreateFhirClient();
        var imported = 0;
        var expectedTypes = new Dictionary<string, int>(StringComparer.Ordinal);
        List<string>? firstLocations = null;

        await using (var tar = new TarReader(new GZipStream(File.OpenRead(archive), CompressionMode.Decompress)))
        {
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.DataStream is null || !entry.Name.EndsWith(".json", StringComparison.Ordinal))
                {
                    continue;
                }

                using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
                var json = await reader.ReadToEndAsync();
                using var response = await fhir.PostAsync(string.Empty, FhirHttp.Json(json));
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{entry.Name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
                var entries = JsonNode.Parse(body)!["entry"]!.AsArray();
                Assert.All(entries, e => Assert.StartsWith("201", (string?)e!["response"]!["status"], StringComparison.Ordinal));
                foreach (var type in JsonNode.Parse(json)!["entry"]!.AsArray().Select(e => (string)e!["resource"]!["resourceType"]!))
                {
                    expectedTypes[type] = expectedTypes.GetValueOrDefault(type) + 1;
                }

                firstLocations ??= [.. entries.Select(e => ((string)e!["response"]!["location"]!).Split("/_history")[0])];
                imported++;
            }
        }

        Assert.Equal(500, imported);

        // Every reference resolved: no stored reference still points into a bundle (urn:uuid) and each local one exists.
        var observations = await fhir.SearchAsync("Observation?_count=50&_include=Observation:subject&_include=Observation:encounter");
        Assert.All(observations.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Match).Select(e => (Observation)e.Resource), o =>
        {
            Assert.StartsWith("Patient/", o.Subject.Reference, StringComparison.Ordinal);
            Assert.Contains(observations.Entry, e => $"{e.Resource.TypeName}/{e.Resource.Id}" == o.Subject.Reference);
        });
        // The facilities' Patients, then the MPI's golden records derived from them (one per person, never more).
        var patients = await fhir.SearchAsync("Patient?_summary=count");
        Assert.Equal(expectedTypes["Patient"], patients.Total);
        var golden = await fhir.SearchAsync("Person?_summary=count&_tag=https://yteso.vn/fhir/CodeSystem/mpi|golden");
        Assert.InRange(golden.Total ?? 0, 1, expectedTypes["Patient"]);
        var unresolved = await fhir.SearchAsync("Observation?subject:missing=true&_summary=count");
        Assert.Equal(0, unresolved.Total);

        // $everything for the first bundle's patient returns exactly that bundle's resources, and the MPI's golden record
        // (a Person linking to the patient through Person.link, which the R4 Patient compartment includes).
        var goldenOfFirst = (await fhir.SearchAsync($"Person?patient={firstLocations!.First(l => l.StartsWith("Patient/", StringComparison.Ordinal))}")).MatchIds();
        var patientId = firstLocations!.First(l => l.StartsWith("Patient/", StringComparison.Ordinal));
        var everything = new List<string>();
        var page = await fhir.SearchAsync($"{patientId}/$everything?_count=200");
        while (true)
        {
            everything.AddRange(page.Entry.Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}"));
            var next = page.Link.FirstOrDefault(l => l.Relation == "next")?.Url;
            if (next is null)
            {
                break;
            }

            page = await fhir.SearchAsync(next);
        }

        Assert.Equal(firstLocations.Concat(goldenOfFirst.Select(id => $"Person/{id}")).Order(StringComparer.Ordinal), everything.Order(StringComparer.Ordinal));
    }
}
