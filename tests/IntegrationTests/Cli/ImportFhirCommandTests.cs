using System.Net;
using Hl7.Fhir.Model;
using YTeSo.Cli;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Cli;

/// <summary>
/// <c>yteso import fhir</c> run against the host's own database (a SQLite folder, or PostgreSQL), then read back
/// through the FHIR API: what a province sees after loading its history.
/// </summary>
public sealed class ImportFhirCommandTests(YTeSoApp app) : IClassFixture<YTeSoApp>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("yteso-import-").FullName;
    private readonly string _run = Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task Importing_an_ndjson_file_with_one_bad_line_imports_the_rest_and_reports_the_line()
    {
        var file = Write("patients.ndjson",
            $$"""{"resourceType":"Patient","id":"{{_run}}-a","name":[{"family":"Trần"}]}""",
            $$"""{"resourceType":"Patient","id":"{{_run}}-b","unknownElement":true}""",
            $$"""{"resourceType":"Patient","id":"{{_run}}-c","name":[{"family":"Lê"}]}""");

        var (exitCode, output) = await ImportAsync(file);

        Assert.Equal(ImportFhirCommand.Rejected, exitCode);
        Assert.Contains($"{file}:2: ", output, StringComparison.Ordinal);
        Assert.Contains("unknownElement", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        Assert.Equal(HttpStatusCode.OK, (await fhir.GetAsync($"Patient/{_run}-a")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fhir.GetAsync($"Patient/{_run}-c")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fhir.GetAsync($"Patient/{_run}-b")).StatusCode);
    }

    [Fact]
    public async Task Importing_the_same_ndjson_file_twice_keeps_the_ids_and_adds_no_versions()
    {
        var file = Write("conditions.ndjson",
            $$"""{"resourceType":"Patient","id":"{{_run}}-p"}""",
            $$"""{"resourceType":"Condition","id":"{{_run}}-c","subject":{"reference":"Patient/{{_run}}-p"},"code":{"text":"Tăng huyết áp"} }""");

        var first = await ImportAsync(file);
        var second = await ImportAsync(file);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("0 resources imported, 2 already stored unchanged", second.Output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var history = await fhir.SearchAsync($"Condition/{_run}-c/_history");
        Assert.Equal(1, history.Total);
        var conditions = await fhir.SearchAsync($"Condition?subject=Patient/{_run}-p");
        Assert.Equal([$"{_run}-c"], conditions.MatchIds());
    }

    [Fact]
    public async Task A_changed_resource_in_a_second_import_becomes_a_new_version()
    {
        var id = $"{_run}-v";
        await ImportAsync(Write("v1.ndjson", $$"""{"resourceType":"Patient","id":"{{id}}","gender":"male"}"""));

        var (exitCode, _) = await ImportAsync(Write("v2.ndjson", $$"""{"resourceType":"Patient","id":"{{id}}","gender":"female"}"""));

        Assert.Equal(0, exitCode);
        using var fhir = app.CreateFhirClient();
        var (status, patient) = await fhir.SendAsync<Patient>(HttpMethod.Get, $"Patient/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("2", patient.Meta.VersionId);
        Assert.Equal(AdministrativeGender.Female, patient.Gender);
    }

    [Fact]
    public async Task References_between_ndjson_files_may_come_in_any_order_and_dangling_ones_are_reported()
    {
        // Observation.ndjson sorts before Patient.ndjson, so the references are written before their targets.
        Write("Observation.ndjson",
            $$"""{"resourceType":"Observation","id":"{{_run}}-o1","status":"final","code":{"text":"Cân nặng"},"subject":{"reference":"Patient/{{_run}}-p"} }""",
            $$"""{"resourceType":"Observation","id":"{{_run}}-o2","status":"final","code":{"text":"Cân nặng"},"subject":{"reference":"Patient/{{_run}}-missing"} }""");
        Write("Patient.ndjson", $$"""{"resourceType":"Patient","id":"{{_run}}-p"}""");

        var (exitCode, output) = await ImportAsync(_folder);

        Assert.Equal(ImportFhirCommand.Dangling, exitCode);
        Assert.Contains($"Patient/{_run}-missing: referred to 1 time(s), first by {Path.Combine(_folder, "Observation.ndjson")}:2", output, StringComparison.Ordinal);
        Assert.DoesNotContain($"Patient/{_run}-p:", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var observations = await fhir.SearchAsync($"Observation?subject=Patient/{_run}-p&_include=Observation:subject");
        Assert.Equal([$"{_run}-o1"], observations.MatchIds());
        Assert.Contains(observations.Entry, e => e.Resource is Patient { Id: var id } && id == $"{_run}-p");
    }

    [Fact]
    public async Task A_transaction_bundle_file_is_imported_whole_and_a_broken_one_not_at_all()
    {
        var good = Write("good.json", Transaction(Identifier("good"), "urn:uuid:" + Guid.NewGuid()));
        var broken = Write("broken.json", Transaction(Identifier("broken"), "urn:uuid:" + Guid.NewGuid(), observationSubject: "urn:uuid:" + Guid.NewGuid()));

        var (exitCode, output) = await ImportAsync(good, broken);

        Assert.Equal(ImportFhirCommand.Rejected, exitCode);
        Assert.Contains($"{broken}: Bundle.entry[1] Observation.subject", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        var imported = await fhir.SearchAsync($"Patient?identifier={Identifier("good")}&_revinclude=Observation:subject");
        Assert.Single(imported.MatchIds());
        Assert.Contains(imported.Entry, e => e.Resource is Observation o && o.Subject.Reference == $"Patient/{imported.MatchIds()[0]}");
        var rejected = await fhir.SearchAsync($"Patient?identifier={Identifier("broken")}");
        Assert.Empty(rejected.MatchIds());
    }

    [Fact]
    public async Task A_transaction_with_conditional_entries_goes_through_the_repository_and_is_imported()
    {
        var identifier = Identifier("conditional");
        var value = identifier.Split('|')[1];
        var bundle = $$"""
            {"resourceType":"Bundle","type":"transaction","entry":[
              {"fullUrl":"urn:uuid:5b0f1c3e-0000-4000-8000-000000000001","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test","value":"{{value}}"}]},
               "request":{"method":"POST","url":"Patient","ifNoneExist":"identifier={{identifier}}"} }]}
            """;

        var first = await ImportAsync(Write("conditional.json", bundle));
        var second = await ImportAsync(Path.Combine(_folder, "conditional.json"));

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        using var fhir = app.CreateFhirClient();
        Assert.Single((await fhir.SearchAsync($"Patient?identifier={identifier}")).MatchIds());
    }

    [Fact]
    public async Task An_unreadable_archive_is_rejected_and_the_other_files_are_still_imported()
    {
        var archive = Path.Combine(_folder, "broken.tgz");
        await File.WriteAllTextAsync(archive, "this is not gzip", TestContext.Current.CancellationToken);
        var file = Write("one.ndjson", $$"""{"resourceType":"Patient","id":"{{_run}}-after"}""");

        var (exitCode, output) = await ImportAsync(archive, file);

        Assert.Equal(ImportFhirCommand.Rejected, exitCode);
        Assert.Contains($"{archive}: cannot be read", output, StringComparison.Ordinal);
        using var fhir = app.CreateFhirClient();
        Assert.Equal(HttpStatusCode.OK, (await fhir.GetAsync($"Patient/{_run}-after")).StatusCode);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the OS cleans the temp folder
        }
    }

    private Task<(int ExitCode, string Output)> ImportAsync(params string[] paths) => YTeSoCli.ImportAsync(app, paths);

    private string Write(string name, params string[] lines)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private string Identifier(string what) => $"urn:test|{_run}-{what}";

    private static string Transaction(string identifier, string patientUrl, string? observationSubject = null) => TransactionJson(identifier.Split('|')[1], patientUrl, observationSubject ?? patientUrl);

    private static string TransactionJson(string value, string patientUrl, string observationSubject) => $$"""
        {"resourceType":"Bundle","type":"transaction","entry":[
          {"fullUrl":"{{patientUrl}}","resource":{"resourceType":"Patient","identifier":[{"system":"urn:test","value":"{{value}}"}]},
           "request":{"method":"POST","url":"Patient"} },
          {"resource":{"resourceType":"Observation","status":"final","code":{"text":"Huyết áp"},"subject":{"reference":"{{observationSubject}}"} },
           "request":{"method":"POST","url":"Observation"} }]}
        """;
}
