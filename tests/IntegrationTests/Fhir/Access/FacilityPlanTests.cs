using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Fhir.Access;

/// <summary>
/// The facility-first plan (SearchEngine.FacilityLeadsAsync): a facility-scoped search whose leading criterion has more
/// index rows than the facility has candidates starts from the facility's patients and checks the criterion per row.
/// Each test writes a crowd of matching citizens treated elsewhere, so the estimate picks that plan for the small
/// facility (and the criterion-first plan for the facility treating the crowd), then checks ids, their order, every
/// page and both totals against the province-wide answer restricted to the patients the caller may see. On PostgreSQL
/// the criterion always leads (its planner starts from the facility by itself); the same answers are expected.
/// </summary>
public sealed class FacilityPlanTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    // More matches than SearchEngine.NarrowLead (100), below which the criterion always leads.
    private const int Crowd = 120;

    private const string CodeSystem = "urn:yteso:test-plan";

    [Fact]
    public async Task A_facility_with_few_of_many_matching_patients_gets_the_province_wide_answer_restricted_to_its_patients()
    {
        using var s = new AccessScenario(app);
        var (small, crowded) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        var mine = await world.CitizensAsync(small, 3);
        await world.CitizensAsync(crowded, Crowd);

        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(small), Ids(mine));
    }

    [Fact]
    public async Task A_facility_treating_most_matching_patients_gets_the_province_wide_answer_restricted_to_its_patients()
    {
        using var s = new AccessScenario(app);
        var (small, crowded) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        await world.CitizensAsync(small, 3);
        var theirs = await world.CitizensAsync(crowded, Crowd, encounters: 2);

        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(crowded), Ids(theirs));
    }

    [Fact]
    public async Task Consent_shares_open_patients_to_the_facility_only_while_active()
    {
        using var s = new AccessScenario(app);
        var (small, crowded) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        var mine = await world.CitizensAsync(small, 2);
        var crowd = await world.CitizensAsync(crowded, Crowd);
        var (sharedWithMe, sharedWithAll, inactive, expired) = (crowd[10], crowd[50], crowd[70], crowd[90]);
        await s.ConsentAsync(sharedWithMe.Patient, Consent.ConsentProvisionType.Permit, [small], []);
        await s.ConsentAsync(sharedWithAll.Patient, Consent.ConsentProvisionType.Permit, [], []);
        await s.ConsentAsync(inactive.Patient, Consent.ConsentProvisionType.Permit, [small], [], Consent.ConsentState.Inactive);
        await s.CreateAsync(ExpiredShare(expired.Patient, small));

        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(small), Ids([.. mine, sharedWithMe, sharedWithAll]));
    }

    [Fact]
    public async Task Sensitive_labels_stay_hidden_and_a_consent_denying_one_hides_it_from_a_shared_facility()
    {
        using var s = new AccessScenario(app);
        var (small, crowded) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        var mine = await world.CitizensAsync(small, 3, label: "HIV");
        var crowd = await world.CitizensAsync(crowded, Crowd, label: "HIV");
        var shared = crowd[42];
        await s.ConsentAsync(shared.Patient, Consent.ConsentProvisionType.Permit, [small], ["HIV"]);
        var visible = Ids([.. mine, shared]);

        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(small), visible.Except(Labelled([.. mine, shared])).ToHashSet());
        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(small, "HIV"), visible.Except([shared.Labelled!]).ToHashSet(), permitted: "HIV");
    }

    [Fact]
    public async Task Break_glass_and_direct_grants_open_exactly_their_patients()
    {
        using var s = new AccessScenario(app);
        var (small, crowded, emergency) = (await s.OrganizationAsync(), await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        var mine = await world.CitizensAsync(small, 2);
        var crowd = await world.CitizensAsync(crowded, Crowd);
        var access = new FhirAccess
        {
            Actor = new AuditActor($"staff/{emergency}/cap-cuu", "bác sĩ cấp cứu", "doctor", emergency, PurposeOfUse: "ETREAT"),
            Scopes = AccessScenario.AllScopes,
            Patients = new PatientFilter(new HashSet<string> { small }, new HashSet<string> { crowd[5].Patient }),
            BreakGlassPatientIds = new HashSet<string> { crowd[99].Patient },
        };

        await world.AssertSameAsRestrictedAsync(access, Ids([.. mine, crowd[5], crowd[99]]));
    }

    [Fact]
    public async Task A_facility_without_patients_and_a_caller_opening_none_find_nothing()
    {
        using var s = new AccessScenario(app);
        var (empty, crowded) = (await s.OrganizationAsync(), await s.OrganizationAsync());
        var world = new World(s);
        await world.CitizensAsync(crowded, Crowd);
        var nobody = new FhirAccess
        {
            Actor = new AuditActor("staff/nobody", "không cơ sở"),
            Scopes = AccessScenario.AllScopes,
            Patients = new PatientFilter(new HashSet<string>(), new HashSet<string>()),
        };

        await world.AssertSameAsRestrictedAsync(AccessScenario.Facility(empty), new HashSet<string>());
        await world.AssertSameAsRestrictedAsync(nobody, new HashSet<string>());
    }

    private static HashSet<string> Ids(IEnumerable<Citizen> citizens) =>
        [.. citizens.SelectMany(c => new[] { c.Patient, c.Observation, c.Labelled }.OfType<string>())];

    private static IEnumerable<string> Labelled(IEnumerable<Citizen> citizens) => citizens.Select(c => c.Labelled).OfType<string>();

    /// <summary>A permit shared with <paramref name="organization"/> whose provision.period ended yesterday.</summary>
    private static Consent ExpiredShare(string patient, string organization) => new()
    {
        Status = Consent.ConsentState.Active,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        Category = [new CodeableConcept("http://loinc.org", "59284-0")],
        Patient = new ResourceReference($"Patient/{patient}"),
        Provision = new Consent.provisionComponent
        {
            Type = Consent.ConsentProvisionType.Permit,
            Period = new Period(new FhirDateTime(DateTimeOffset.UtcNow.AddDays(-30)), new FhirDateTime(DateTimeOffset.UtcNow.AddDays(-1))),
            Actor =
            [
                new Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference($"Organization/{organization}"),
                },
            ],
        },
    };

    private sealed record Citizen(string Patient, string Observation, string? Labelled);

    /// <summary>Citizens sharing one fresh family name and one fresh observation code, so only this test's rows match.</summary>
    private sealed class World(AccessScenario s)
    {
        private readonly string _family = "Kh" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsAsciiLetter).Take(8));
        private readonly string _code = Guid.NewGuid().ToString("N");

        /// <summary>
        /// <paramref name="count"/> citizens, each with <paramref name="encounters"/> encounters at
        /// <paramref name="organization"/> and an observation with the test's code (and, with <paramref name="label"/>,
        /// a second one carrying that label), in one transaction.
        /// </summary>
        public async Task<List<Citizen>> CitizensAsync(string organization, int count, int encounters = 1, string? label = null)
        {
            var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
            void Add(Resource resource, string? fullUrl = null) => bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = fullUrl,
                Resource = resource,
                Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = resource.TypeName },
            });
            Observation Coded(string patient) => new()
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept(CodeSystem, _code),
                Subject = new ResourceReference(patient),
            };

            for (var i = 0; i < count; i++)
            {
                var patient = "urn:uuid:" + Guid.NewGuid();
                Add(new Patient { Name = [new HumanName { Family = _family, Given = ["Nghiệm"] }] }, patient);
                for (var e = 0; e < encounters; e++)
                {
                    Add(new Encounter
                    {
                        Status = Encounter.EncounterStatus.Finished,
                        Class = new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB"),
                        Subject = new ResourceReference(patient),
                        ServiceProvider = new ResourceReference($"Organization/{organization}"),
                    });
                }

                Add(Coded(patient));
                if (label is not null)
                {
                    var labelled = Coded(patient);
                    labelled.Meta = new Meta { Security = [new Coding(SecurityLabels.ActCodeSystem, label)] };
                    Add(labelled);
                }
            }

            s.AsProvince();
            var (status, response) = await s.Fhir.SendAsync<Bundle>(HttpMethod.Post, string.Empty, bundle);
            Assert.Equal(System.Net.HttpStatusCode.OK, status);
            var ids = response.Entry.Select(e => e.Response.Location.Split('/')[1]).ToList();
            var perCitizen = 1 + encounters + 1 + (label is null ? 0 : 1);
            return [.. Enumerable.Range(0, count).Select(i => i * perCitizen).Select(at => new Citizen(
                ids[at], ids[at + 1 + encounters], label is null ? null : ids[at + 2 + encounters]))];
        }

        /// <summary>
        /// For the name search and the code search, unsorted and sorted: what <paramref name="access"/> finds, page by page
        /// (7 a page, through the next links), equals the province-wide matches (seeing <paramref name="permitted"/>)
        /// among <paramref name="visible"/>, in the same order; the default total and <c>_total=accurate</c> count them.
        /// </summary>
        public async Task AssertSameAsRestrictedAsync(FhirAccess access, IReadOnlySet<string> visible, params string[] permitted)
        {
            foreach (var query in new[]
            {
                $"Patient?name={_family}", $"Patient?name={_family}&_sort=-_id",
                $"Observation?code={CodeSystem}|{_code}", $"Observation?code={_code}&_sort=-_id",
            })
            {
                s.As(AccessScenario.ProvinceWide(permitted));
                var expected = (await PagesAsync($"{query}&_count=1000")).Where(visible.Contains).ToList();
                s.As(access);
                var paged = await PagesAsync($"{query}&_count=7");
                var first = await s.Fhir.SearchAsync($"{query}&_count=7");
                var accurate = await s.Fhir.SearchAsync($"{query}&_count=7&_total=accurate");
                s.AsProvince();

                Assert.Equal(expected, paged);
                Assert.Equal(expected.Take(7), first.MatchIds());
                Assert.Equal(expected.Count, first.Total);
                Assert.Equal(expected.Count, accurate.Total);
            }
        }

        private async Task<List<string>> PagesAsync(string query)
        {
            var ids = new List<string>();
            for (var page = await s.Fhir.SearchAsync(query); ; page = await s.Fhir.SearchAsync(page.NextLink.ToString()))
            {
                ids.AddRange(page.MatchIds());
                if (page.NextLink is null)
                {
                    return ids;
                }
            }
        }
    }
}
