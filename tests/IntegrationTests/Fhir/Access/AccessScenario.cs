using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Fhir.Access;

/// <summary>
/// Synthetic facilities, patients and clinical data for the access tests, written province-wide, and the callers the
/// tests act as (set on the host's temporary <see cref="TestAccessResolver"/>). Every id is fresh, so tests never see
/// each other's patients through a facility.
/// </summary>
internal sealed class AccessScenario(YTeSoApp app) : IDisposable
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public HttpClient Fhir { get; } = app.CreateFhirClient();

    public static Dictionary<string, FhirInteractions> AllScopes => new() { ["*"] = FhirInteractions.All };

    public void As(FhirAccess access) => app.Access.Current = access;

    public void AsProvince() => app.Access.Current = TestAccessResolver.ProvinceWide();

    /// <summary>Staff of <paramref name="organization"/> with every scope, seeing the given sensitive labels.</summary>
    public static FhirAccess Facility(string organization, params string[] permitted) => new()
    {
        Actor = new AuditActor($"staff/{organization}", "bác sĩ thử nghiệm", "doctor", organization),
        Scopes = AllScopes,
        Patients = new PatientFilter(new HashSet<string> { organization }, new HashSet<string>()),
        PermittedSensitivity = permitted.ToHashSet(),
    };

    public static FhirAccess ProvinceWide(params string[] permitted) => new()
    {
        Actor = new AuditActor("staff/so-y-te", "chuyên viên sở", "analyst"),
        Scopes = AllScopes,
        PermittedSensitivity = permitted.ToHashSet(),
    };

    public Task<string> OrganizationAsync() => CreateAsync(new Organization { Name = "Cơ sở thử nghiệm " + Guid.NewGuid().ToString("N")[..6] });

    public Task<string> PatientAsync(string? managingOrganization = null, string? identifier = null) => CreateAsync(new Patient
    {
        Name = [new HumanName { Family = "Thử", Given = ["Nghiệm"] }],
        ManagingOrganization = managingOrganization is null ? null : new ResourceReference($"Organization/{managingOrganization}"),
        Identifier = identifier is null ? [] : [new Identifier("urn:yteso:test-id", identifier)],
    });

    public Task<string> EncounterAsync(string patient, string organization) => CreateAsync(new Encounter
    {
        Status = Encounter.EncounterStatus.Finished,
        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
        Subject = new ResourceReference($"Patient/{patient}"),
        ServiceProvider = new ResourceReference($"Organization/{organization}"),
    });

    public Task<string> ObservationAsync(string patient, string? label = null, string? hasMember = null)
    {
        var observation = new Observation
        {
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "8867-4", "Nhịp tim"),
            Subject = new ResourceReference($"Patient/{patient}"),
            Value = new Quantity(72, "/min"),
        };
        if (label is not null)
        {
            observation.Meta = new Meta { Security = [new Coding(SecurityLabels.ActCodeSystem, label)] };
        }

        if (hasMember is not null)
        {
            observation.HasMember = [new ResourceReference($"Observation/{hasMember}")];
        }

        return CreateAsync(observation);
    }

    public Task<string> ConsentAsync(string patient, Consent.ConsentProvisionType type, string[] organizations, string[] deniedLabels, Consent.ConsentState status = Consent.ConsentState.Active) =>
        CreateAsync(new Consent
        {
            Status = status,
            Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
            Category = [new CodeableConcept("http://loinc.org", "59284-0")],
            Patient = new ResourceReference($"Patient/{patient}"),
            Provision = new Consent.provisionComponent
            {
                Type = type,
                Actor = [.. organizations.Select(o => new Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference($"Organization/{o}"),
                })],
                Provision = deniedLabels.Length == 0 ? [] :
                [
                    new Consent.provisionComponent
                    {
                        Type = Consent.ConsentProvisionType.Deny,
                        SecurityLabel = [.. deniedLabels.Select(l => new Coding(SecurityLabels.ActCodeSystem, l))],
                    },
                ],
            },
        });

    /// <summary>Creates province-wide (whoever the test is acting as), then acts as before again.</summary>
    public async Task<string> CreateAsync(Resource resource)
    {
        var before = app.Access.Current;
        AsProvince();
        try
        {
            return (await Fhir.CreateAsync(resource)).Id!;
        }
        finally
        {
            app.Access.Current = before;
        }
    }

    public async Task<HttpStatusCode> StatusAsync(HttpMethod method, string url, Resource? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : FhirHttp.Json(body) };
        using var response = await Fhir.SendAsync(request, Ct);
        return response.StatusCode;
    }

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string url, Resource? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : FhirHttp.Json(body) };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        using var response = await Fhir.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    public async Task<List<string>> MatchIdsAsync(string query) => (await Fhir.SearchAsync(query)).MatchIds();

    /// <summary>Kicks off a Bulk Data export, waits for it and returns the ids in each NDJSON file by type.</summary>
    public async Task<Dictionary<string, List<string>>> ExportAsync(string kickOff)
    {
        var manifest = await Fhir.WaitForExportAsync(await Fhir.StartExportAsync(kickOff));
        var files = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var output in manifest["output"]!.AsArray())
        {
            var text = await Fhir.GetStringAsync((string)output!["url"]!, Ct);
            files[(string)output["type"]!] = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (string)JsonNode.Parse(l)!["id"]!)];
        }

        return files;
    }

    public void Dispose()
    {
        AsProvince();
        Fhir.Dispose();
    }
}
