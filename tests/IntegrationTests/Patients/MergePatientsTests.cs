using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Patients.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Patients;

/// <summary>Patient/$merge and its undo through HTTP on the real host (docs/mpi.md "Merge and unmerge"). Synthetic data.</summary>
public sealed class MergePatientsTests(MergeApp app) : IClassFixture<MergeApp>
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Merge_then_unmerge_restores_every_reference_exactly()
    {
        using var fhir = app.CreateFhirClient();
        var (s, t) = (await NewPatientAsync(fhir, "Nguyễn Văn An (tạm)"), await NewPatientAsync(fhir, "Nguyễn Văn An"));
        var encounter = await fhir.CreateAsync(new Encounter { Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"), Subject = Ref(s) });
        var observation = await fhir.CreateAsync(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = Ref(s),
            Encounter = new ResourceReference($"Encounter/{encounter.Id}"),
            Focus = [Ref(s)], // R4 has no search parameter on Observation.focus: only the complete reference index finds it
        });
        var changedLater = await fhir.CreateAsync(new Observation { Status = ObservationStatus.Preliminary, Code = new CodeableConcept("http://loinc.org", "29463-7"), Subject = Ref(s) });
        var condition = await fhir.CreateAsync(new Condition { Code = new CodeableConcept("http://hl7.org/fhir/sid/icd-10", "I10"), Subject = Ref(s), Asserter = Ref(s) });
        var immunization = await fhir.CreateAsync(new Immunization
        {
            Status = Immunization.ImmunizationStatusCodes.Completed,
            VaccineCode = new CodeableConcept("http://hl7.org/fhir/sid/cvx", "08"),
            Patient = new ResourceReference($"Patient/{s.Id}/_history/1"),
            Occurrence = new FhirDateTime("2026-01-15"),
        });
        var report = await fhir.CreateAsync(new DiagnosticReport
        {
            Status = DiagnosticReport.DiagnosticReportStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "58410-2"),
            Subject = Ref(s),
            Contained = [new Observation { Id = "hb", Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "718-7"), Subject = Ref(s) }],
            Result = [new ResourceReference("#hb")],
        });
        var untouched = await fhir.CreateAsync(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8310-5"), Subject = Ref(t) });
        string[] referrers = [$"Encounter/{encounter.Id}", $"Observation/{observation.Id}", $"Observation/{changedLater.Id}", $"Condition/{condition.Id}", $"Immunization/{immunization.Id}", $"DiagnosticReport/{report.Id}"];
        var before = await BodiesAsync(fhir, [.. referrers, $"Observation/{untouched.Id}", $"Patient/{s.Id}", $"Patient/{t.Id}"]);

        var merged = await MergeAsync(s.Id, t.Id, reason: "Hồ sơ tạm cấp cứu của cùng một người");

        Assert.Equal(HttpStatusCode.OK, merged.Status);
        var mergeId = Guid.Parse(merged.Body.GetSingleValue<Id>("merge-id").Value);
        foreach (var reference in referrers)
        {
            var text = (await BodiesAsync(fhir, [reference]))[reference].ToJsonString();
            Assert.DoesNotContain($"Patient/{s.Id}", text, StringComparison.Ordinal);
            Assert.Contains($"Patient/{t.Id}", text, StringComparison.Ordinal);
        }

        Assert.Empty((await fhir.SearchAsync($"Observation?subject=Patient/{s.Id}")).MatchIds());
        var source = await ReadAsync<Patient>(fhir, $"Patient/{s.Id}");
        Assert.False(source.Active);
        Assert.Contains(source.Link, l => l.Type == Patient.LinkType.ReplacedBy && l.Other.Reference == $"Patient/{t.Id}");
        Assert.Contains((await ReadAsync<Patient>(fhir, $"Patient/{t.Id}")).Link, l => l.Type == Patient.LinkType.Replaces && l.Other.Reference == $"Patient/{s.Id}");

        var later = await ReadAsync<Observation>(fhir, $"Observation/{changedLater.Id}");
        later.Status = ObservationStatus.Final;
        using (var put = await fhir.PutAsync($"Observation/{changedLater.Id}", FhirHttp.Json(later), Token))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        using var steward = app.CreateStewardClient();
        using var undo = await steward.PostAsync($"api/patients/merges/{mergeId}/undo", System.Net.Http.Json.JsonContent.Create(new { reason = "Không phải cùng một người" }), Token);
        var undoText = await undo.Content.ReadAsStringAsync(Token);

        Assert.Equal(HttpStatusCode.OK, undo.StatusCode);
        var after = await BodiesAsync(fhir, [.. before.Keys]);
        foreach (var (reference, body) in before)
        {
            if (reference == $"Observation/{changedLater.Id}")
            {
                Assert.Equal($"Patient/{s.Id}", (string?)after[reference]["subject"]!["reference"]);
                Assert.Equal("final", (string?)after[reference]["status"]);
                continue;
            }

            Assert.True(JsonNode.DeepEquals(body, after[reference]), $"{reference} differs after the unmerge:\nbefore {body.ToJsonString()}\nafter  {after[reference].ToJsonString()}");
        }

        Assert.Contains("\"changedSinceMerge\":true", undoText, StringComparison.Ordinal);
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Merged && c.MergeId == mergeId && c.Person == $"Patient/{t.Id}" && c.SourcePatientIds.SequenceEqual([s.Id]));
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Unmerged && c.MergeId == mergeId);
        var audit = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { PatientId = s.Id, Action = AuditActions.Operation }, null, 50, Token);
        Assert.Contains(audit.Records, r => r.Record.Outcome == AuditOutcomes.Success && r.Record.Query == $"$merge merge={mergeId}");
        Assert.Contains(audit.Records, r => r.Record.Outcome == AuditOutcomes.Success && r.Record.Query == $"$unmerge merge={mergeId}");

        using var again = await steward.PostAsync($"api/patients/merges/{mergeId}/undo", null, Token);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Contains("already undone", await again.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_preview_answers_what_would_change_and_writes_nothing()
    {
        using var fhir = app.CreateFhirClient();
        var (s, t) = (await NewPatientAsync(fhir, "Trần Thị Bình"), await NewPatientAsync(fhir, "Trần Thị Bình"));
        var encounter = await fhir.CreateAsync(new Encounter { Status = Encounter.EncounterStatus.Finished, Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"), Subject = Ref(s) });
        var before = await BodiesAsync(fhir, [$"Encounter/{encounter.Id}", $"Patient/{s.Id}", $"Patient/{t.Id}"], keepMeta: true);

        var preview = await MergeAsync(s.Id, t.Id, preview: true);

        Assert.Equal(HttpStatusCode.OK, preview.Status);
        Assert.Contains($"Encounter/{encounter.Id}: Encounter.subject", preview.Text, StringComparison.Ordinal);
        Assert.Null(preview.Body.Parameter.FirstOrDefault(p => p.Name == "merge-id"));
        var after = await BodiesAsync(fhir, [.. before.Keys], keepMeta: true);
        Assert.All(before, b => Assert.True(JsonNode.DeepEquals(b.Value, after[b.Key]), b.Key));
    }

    [Fact]
    public async Task A_change_made_while_the_merge_runs_fails_the_merge_with_nothing_written()
    {
        using var fhir = app.CreateFhirClient();
        var (s, t) = (await NewPatientAsync(fhir, "Lê Văn Cường"), await NewPatientAsync(fhir, "Lê Văn Cường"));
        var observation = await fhir.CreateAsync(new Observation { Status = ObservationStatus.Preliminary, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = Ref(s) });
        app.BeforeNextBundle = async repository =>
        {
            var current = (Observation)(await repository.ReadAsync(FhirAccess.System("test: a concurrent writer"), "Observation", observation.Id, Token))!;
            current.Status = ObservationStatus.Final;
            await repository.ProcessBundleAsync(FhirAccess.System("test: a concurrent writer"), new Bundle
            {
                Type = Bundle.BundleType.Transaction,
                Entry = [new() { Resource = current, Request = new() { Method = Bundle.HTTPVerb.PUT, Url = $"Observation/{observation.Id}" } }],
            }, Token);
        };
        var before = await BodiesAsync(fhir, [$"Patient/{s.Id}", $"Patient/{t.Id}"], keepMeta: true);

        var merged = await MergeAsync(s.Id, t.Id);

        Assert.Equal(HttpStatusCode.PreconditionFailed, merged.Status);
        Assert.Equal($"Patient/{s.Id}", (await ReadAsync<Observation>(fhir, $"Observation/{observation.Id}")).Subject.Reference);
        var after = await BodiesAsync(fhir, [.. before.Keys], keepMeta: true);
        Assert.All(before, b => Assert.True(JsonNode.DeepEquals(b.Value, after[b.Key]), b.Key));
        Assert.DoesNotContain(app.Listener.Changes, c => c.Kind is PatientIdentityChangeKind.Merged or PatientIdentityChangeKind.Unmerged && c.SourcePatientIds.Contains(s.Id));
    }

    [Fact]
    public async Task Merges_that_make_no_sense_are_refused_with_a_precise_outcome_and_write_nothing()
    {
        using var fhir = app.CreateFhirClient();
        var (a, b, c) = (await NewPatientAsync(fhir, "Phạm Văn Dũng"), await NewPatientAsync(fhir, "Phạm Văn Dũng"), await NewPatientAsync(fhir, "Phạm Văn Dũng"));
        var deleted = await NewPatientAsync(fhir, "Hoàng Thị Em");
        (await fhir.DeleteAsync($"Patient/{deleted.Id}", Token)).Dispose();
        Assert.Equal(HttpStatusCode.OK, (await MergeAsync(a.Id, b.Id)).Status);

        var self = await MergeAsync(c.Id, c.Id);
        var missing = await MergeAsync(c.Id, "khong-ton-tai");
        var gone = await MergeAsync(c.Id, deleted.Id);
        var intoMerged = await MergeAsync(c.Id, a.Id);
        var again = await MergeAsync(a.Id, c.Id);
        var badParameter = await MergeAsync(c.Id, b.Id, extra: new Parameters.ParameterComponent { Name = "source-patinet", Value = new FhirString("x") });
        using var notSteward = app.CreateFhirClient();
        using var forbidden = await notSteward.PostAsync("Patient/$merge", FhirHttp.Json(MergeParameters(c.Id, b.Id)), Token);

        Assert.Equal((HttpStatusCode)422, self.Status);
        Assert.Contains("cannot be merged into itself", self.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);
        Assert.Equal(HttpStatusCode.Gone, gone.Status);
        Assert.Equal((HttpStatusCode)422, intoMerged.Status);
        Assert.Contains("was itself merged", intoMerged.Text, StringComparison.Ordinal);
        Assert.Equal((HttpStatusCode)422, again.Status);
        Assert.Contains("already merged", again.Text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, badParameter.Status);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("OperationOutcome", await forbidden.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        Assert.Equal("1", (await ReadAsync<Patient>(fhir, $"Patient/{c.Id}")).Meta.VersionId);
    }

    private static ResourceReference Ref(Patient patient) => new($"Patient/{patient.Id}");

    private static Task<Patient> NewPatientAsync(HttpClient fhir, string name) => fhir.CreateAsync(new Patient
    {
        Active = true,
        Name = [new HumanName { Text = name }],
        BirthDate = "1990-05-01",
        Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-bn/test", Guid.NewGuid().ToString("N"))],
    });

    private static Parameters MergeParameters(string source, string target)
    {
        var parameters = new Parameters();
        parameters.Add("source-patient", new ResourceReference($"Patient/{source}"));
        parameters.Add("target-patient", new ResourceReference($"Patient/{target}"));
        return parameters;
    }

    private async Task<(HttpStatusCode Status, Parameters Body, string Text)> MergeAsync(
        string source, string target, bool preview = false, string? reason = null, Parameters.ParameterComponent? extra = null)
    {
        var parameters = MergeParameters(source, target);
        if (preview)
        {
            parameters.Add("preview", new FhirBoolean(true));
        }

        if (reason is not null)
        {
            parameters.Add("reason", new FhirString(reason));
        }

        if (extra is not null)
        {
            parameters.Parameter.Add(extra);
        }

        using var steward = app.CreateStewardClient();
        using var response = await steward.PostAsync("fhir/Patient/$merge", FhirHttp.Json(parameters), Token);
        var text = await response.Content.ReadAsStringAsync(Token);
        var body = response.IsSuccessStatusCode ? await response.ReadAsync<Parameters>() : new Parameters();
        return (response.StatusCode, body, text);
    }

    private static async Task<T> ReadAsync<T>(HttpClient fhir, string reference)
        where T : Resource
    {
        using var response = await fhir.GetAsync(reference, Token);
        return await response.ReadAsync<T>();
    }

    /// <summary>The stored JSON of each resource; without meta unless asked (an unmerge writes new versions).</summary>
    private static async Task<Dictionary<string, JsonNode>> BodiesAsync(HttpClient fhir, IEnumerable<string> references, bool keepMeta = false)
    {
        var bodies = new Dictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var reference in references)
        {
            var node = JsonNode.Parse(await fhir.GetStringAsync(reference, Token))!;
            if (!keepMeta)
            {
                node.AsObject().Remove("meta");
            }

            bodies[reference] = node;
        }

        return bodies;
    }
}
