using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// A Bulk Data export belongs to the client that started it: another client holding the status or file URL (a leaked
/// log line, a shared proxy) learns nothing, cannot download and cannot cancel; every file download is audited.
/// </summary>
public sealed class ExportOwnershipTests(AccessApp app) : IClassFixture<AccessApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Another_client_gets_404_for_the_status_the_files_and_the_cancellation_of_a_job_it_did_not_start()
    {
        await app.EnsureFacilityAsync(AccessApp.FacilityA);
        await app.EnsureFacilityAsync(AccessApp.FacilityB);
        using var a = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        using var b = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisB, "system/Patient.rs"));
        var patient = await a.CreateAsync(new Patient { Name = [new HumanName { Family = "Đoàn", Given = ["Thị Xuất"] }] });
        await a.CreateAsync(new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
            ServiceProvider = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        });

        var status = await a.StartExportAsync("Patient/$export?_type=Patient,Encounter");
        var manifest = await a.WaitForExportAsync(status);
        Assert.True((bool)manifest["requiresAccessToken"]!);
        var patientFile = manifest["output"]!.AsArray().Select(o => (string)o!["url"]!).Single(u => u.EndsWith("/Patient.ndjson", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(status, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync(patientFile, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.DeleteAsync(status, Ct)).StatusCode);

        // The owner still has everything: B's attempts changed nothing.
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync(status, Ct)).StatusCode);
        Assert.Contains(patient.Id!, await a.GetStringAsync(patientFile, Ct), StringComparison.Ordinal);

        // Each download is in the trail, B's refused one too.
        var trail = app.Services.GetRequiredService<AuditQuery>();
        var job = status.Segments[^1];
        var downloads = (await trail.SearchAsync(new AuditFilter { Action = AuditActions.Export }, null, 200, Ct)).Records
            .Where(r => r.Record.ResourceIds?.Any(id => id.Contains(job, StringComparison.Ordinal)) == true)
            .ToList();
        Assert.Contains(downloads, r => r.Record.Actor.Id == $"client/{AccessApp.HisA}" && r.Record.Outcome == AuditOutcomes.Success && r.Record.ResourceType == "Patient");
        Assert.Contains(downloads, r => r.Record.Actor.Id == $"client/{AccessApp.HisB}" && r.Record.Outcome == AuditOutcomes.Failed);

        // The owner may cancel; afterwards the job is gone for the owner as well.
        Assert.Equal(HttpStatusCode.Accepted, (await a.DeleteAsync(status, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync(status, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await a.GetAsync(patientFile, Ct)).StatusCode);
    }
}
