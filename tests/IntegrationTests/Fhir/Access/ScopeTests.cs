using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Fhir.Access;

/// <summary>SMART v2 scopes per interaction (403 naming the missing scope), statistics-only accounts, and the audit records.</summary>
public sealed class ScopeTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    [Theory]
    [InlineData("GET", "Observation/{obs}", null, "*/Observation.r")]
    [InlineData("GET", "Observation/{obs}/_history/1", null, "*/Observation.r")]
    [InlineData("GET", "Observation?code=8867-4", null, "*/Observation.s")]
    [InlineData("GET", "Observation/_history", null, "*/Observation.s")]
    [InlineData("POST", "Observation", "observation", "*/Observation.c")]
    [InlineData("PUT", "Observation/{obs}", "observation", "*/Observation.u")]
    [InlineData("PUT", "Observation?_id={obs}", "observation", "*/Observation.us")]
    [InlineData("DELETE", "Observation/{obs}", null, "*/Observation.d")]
    [InlineData("DELETE", "Observation?_id={obs}", null, "*/Observation.ds")]
    [InlineData("GET", "Patient/{patient}/$everything", null, "*/Patient.r")]
    public async Task An_interaction_outside_the_scopes_is_refused_with_403_naming_the_missing_scope(string method, string url, string? body, string scope)
    {
        using var s = new AccessScenario(app);
        var patient = await s.PatientAsync();
        var observation = await s.ObservationAsync(patient);
        var target = url.Replace("{obs}", observation, StringComparison.Ordinal).Replace("{patient}", patient, StringComparison.Ordinal);
        Resource? resource = body is null ? null : new Observation
        {
            Id = observation,
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4"),
            Subject = new ResourceReference($"Patient/{patient}"),
        };

        s.As(Scoped(new() { ["Organization"] = FhirInteractions.All }));
        var (status, text) = await s.SendAsync(new HttpMethod(method), target, resource);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains($"needs scope {scope}", text, StringComparison.Ordinal);
        Assert.Contains("forbidden", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conditional_create_needs_search_as_well_and_works_within_its_scopes()
    {
        using var s = new AccessScenario(app);
        var identifier = Guid.NewGuid().ToString("N");
        var patient = new Patient { Identifier = [new Identifier("urn:yteso:test-id", identifier)] };
        var ifNoneExist = ("If-None-Exist", $"identifier=urn:yteso:test-id|{identifier}");

        s.As(Scoped(new() { ["Patient"] = FhirInteractions.Create }));
        var (refused, message) = await s.SendAsync(HttpMethod.Post, "Patient", patient, ifNoneExist);
        s.As(Scoped(new() { ["Patient"] = FhirInteractions.Create | FhirInteractions.Search }));
        var (created, _) = await s.SendAsync(HttpMethod.Post, "Patient", patient, ifNoneExist);
        var (matched, _) = await s.SendAsync(HttpMethod.Post, "Patient", patient, ifNoneExist);

        Assert.Equal(HttpStatusCode.Forbidden, refused);
        Assert.Contains("*/Patient.cs", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal(HttpStatusCode.OK, matched);
    }

    [Fact]
    public async Task In_a_batch_a_forbidden_entry_gets_a_403_entry_and_the_others_run()
    {
        using var s = new AccessScenario(app);
        var patient = await s.PatientAsync();
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Batch,
            Entry =
            [
                new() { Resource = new Patient { Name = [new HumanName { Family = "Lô" }] }, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new() { Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = new ResourceReference($"Patient/{patient}") }, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Observation" } },
                new() { Request = new() { Method = Bundle.HTTPVerb.GET, Url = $"Observation?subject=Patient/{patient}" } },
            ],
        };

        s.As(Scoped(new() { ["Patient"] = FhirInteractions.All }));
        var (status, response) = await s.Fhir.SendAsync<Bundle>(HttpMethod.Post, "", bundle);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["201 Created", "403 Forbidden", "403 Forbidden"], response.Entry.Select(e => e.Response.Status));
        Assert.Contains("*/Observation.c", ((OperationOutcome)response.Entry[1].Response.Outcome).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("*/Observation.s", ((OperationOutcome)response.Entry[2].Response.Outcome).Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_a_transaction_one_forbidden_entry_refuses_the_whole_transaction_with_403_and_writes_nothing()
    {
        using var s = new AccessScenario(app);
        var family = "GiaoDich" + Guid.NewGuid().ToString("N")[..8];
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Transaction,
            Entry =
            [
                new() { FullUrl = "urn:uuid:0b7a4f0e-4c1f-4f5a-9d7e-111111111111", Resource = new Patient { Name = [new HumanName { Family = family }] }, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Patient" } },
                new() { Resource = new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = new ResourceReference("urn:uuid:0b7a4f0e-4c1f-4f5a-9d7e-111111111111") }, Request = new() { Method = Bundle.HTTPVerb.POST, Url = "Observation" } },
            ],
        };
        var access = Scoped(new() { ["Patient"] = FhirInteractions.All });

        s.As(access);
        var (status, text) = await s.SendAsync(HttpMethod.Post, "", bundle);
        s.AsProvince();
        var written = await s.MatchIdsAsync($"Patient?family={family}");
        var records = await Records(access.Actor.Id);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("Bundle.entry[1]", text, StringComparison.Ordinal);
        Assert.Contains("*/Observation.c", text, StringComparison.Ordinal);
        Assert.Empty(written);
        Assert.Equal(2, records.Count);
        Assert.Contains(records, r => r.ResourceType == "Observation" && r.Outcome == AuditOutcomes.Denied);
        Assert.Contains(records, r => r.ResourceType == "Patient" && r.Outcome == AuditOutcomes.Failed);
    }

    [Fact]
    public async Task A_statistics_account_may_count_but_not_read_search_or_write()
    {
        using var s = new AccessScenario(app);
        var patient = await s.PatientAsync();
        var observation = await s.ObservationAsync(patient);
        var statistics = new FhirAccess
        {
            Actor = new AuditActor("staff/thong-ke", "thống kê", "statistician"),
            Scopes = AccessScenario.AllScopes,
            AggregatesOnly = true,
        };

        s.As(statistics);
        var count = await s.Fhir.SearchAsync($"Observation?subject=Patient/{patient}&_summary=count");
        var search = await s.StatusAsync(HttpMethod.Get, $"Observation?subject=Patient/{patient}");
        var read = await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}");
        var everything = await s.StatusAsync(HttpMethod.Get, $"Patient/{patient}/$everything");
        var create = await s.StatusAsync(HttpMethod.Post, "Patient", new Patient { Name = [new HumanName { Family = "Thống" }] });
        var counts = await app.Services.GetRequiredService<IFhirRepository>().CountByTypeAsync(statistics, AccessScenario.Ct);

        Assert.Equal(1, count.Total);
        Assert.Empty(count.Entry);
        Assert.Equal(HttpStatusCode.Forbidden, search);
        Assert.Equal(HttpStatusCode.Forbidden, read);
        Assert.Equal(HttpStatusCode.Forbidden, everything);
        Assert.Equal(HttpStatusCode.Forbidden, create);
        Assert.True(counts["Observation"] >= 1);
    }

    [Fact]
    public async Task Each_interaction_is_audited_once_with_its_actor_resources_and_patients()
    {
        using var s = new AccessScenario(app);
        var facility = await s.OrganizationAsync();
        var (patient, hidden) = (await s.PatientAsync(managingOrganization: facility), await s.PatientAsync());
        var observation = await s.ObservationAsync(patient);
        var access = AccessScenario.Facility(facility);

        s.As(access);
        Assert.Equal(HttpStatusCode.OK, await s.StatusAsync(HttpMethod.Get, $"Observation/{observation}"));
        Assert.Equal(HttpStatusCode.NotFound, await s.StatusAsync(HttpMethod.Get, $"Patient/{hidden}"));
        await s.MatchIdsAsync($"Observation?subject=Patient/{patient}&_include=Observation:subject");
        var created = await s.Fhir.CreateAsync(new Observation { Status = ObservationStatus.Final, Code = new CodeableConcept("http://loinc.org", "8867-4"), Subject = new ResourceReference($"Patient/{patient}") });
        var records = await Records(access.Actor.Id);

        Assert.Equal([AuditActions.Read, AuditActions.Read, AuditActions.Search, AuditActions.Create], records.Select(r => r.Action));
        Assert.Equal(AuditOutcomes.Success, records[0].Outcome);
        Assert.Equal([$"Observation/{observation}"], records[0].ResourceIds!);
        Assert.Equal([patient], records[0].PatientIds!);
        Assert.Equal(AuditOutcomes.Failed, records[1].Outcome);
        Assert.Equal([$"Patient/{hidden}"], records[1].ResourceIds!);
        Assert.True(records[1].PatientIds is null or { Count: 0 });
        Assert.Equal([patient], records[2].PatientIds!);
        Assert.Contains($"Patient/{patient}", records[2].ResourceIds!);
        Assert.Contains("_include=Observation%3Asubject", records[2].Query, StringComparison.Ordinal);
        Assert.Equal([$"Observation/{created.Id}"], records[3].ResourceIds!);
        Assert.Equal([patient], records[3].PatientIds!);
        Assert.All(records, r => Assert.Equal(access.Actor, r.Actor));
    }

    [Fact]
    public async Task Module_callers_of_the_repository_contract_get_the_same_filter_as_the_api()
    {
        using var s = new AccessScenario(app);
        var (a, b) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var theirs = await s.PatientAsync(managingOrganization: b);
        var repository = app.Services.GetRequiredService<IFhirRepository>();

        var read = await repository.ReadAsync(AccessScenario.Facility(a), "Patient", theirs, AccessScenario.Ct);
        var history = await repository.HistoryAsync(AccessScenario.Facility(a), "Patient", theirs, AccessScenario.Ct);
        var search = await repository.SearchAsync(AccessScenario.Facility(a), "Patient", [new("_id", theirs)], AccessScenario.Ct);
        var own = await repository.ReadAsync(AccessScenario.Facility(b), "Patient", theirs, AccessScenario.Ct);

        Assert.Null(read);
        Assert.Empty(history);
        Assert.Empty(search.Resources);
        Assert.NotNull(own);
    }

    private static FhirAccess Scoped(Dictionary<string, FhirInteractions> scopes) => new()
    {
        Actor = new AuditActor("client/" + Guid.NewGuid().ToString("N")[..8], "ứng dụng thử nghiệm", ClientId: "test-client"),
        Scopes = scopes,
    };

    private async Task<List<AuditRecord>> Records(string actorId)
    {
        var page = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { ActorId = actorId }, null, 100, AccessScenario.Ct);
        return [.. page.Records.OrderBy(r => r.Seq).Select(r => r.Record)];
    }
}
