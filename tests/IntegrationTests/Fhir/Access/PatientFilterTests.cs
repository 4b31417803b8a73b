using System.Net;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Fhir.Access;

/// <summary>
/// The patient filter (care relationships) and the sensitivity rule on every read path: search, _total, _include,
/// _revinclude, read, history, $everything, $export, and the writes that must not reveal a hidden resource.
/// </summary>
public sealed class PatientFilterTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Facility_staff_see_patients_with_an_encounter_at_their_facility_and_not_those_of_another()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var (mine, theirs) = (await s.PatientAsync(), await s.PatientAsync());
        await s.EncounterAsync(mine, a);
        await s.EncounterAsync(theirs, b);
        var (myObservation, theirObservation) = (await s.ObservationAsync(mine), await s.ObservationAsync(theirs));

        s.As(AccessScenario.Facility(a));
        var observations = await s.Fhir.SearchAsync("Observation?_total=accurate");
        var patients = await s.MatchIdsAsync("Patient");

        Assert.Equal([myObservation], observations.MatchIds());
        Assert.Equal(1, observations.Total);
        Assert.Equal([mine], patients);
        Assert.Equal(HttpStatusCode.OK, await s.StatusAsync(HttpMethod.Get, $"Observation/{myObservation}"));
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Observation/{theirObservation}"));
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Patient/{theirs}"));
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Observation/{theirObservation}/_history/1"));
        Assert.Empty(await s.MatchIdsAsync($"Observation?subject=Patient/{theirs}"));
        Assert.Empty(await s.MatchIdsAsync($"Patient?_has:Observation:subject:_id={theirObservation}"));
    }

    [Fact]
    public async Task A_patient_registered_at_a_facility_is_visible_to_it_and_reference_data_to_everyone()
    {
        using var s = new AccessScenario(app);
        var a = await s.OrganizationAsync();
        var registered = await s.PatientAsync(managingOrganization: a);
        var unrelated = await s.OrganizationAsync();

        s.As(AccessScenario.Facility(a));

        Assert.Equal([registered], await s.MatchIdsAsync("Patient"));
        Assert.Equal(HttpStatusCode.OK, await s.StatusAsync(HttpMethod.Get, $"Organization/{unrelated}"));
    }

    [Fact]
    public async Task Includes_revincludes_history_and_everything_return_only_what_the_facility_may_see()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var (mine, theirs) = (await s.PatientAsync(), await s.PatientAsync());
        var myEncounter = await s.EncounterAsync(mine, a);
        var theirEncounter = await s.EncounterAsync(theirs, b);
        var theirObservation = await s.ObservationAsync(theirs);
        var hiv = await s.ObservationAsync(mine, label: "HIV");
        var panel = await s.ObservationAsync(mine, hasMember: theirObservation);

        s.As(AccessScenario.Facility(a));
        var included = await s.Fhir.SearchAsync($"Observation?_id={panel}&_include=Observation:has-member&_include=Observation:subject");
        var revIncluded = await s.Fhir.SearchAsync($"Patient?_id={mine}&_revinclude=Observation:subject&_revinclude=Encounter:subject");
        var history = await s.Fhir.SearchAsync("Observation/_history");
        var systemHistory = await s.Fhir.SearchAsync("_history?_count=1000");
        var everything = await s.Fhir.SearchAsync($"Patient/{mine}/$everything");

        Assert.Equal([$"Patient/{mine}"], included.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}"));
        Assert.Equal(
            [$"Encounter/{myEncounter}", $"Observation/{panel}"],
            revIncluded.Entry.Where(e => e.Search.Mode == Bundle.SearchEntryMode.Include).Select(e => $"{e.Resource.TypeName}/{e.Resource.Id}").Order(StringComparer.Ordinal));
        Assert.Equal([panel], history.Entry.Select(e => e.Resource.Id).Distinct());
        Assert.DoesNotContain(systemHistory.Entry, e => e.Resource?.Id is var id && (id == theirs || id == theirObservation || id == theirEncounter || id == hiv));
        Assert.Contains(systemHistory.Entry, e => e.Resource?.Id == myEncounter);
        var everythingIds = everything.Entry.Select(e => e.Resource.Id).ToList();
        Assert.Contains(mine, everythingIds);
        Assert.Contains(myEncounter, everythingIds);
        Assert.Contains(panel, everythingIds);
        Assert.DoesNotContain(hiv, everythingIds);
        Assert.DoesNotContain(theirObservation, everythingIds);
        Assert.Equal(everythingIds.Count, everything.Total);
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Patient/{theirs}/$everything"));
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Patient/{theirs}/_history"));
    }

    [Fact]
    public async Task An_export_contains_only_what_the_facility_may_see_and_only_types_it_may_read_and_search()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var (mine, theirs) = (await s.PatientAsync(), await s.PatientAsync());
        await s.EncounterAsync(mine, a);
        await s.EncounterAsync(theirs, b);
        var myObservation = await s.ObservationAsync(mine);
        await s.ObservationAsync(theirs);

        s.As(AccessScenario.Facility(a));
        var typeExport = await s.ExportAsync("Observation/$export");
        var patientExport = await s.ExportAsync("Patient/$export?_type=Patient,Observation");
        var systemExport = await s.ExportAsync("$export?_type=Patient,Observation,Organization");
        var observationsOnly = AccessScenario.Facility(a);
        s.As(new YTeSo.Fhir.Contracts.FhirAccess
        {
            Actor = observationsOnly.Actor,
            Patients = observationsOnly.Patients,
            Scopes = new Dictionary<string, YTeSo.Fhir.Contracts.FhirInteractions> { ["Observation"] = YTeSo.Fhir.Contracts.FhirInteractions.All },
        });
        var (refused, outcome) = await s.SendAsync(HttpMethod.Get, "$export?_type=Patient", null, ("Prefer", "respond-async"));

        Assert.Equal([myObservation], typeExport["Observation"]);
        Assert.Equal([mine], patientExport["Patient"]);
        Assert.Equal([myObservation], patientExport["Observation"]);
        Assert.Equal([mine], systemExport["Patient"]);
        Assert.Equal([myObservation], systemExport["Observation"]);
        Assert.Contains(a, systemExport["Organization"]);
        Assert.Contains(b, systemExport["Organization"]);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("*/Patient.rs", outcome, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_hiv_labelled_observation_is_hidden_even_province_wide_unless_the_label_is_permitted()
    {
        using var s = new AccessScenario(app);
        var patient = await s.PatientAsync();
        var hiv = await s.ObservationAsync(patient, label: "HIV");
        var plain = await s.ObservationAsync(patient);

        s.As(AccessScenario.ProvinceWide());
        var hidden = await s.Fhir.SearchAsync($"Observation?subject=Patient/{patient}&_total=accurate");
        var hiddenRead = await s.StatusAsync(HttpMethod.Get, $"Observation/{hiv}");
        var bySecurity = await s.MatchIdsAsync("Observation?_security=HIV");
        s.As(AccessScenario.ProvinceWide("HIV"));
        var permitted = await s.MatchIdsAsync($"Observation?subject=Patient/{patient}");

        Assert.Equal([plain], hidden.MatchIds());
        Assert.Equal(1, hidden.Total);
        Assert.Equal(HttpStatusCode.NotFound, hiddenRead);
        Assert.Empty(bySecurity);
        Assert.Equal([hiv, plain], permitted.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Updating_patching_or_deleting_a_hidden_resource_answers_404_and_changes_nothing()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var theirs = await s.PatientAsync();
        await s.EncounterAsync(theirs, b);
        var observation = await s.ObservationAsync(theirs);

        s.As(AccessScenario.Facility(a));
        var update = await s.StatusAsync(HttpMethod.Put, $"Observation/{observation}", new Observation
        {
            Id = observation,
            Status = ObservationStatus.Cancelled,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = new ResourceReference($"Patient/{theirs}"),
        });
        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"Observation/{observation}")
        {
            Content = new StringContent("""[{"op":"replace","path":"/status","value":"cancelled"}]""", System.Text.Encoding.UTF8, "application/json-patch+json"),
        };
        using var patched = await s.Fhir.SendAsync(patch, Ct);
        var delete = await s.StatusAsync(HttpMethod.Delete, $"Observation/{observation}");
        var conditionalDelete = await s.StatusAsync(HttpMethod.Delete, $"Observation?_id={observation}");
        s.AsProvince();
        var stored = await s.Fhir.SendAsync<Observation>(HttpMethod.Get, $"Observation/{observation}");

        Assert.Equal(HttpStatusCode.NotFound, update);
        Assert.Equal(HttpStatusCode.NotFound, patched.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, delete);
        Assert.Equal(HttpStatusCode.NoContent, conditionalDelete);
        Assert.Equal(ObservationStatus.Final, stored.Resource.Status);
        Assert.Equal("1", stored.Resource.Meta.VersionId);
    }

    [Fact]
    public async Task A_conditional_create_matches_only_visible_patients_so_a_facility_creates_a_duplicate_it_cannot_see()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var identifier = Guid.NewGuid().ToString("N");
        var known = await s.PatientAsync(managingOrganization: a, identifier: identifier);
        var body = new Patient { Identifier = [new Identifier("urn:yteso:test-id", identifier)], ManagingOrganization = new ResourceReference($"Organization/{b}") };

        s.As(AccessScenario.Facility(a));
        var (sameStatus, sameBody) = await s.SendAsync(HttpMethod.Post, "Patient", body, ("If-None-Exist", $"identifier=urn:yteso:test-id|{identifier}"));
        s.As(AccessScenario.Facility(b));
        var (otherStatus, otherBody) = await s.SendAsync(HttpMethod.Post, "Patient", body, ("If-None-Exist", $"identifier=urn:yteso:test-id|{identifier}"));

        Assert.Equal(HttpStatusCode.OK, sameStatus);
        Assert.Contains(known, sameBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, otherStatus);
        Assert.DoesNotContain(known, otherBody, StringComparison.Ordinal);
    }
}
