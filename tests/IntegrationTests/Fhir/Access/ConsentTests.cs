using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Ingest;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Fhir.Access;

/// <summary>
/// What opens a patient to a facility besides treating them: consents (share with one, share with all, deny a sensitive
/// label), break-glass grants; and that appointments and bulk imports maintain care relationships too.
/// </summary>
public sealed class ConsentTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Fact]
    public async Task A_consent_permitting_another_facility_opens_the_patient_on_the_next_request_and_revoking_it_closes_it()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var patient = await s.PatientAsync();
        await s.EncounterAsync(patient, a);
        var observation = await s.ObservationAsync(patient);
        s.As(AccessScenario.Facility(b));
        var before = await s.MatchIdsAsync($"Observation?subject=Patient/{patient}");

        var consent = await s.ConsentAsync(patient, Consent.ConsentProvisionType.Permit, [b], []);
        var shared = await s.MatchIdsAsync($"Observation?subject=Patient/{patient}");
        var consentVisible = await s.StatusAsync(HttpMethod.Get, $"Consent/{consent}");
        s.AsProvince();
        var inactive = await s.Fhir.SendAsync<Consent>(HttpMethod.Get, $"Consent/{consent}");
        inactive.Resource.Status = Consent.ConsentState.Inactive;
        Assert.Equal(HttpStatusCode.OK, await s.StatusAsync(HttpMethod.Put, $"Consent/{consent}", inactive.Resource));
        s.As(AccessScenario.Facility(b));
        var revoked = await s.MatchIdsAsync($"Observation?subject=Patient/{patient}");
        var second = await s.ConsentAsync(patient, Consent.ConsentProvisionType.Permit, [b], []);
        var sharedAgain = await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}");
        s.AsProvince();
        Assert.Equal(HttpStatusCode.NoContent, await s.StatusAsync(HttpMethod.Delete, $"Consent/{second}"));
        s.As(AccessScenario.Facility(b));
        var deleted = await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}");

        Assert.Empty(before);
        Assert.Equal([observation], shared);
        Assert.Equal(HttpStatusCode.OK, consentVisible);
        Assert.Empty(revoked);
        Assert.Equal(HttpStatusCode.OK, sharedAgain);
        Assert.Equal(HttpStatusCode.NotFound, deleted);
    }

    [Fact]
    public async Task A_consent_permitting_without_named_facilities_shares_with_every_facility_but_not_other_patients()
    {
        using var s = new AccessScenario(app);
        var (a, anyFacility) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var (sharing, other) = (await s.PatientAsync(), await s.PatientAsync());
        await s.EncounterAsync(sharing, a);
        await s.EncounterAsync(other, a);
        await s.ConsentAsync(sharing, Consent.ConsentProvisionType.Permit, [], []);

        s.As(AccessScenario.Facility(anyFacility));
        var seen = await s.MatchIdsAsync("Patient");

        // Other tests' share-with-all consents may open their patients too: that is the rule being tested.
        Assert.Contains(sharing, seen);
        Assert.DoesNotContain(other, seen);
    }

    [Fact]
    public async Task A_denied_sensitive_label_is_seen_only_by_the_treating_facility_never_through_sharing_province_wide_or_break_glass()
    {
        using var s = new AccessScenario(app);
        var (treating, shared) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var patient = await s.PatientAsync();
        await s.EncounterAsync(patient, treating);
        var hiv = await s.ObservationAsync(patient, label: "HIV");
        var plain = await s.ObservationAsync(patient);
        await s.ConsentAsync(patient, Consent.ConsentProvisionType.Permit, [shared], ["HIV"]);
        var query = $"Observation?subject=Patient/{patient}";

        s.As(AccessScenario.Facility(treating, "HIV"));
        var byTreating = await s.MatchIdsAsync(query);
        s.As(AccessScenario.Facility(shared, "HIV"));
        var byShared = await s.MatchIdsAsync(query);
        s.As(AccessScenario.ProvinceWide("HIV"));
        var byProvince = await s.MatchIdsAsync(query);
        s.As(BreakGlass(await s.OrganizationAsync(), patient, "HIV"));
        var byBreakGlass = await s.MatchIdsAsync(query);

        Assert.Equal([hiv, plain], byTreating.Order(StringComparer.Ordinal));
        Assert.Equal([plain], byShared);
        Assert.Equal([plain], byProvince);
        Assert.Equal([plain], byBreakGlass);
    }

    [Fact]
    public async Task Break_glass_opens_the_patient_to_any_facility_and_marks_its_audit_records()
    {
        using var s = new AccessScenario(app);
        var (treating, emergency) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var patient = await s.PatientAsync();
        await s.EncounterAsync(patient, treating);
        var observation = await s.ObservationAsync(patient);

        s.As(AccessScenario.Facility(emergency));
        var without = await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}");
        var access = BreakGlass(emergency, patient);
        s.As(access);
        var with = await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}");
        var search = await s.MatchIdsAsync($"Observation?subject=Patient/{patient}");
        var records = await app.Services.GetRequiredService<AuditQuery>()
            .SearchAsync(new AuditFilter { ActorId = access.Actor.Id, PatientId = patient }, null, 100, AccessScenario.Ct);

        Assert.Equal(HttpStatusCode.NotFound, without);
        Assert.Equal(HttpStatusCode.OK, with);
        Assert.Equal([observation], search);
        Assert.Equal(2, records.Records.Count);
        Assert.All(records.Records, r => Assert.True(r.Record.BreakGlass));
        Assert.Contains(records.Records, r => r.Record.Action == AuditActions.Read && r.Record.ResourceIds!.Contains($"Observation/{observation}"));
        Assert.Contains(records.Records, r => r.Record.Action == AuditActions.Search);
    }

    [Fact]
    public async Task An_appointment_at_a_location_of_a_facility_opens_its_patient_to_that_facility()
    {
        using var s = new AccessScenario(app);
        var facility = await s.OrganizationAsync();
        var location = await s.CreateAsync(new Location { Name = "Phòng khám 1", ManagingOrganization = new ResourceReference($"Organization/{facility}") });
        var patient = await s.PatientAsync();
        await s.CreateAsync(new Appointment
        {
            Status = Appointment.AppointmentStatus.Booked,
            Participant =
            [
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Patient/{patient}"), Status = ParticipationStatus.Accepted },
                new Appointment.ParticipantComponent { Actor = new ResourceReference($"Location/{location}"), Status = ParticipationStatus.Accepted },
            ],
        });

        s.As(AccessScenario.Facility(facility));
        var seen = await s.MatchIdsAsync($"Patient?_id={patient}");
        s.As(AccessScenario.Facility(await s.OrganizationAsync()));
        var elsewhere = await s.MatchIdsAsync($"Patient?_id={patient}");

        Assert.Equal([patient], seen);
        Assert.Empty(elsewhere);
    }

    [Fact]
    public async Task A_bulk_import_maintains_care_relationships_like_an_ordinary_write()
    {
        using var s = new AccessScenario(app);
        var facility = await s.OrganizationAsync();
        var (patient, encounter) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        var ndjson = $$$"""
            {"resourceType":"Patient","id":"{{{patient}}}","name":[{"family":"Nhập","given":["Khối"]}]}
            {"resourceType":"Encounter","id":"{{{encounter}}}","status":"finished","class":{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"AMB"},"subject":{"reference":"Patient/{{{patient}}}"},"serviceProvider":{"reference":"Organization/{{{facility}}}"}}
            """;
        var bytes = Encoding.UTF8.GetBytes(ndjson);

        var report = await app.Services.GetRequiredService<BulkImporter>()
            .ImportAsync(FhirAccess.System("integration-tests bulk import"), [new ImportSource("care.ndjson", bytes.Length, () => new MemoryStream(bytes))], null, AccessScenario.Ct);
        s.As(AccessScenario.Facility(facility));

        Assert.Empty(report.Rejections);
        Assert.Equal([patient], await s.MatchIdsAsync($"Patient?_id={patient}"));
        Assert.Equal([encounter], await s.MatchIdsAsync($"Encounter?subject=Patient/{patient}"));
    }

    private static FhirAccess BreakGlass(string facility, string patient, params string[] permitted) => new()
    {
        Actor = new AuditActor($"staff/{facility}/cap-cuu", "bác sĩ cấp cứu", "doctor", facility, PurposeOfUse: "ETREAT"),
        Scopes = AccessScenario.AllScopes,
        Patients = new PatientFilter(new HashSet<string> { facility }, new HashSet<string> { patient }),
        BreakGlassPatientIds = new HashSet<string> { patient },
        PermittedSensitivity = permitted.ToHashSet(),
    };
}
