using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Registry;

/// <summary>
/// Issue 5's practitioner registry over real HTTP: Practitioner and PractitionerRole through FHIR and through the UI API
/// (<c>/api/registry/practitioners</c>), with the registry's rules: a practice licence number has one holder, it is well
/// formed (it travels in QĐ 4750 MA_BAC_SI), and one practitioner cannot hold the same role at one facility twice at the
/// same time. A refused write stores nothing. Synthetic names and numbers.
/// </summary>
public sealed class PractitionerRegistryTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private const string Licence = "https://yteso.vn/fhir/sid/chung-chi-hanh-nghe";
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string NewLicence() => $"{Random.Shared.Next(100_000, 999_999)}/TEST-GPHN";

    [Fact]
    public async Task A_licence_number_already_held_by_another_practitioner_is_refused_with_422_and_nothing_is_stored()
    {
        using var fhir = app.CreateFhirClient();
        var number = NewLicence();
        var first = await fhir.CreateAsync(Practitioner("Trần", "Văn Minh", number));
        Assert.Single((await fhir.SearchAsync($"Practitioner?identifier={Uri.EscapeDataString($"{Licence}|{number}")}")).MatchIds(), first.Id);

        var (status, outcome) = await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "Practitioner", Practitioner("Lê", "Thị Hoa", number));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal(OperationOutcome.IssueType.BusinessRule, outcome.Issue[0].Code);
        Assert.Contains($"already held by Practitioner/{first.Id}", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Single((await fhir.SearchAsync($"Practitioner?identifier={Uri.EscapeDataString($"{Licence}|{number}")}")).MatchIds());

        // The holder may be written again with the same number: the rule is about someone else holding it.
        first.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Work, "0262000111")];
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Practitioner>(HttpMethod.Put, $"Practitioner/{first.Id}", first)).Status);
    }

    [Fact]
    public async Task A_transaction_giving_one_licence_to_two_practitioners_writes_neither()
    {
        using var fhir = app.CreateFhirClient();
        var number = NewLicence();
        var bundle = new Bundle { Type = Bundle.BundleType.Transaction };
        foreach (var (family, given) in new[] { ("Phạm", "Quốc Bảo"), ("Đỗ", "Thị Lan") })
        {
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = Practitioner(family, given, number), Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.POST, Url = "Practitioner" } });
        }

        var (status, outcome) = await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "", bundle);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("already held by", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Empty((await fhir.SearchAsync($"Practitioner?identifier={Uri.EscapeDataString($"{Licence}|{number}")}")).MatchIds());
    }

    [Theory]
    [InlineData("000123/ĐL-CCHN;000124/ĐL-CCHN", "no ';'")]
    [InlineData(" 000125/ĐL-CCHN", "leading or trailing spaces")]
    [InlineData("0000000000111111111122222222223333333333444444444455", "at most 50 characters")]
    public async Task A_malformed_licence_number_is_refused_naming_the_element(string number, string expected)
    {
        using var fhir = app.CreateFhirClient();
        var practitioner = Practitioner("Vũ", "Hải Yến", "placeholder");
        practitioner.Identifier[0].Value = number;
        var (status, outcome) = await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "Practitioner", practitioner);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.StartsWith("Practitioner.identifier[0]", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains(expected, outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_practitioners_and_organizations_are_not_held_to_the_registry_profile()
    {
        // Data from elsewhere (a US NPI from a Synthea bundle) has no Vietnamese licence: nothing to check.
        using var fhir = app.CreateFhirClient();
        var created = await fhir.CreateAsync(new Practitioner { Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "9999999999")], Name = [new HumanName { Family = "Example" }] });
        Assert.NotNull(created.Id);
    }

    [Fact]
    public async Task Overlapping_roles_of_one_practitioner_at_one_facility_are_refused_and_successive_ones_accepted()
    {
        using var fhir = app.CreateFhirClient();
        var practitioner = await fhir.CreateAsync(Practitioner("Hoàng", "Minh Tâm", NewLicence()));
        var facility = await fhir.CreateAsync(new Organization { Name = "Phòng khám đa khoa thử nghiệm" });
        var other = await fhir.CreateAsync(new Organization { Name = "Trạm y tế thử nghiệm" });

        Assert.NotNull((await fhir.CreateAsync(Role(practitioner.Id, facility.Id, "doctor", "2024-01-01", "2025-12-31"))).Id);

        var (status, outcome) = await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "PractitionerRole", Role(practitioner.Id, facility.Id, "doctor", "2025-06-01", null));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("already holds this role", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Contains("2025-12-31", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);

        // "2025-12" as an end means all of December: a role starting on 31/12/2025 still overlaps it.
        var monthEnd = await fhir.CreateAsync(Practitioner("Hoàng", "Văn Nam", NewLicence()));
        await fhir.CreateAsync(Role(monthEnd.Id, facility.Id, "nurse", "2024-01-01", "2025-12"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "PractitionerRole", Role(monthEnd.Id, facility.Id, "nurse", "2025-12-31", null))).Status);

        // The next job after the first ends, the same dates at another facility, or another role: all accepted.
        Assert.NotNull((await fhir.CreateAsync(Role(practitioner.Id, facility.Id, "doctor", "2026-01-01", null))).Id);
        Assert.NotNull((await fhir.CreateAsync(Role(practitioner.Id, other.Id, "doctor", "2025-06-01", null))).Id);
        Assert.NotNull((await fhir.CreateAsync(Role(practitioner.Id, facility.Id, "teacher", "2025-06-01", null))).Id);
        Assert.Equal(4, (await fhir.SearchAsync($"PractitionerRole?practitioner=Practitioner/{practitioner.Id}")).MatchIds().Count);
    }

    [Fact]
    public async Task A_role_without_a_practitioner_or_ending_before_it_starts_is_refused()
    {
        using var fhir = app.CreateFhirClient();
        var (status, outcome) = await fhir.SendAsync<OperationOutcome>(HttpMethod.Post, "PractitionerRole", new PractitionerRole { Period = new Period { Start = "2026-02-01", End = "2026-01-01" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains(outcome.Issue, i => i.Diagnostics.StartsWith("PractitionerRole.practitioner", StringComparison.Ordinal));
        Assert.Contains(outcome.Issue, i => i.Diagnostics.Contains("ends (2026-01-01) before it starts (2026-02-01)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_ui_api_registers_finds_changes_and_refuses_like_the_fhir_api()
    {
        using var fhir = app.CreateFhirClient();
        var facility = await fhir.CreateAsync(new Organization { Name = "Bệnh viện thử nghiệm" });
        using var api = app.CreateClient();
        var number = NewLicence();

        using var created = await api.PostAsJsonAsync("api/registry/practitioners", new
        {
            familyName = "Ngô",
            givenNames = "Thị Thu Trang",
            gender = "female",
            birthDate = "1988-03-09",
            licence = new { number, scope = "Khám bệnh, chữa bệnh chuyên khoa nhi", issuedOn = "2019-05-20", issuer = "Sở Y tế thử nghiệm" },
            roles = new[] { new { organization = facility.Id, code = "doctor", display = "Bác sĩ", department = "Khoa Nhi", start = "2020-01-01" } },
        }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync(Ct)).RootElement;
        var id = body.GetProperty("id").GetString()!;
        Assert.Equal("Ngô Thị Thu Trang", body.GetProperty("name").GetString());
        Assert.Equal(number, body.GetProperty("licences")[0].GetProperty("number").GetString());
        Assert.Equal("active", body.GetProperty("licences")[0].GetProperty("status").GetString());
        Assert.Equal($"Organization/{facility.Id}", body.GetProperty("roles")[0].GetProperty("organization").GetString());

        // Found by licence number and by name typed without diacritics, and the FHIR API holds the same.
        var byLicence = JsonDocument.Parse(await api.GetStringAsync($"api/registry/practitioners?licence={Uri.EscapeDataString(number)}", Ct)).RootElement;
        Assert.Equal(id, Assert.Single(byLicence.EnumerateArray()).GetProperty("id").GetString());
        var byName = JsonDocument.Parse(await api.GetStringAsync("api/registry/practitioners?q=ngo thi thu trang", Ct)).RootElement;
        Assert.Contains(byName.EnumerateArray(), p => p.GetProperty("id").GetString() == id);
        var stored = await fhir.SendAsync<Practitioner>(HttpMethod.Get, $"Practitioner/{id}");
        Assert.Equal("Khám bệnh, chữa bệnh chuyên khoa nhi", stored.Resource.Qualification[0].Code.Text);

        // The licence is suspended: the same number is written again with its new status.
        using (var changed = await api.PutAsJsonAsync($"api/registry/practitioners/{id}", new { licence = new { number, scope = "Khám bệnh, chữa bệnh chuyên khoa nhi", issuedOn = "2019-05-20", status = "suspended" } }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
            var after = JsonDocument.Parse(await changed.Content.ReadAsStringAsync(Ct)).RootElement;
            Assert.Equal("suspended", Assert.Single(after.GetProperty("licences").EnumerateArray()).GetProperty("status").GetString());
            Assert.Equal("Ngô Thị Thu Trang", after.GetProperty("name").GetString());
        }

        // Refusals: the same licence for someone else (422 with the rule's words), an overlapping role, bad input (400).
        using (var reused = await api.PostAsJsonAsync("api/registry/practitioners", new { familyName = "Bùi", givenNames = "Văn Toàn", licence = new { number } }, Ct))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
            Assert.Contains("already held by", await reused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var overlap = await api.PostAsJsonAsync($"api/registry/practitioners/{id}/roles", new { organization = facility.Id, code = "doctor", start = "2024-01-01" }, Ct))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, overlap.StatusCode);
            Assert.Contains("already holds this role", await overlap.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var bad = await api.PostAsJsonAsync("api/registry/practitioners", new { givenNames = "Không Họ", gender = "nam", birthDate = "09/03/1988", roles = new[] { new { code = "doctor" } } }, Ct))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var errors = JsonDocument.Parse(await bad.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("errors");
            foreach (var field in new[] { "familyName", "gender", "birthDate", "roles[0].organization" })
            {
                Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
            }
        }

        var roles = JsonDocument.Parse(await api.GetStringAsync($"api/registry/practitioners/{id}", Ct)).RootElement.GetProperty("roles");
        Assert.Single(roles.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("api/registry/practitioners/khong-co", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_ui_api_needs_a_caller_with_practitioner_scopes()
    {
        using var anonymous = app.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("api/registry/practitioners?q=an", Ct)).StatusCode);
    }

    private static Practitioner Practitioner(string family, string given, string licence) => new()
    {
        Identifier = [new Identifier(Licence, licence)],
        Name = [new HumanName { Family = family, Given = given.Split(' ') }],
        Gender = AdministrativeGender.Male,
    };

    private static PractitionerRole Role(string practitioner, string organization, string code, string start, string? end) => new()
    {
        Practitioner = new ResourceReference($"Practitioner/{practitioner}"),
        Organization = new ResourceReference($"Organization/{organization}"),
        Code = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/practitioner-role", code)],
        Period = new Period { Start = start, End = end },
    };
}
