using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Access.Contracts;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Access;

/// <summary>
/// The access rules end to end, with real tokens only: hospital systems of two facilities (signed JWT assertions),
/// staff signed in through the SMART authorization flow, consent, sensitive labels, break-glass and the audit trail.
/// </summary>
public sealed class FacilityScopeTests(AccessApp app) : IClassFixture<AccessApp>
{
    private const string Password = "Mat-khau-2026";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(string Patient, string Observation)> PatientSeenAtAAsync(string? label = null)
    {
        await app.EnsureFacilityAsync(AccessApp.FacilityA);
        await app.EnsureFacilityAsync(AccessApp.FacilityB);
        using var a = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        var patient = await a.CreateAsync(new Patient { Name = [new HumanName { Family = "Lâm", Given = ["Thị Thử"] }] });
        await a.CreateAsync(new Encounter
        {
            Status = Encounter.EncounterStatus.Finished,
            Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
            ServiceProvider = new ResourceReference($"Organization/{AccessApp.FacilityA}"),
        });
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = new ResourceReference($"Patient/{patient.Id}"),
        };
        if (label is not null)
        {
            observation.Meta = new Meta { Security = [new Coding(SecurityLabels.ActCodeSystem, label)] };
        }

        // The treating facility's system records even sensitive data; it is the reading that the labels restrict.
        using var province = app.CreateFhirClient();
        var created = await province.CreateAsync(observation);
        return (patient.Id!, created.Id!);
    }

    [Fact]
    public async Task Facility_B_cannot_read_search_include_or_export_facility_As_patient()
    {
        var (patient, observation) = await PatientSeenAtAAsync();
        using var b = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisB, "system/Patient.rs system/Observation.rs"));

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Patient/{patient}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Observation/{observation}", Ct)).StatusCode);
        Assert.Empty((await b.SearchAsync($"Observation?subject=Patient/{patient}")).MatchIds());
        Assert.Empty((await b.SearchAsync($"Observation?_id={observation}&_include=Observation:subject")).Entry);
        Assert.Empty((await b.SearchAsync($"Patient?_id={patient}&_revinclude=Observation:subject")).Entry);
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Patient/{patient}/$everything", Ct)).StatusCode);

        using var a = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"Observation/{observation}", Ct)).StatusCode);
        Assert.Contains(observation, (await a.SearchAsync($"Observation?subject=Patient/{patient}")).MatchIds());
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_403_naming_it()
    {
        var (patient, _) = await PatientSeenAtAAsync();
        using var b = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisB, "system/Patient.rs"));
        using var response = await b.PostAsync("Observation", FhirHttp.Json(new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = new ResourceReference($"Patient/{patient}"),
        }), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Observation", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_consent_sharing_with_B_opens_the_record_at_once_and_revoking_it_closes_it()
    {
        var (patient, observation) = await PatientSeenAtAAsync();
        using var b = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisB, "system/Patient.rs system/Observation.rs"));
        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Observation/{observation}", Ct)).StatusCode);

        using var a = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        var consent = await a.CreateAsync(new Consent
        {
            Status = Consent.ConsentState.Active,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0")],
            Patient = new ResourceReference($"Patient/{patient}"),
            Policy = [new Consent.PolicyComponent { Uri = "https://yteso.vn/chinh-sach/chia-se-ho-so" }],
            Provision = new Consent.provisionComponent
            {
                Type = Consent.ConsentProvisionType.Permit,
                Actor = [new Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference($"Organization/{AccessApp.FacilityB}"),
                }],
            },
        });
        Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"Observation/{observation}", Ct)).StatusCode);

        consent.Status = Consent.ConsentState.Inactive;
        using (var revoke = await a.PutAsync($"Consent/{consent.Id}", FhirHttp.Json(consent), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await b.GetAsync($"Observation/{observation}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_HIV_labelled_result_is_hidden_from_a_system_and_a_nurse_but_shown_to_the_treating_doctor()
    {
        var (patient, observation) = await PatientSeenAtAAsync(label: "HIV");
        using var his = app.FhirClientWith(await app.HisTokenAsync(AccessApp.HisA));
        Assert.Equal(HttpStatusCode.OK, (await his.GetAsync($"Patient/{patient}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await his.GetAsync($"Observation/{observation}", Ct)).StatusCode);

        await app.CreateStaffAsync("dd-hoa", Password, (AccessApp.FacilityA, StaffRoles.Nurse));
        await app.CreateStaffAsync("bs-hai", Password, (AccessApp.FacilityA, StaffRoles.Doctor));
        using var nurse = app.FhirClientWith((await app.StaffTokenAsync("dd-hoa", Password, "user/Observation.rs")).GetProperty("access_token").GetString()!);
        using var doctor = app.FhirClientWith((await app.StaffTokenAsync("bs-hai", Password, "user/Observation.rs")).GetProperty("access_token").GetString()!);
        Assert.Empty((await nurse.SearchAsync($"Observation?subject=Patient/{patient}")).MatchIds());
        Assert.Contains(observation, (await doctor.SearchAsync($"Observation?subject=Patient/{patient}")).MatchIds());
    }

    [Fact]
    public async Task Break_glass_opens_a_record_outside_scope_for_a_limited_time_and_is_flagged_for_the_privacy_officer()
    {
        var (patient, observation) = await PatientSeenAtAAsync();
        await app.CreateStaffAsync("bs-cuu", Password, (AccessApp.FacilityB, StaffRoles.Doctor));
        await app.CreateStaffAsync("ks-bao", Password, ("so-y-te", StaffRoles.Auditor));
        var token = (await app.StaffTokenAsync("bs-cuu", Password, "user/Patient.rs user/Observation.rs")).GetProperty("access_token").GetString()!;
        using var doctor = app.FhirClientWith(token);
        Assert.Equal(HttpStatusCode.NotFound, (await doctor.GetAsync($"Observation/{observation}", Ct)).StatusCode);

        using var api = app.CreateAnonymousClient();
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using (var tooShort = await api.PostAsync("api/access/break-glass", Json(new { patientId = patient, reason = "gấp" }), Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        }

        using (var opened = await api.PostAsync("api/access/break-glass", Json(new { patientId = patient, reason = "Bệnh nhân hôn mê nhập cấp cứu, cần tiền sử dị ứng" }), Ct))
        {
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await doctor.GetAsync($"Observation/{observation}", Ct)).StatusCode);

        // The read under the grant is flagged in the audit trail, with the patient.
        var trail = app.Services.GetRequiredService<AuditQuery>();
        var flagged = await trail.SearchAsync(new AuditFilter { PatientId = patient, BreakGlassOnly = true }, null, 50, Ct);
        Assert.Contains(flagged.Records, r => r.Record.Action == AuditActions.Read && r.Record.ResourceType == "Observation");
        Assert.Contains(flagged.Records, r => r.Record.Action == AuditActions.BreakGlass && r.Record.Detail!.Contains("hôn mê", StringComparison.Ordinal));

        // The privacy officer sees the opening; the doctor may not list them.
        using var officer = app.CreateAnonymousClient();
        officer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", (await app.StaffTokenAsync("ks-bao", Password, "openid")).GetProperty("access_token").GetString());
        var list = JsonDocument.Parse(await officer.GetStringAsync($"api/access/break-glass?patient={patient}", Ct)).RootElement;
        Assert.Equal(1, list.GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("api/access/break-glass", Ct)).StatusCode);

        // When the grant expires, the record closes again.
        var db = app.Services.CreateScope().ServiceProvider.GetRequiredService<YTeSo.Access.Persistence.AccessDbContext>();
        foreach (var grant in db.BreakGlassGrants.Where(g => g.PatientId == patient))
        {
            grant.ExpiresAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        }

        await db.SaveChangesAsync(Ct);
        Assert.Equal(HttpStatusCode.NotFound, (await doctor.GetAsync($"Observation/{observation}", Ct)).StatusCode);
    }

    private static StringContent Json(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");
}
