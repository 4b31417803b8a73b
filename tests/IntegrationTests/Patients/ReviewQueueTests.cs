using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.IntegrationTests.Infrastructure;
using YTeSo.Patients.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.IntegrationTests.Patients;

/// <summary>
/// The MPI review queue over HTTP (issue 4): a possible match waits for the steward, whose decision (link, not the same
/// person, merge) is applied, audited with its reason, published to listeners, and outlives later changes. Synthetic data.
/// </summary>
public sealed class ReviewQueueTests(MergeApp app) : IClassFixture<MergeApp>
{
    private const string Golden = "https://yteso.vn/fhir/CodeSystem/mpi|golden";
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_possible_match_waits_for_the_steward_and_a_link_joins_the_two_golden_records_for_good()
    {
        var (a, b) = await PossiblePairAsync("Nhung");
        var item = await OpenItemAsync(a.Id, b.Id);
        Assert.NotEqual(await GoldenOfAsync(a.Id), await GoldenOfAsync(b.Id));

        using var steward = app.CreateStewardClient();
        using (var decided = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "link", reason = "Cùng số điện thoại người nhà, xác nhận qua điện thoại" }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
        }

        var person = await GoldenOfAsync(a.Id);
        Assert.Equal(person, await GoldenOfAsync(b.Id));
        Assert.DoesNotContain(await OpenItemsAsync(), i => i.Id == item);
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Linked && c.Person == $"Person/{person}" && c.ActorId == $"client/{MergeApp.StewardClientId}");
        var audit = await app.Services.GetRequiredService<AuditQuery>().SearchAsync(new AuditFilter { PatientId = a.Id, Action = AuditActions.Operation }, null, 20, Token);
        var decision = Assert.Single(audit.Records, r => r.Record.Query?.Contains($"item={item}", StringComparison.Ordinal) == true);
        Assert.Contains("decision=linked", decision.Record.Query, StringComparison.Ordinal);
        Assert.Equal("Cùng số điện thoại người nhà, xác nhận qua điện thoại", decision.Record.Detail);
        Assert.Equal(new[] { a.Id, b.Id }.Order(StringComparer.Ordinal), decision.Record.PatientIds!.Order(StringComparer.Ordinal));

        // The facility corrects a typo in its record: the matcher looks again, and the reviewer's link stands.
        b.Name[0].Given = ["Thị", "Nhung"];
        using var fhir = app.CreateFhirClient();
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Patient>(HttpMethod.Put, $"Patient/{b.Id}", b)).Status);
        Assert.Equal(person, await GoldenOfAsync(b.Id));
    }

    [Fact]
    public async Task Not_the_same_person_keeps_the_pair_apart_when_either_record_changes()
    {
        var (a, b) = await PossiblePairAsync("Ngân");
        var item = await OpenItemAsync(a.Id, b.Id);

        using var steward = app.CreateStewardClient();
        using (var decided = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "not-same", reason = "Hai chị em họ, khác cha mẹ" }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
        }

        using var fhir = app.CreateFhirClient();
        b.Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, a.Telecom[0].Value)];
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Patient>(HttpMethod.Put, $"Patient/{b.Id}", b)).Status);

        Assert.NotEqual(await GoldenOfAsync(a.Id), await GoldenOfAsync(b.Id));
        Assert.DoesNotContain(await OpenItemsAsync(), i => Pair(i, a.Id, b.Id));
    }

    [Fact]
    public async Task A_decision_without_a_reason_or_on_a_decided_item_is_refused_and_changes_nothing()
    {
        var (a, b) = await PossiblePairAsync("Quyên");
        var item = await OpenItemAsync(a.Id, b.Id);
        using var steward = app.CreateStewardClient();

        using (var noReason = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "link", reason = "  " }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
            Assert.Contains("reason", await noReason.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
        }

        using (var unknown = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "maybe", reason = "?" }, Token))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        }

        Assert.Contains(await OpenItemsAsync(), i => i.Id == item);
        Assert.NotEqual(await GoldenOfAsync(a.Id), await GoldenOfAsync(b.Id));

        using (var first = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "not-same", reason = "Khác mẹ" }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        }

        using var second = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "link", reason = "Nhầm" }, Token);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.NotEqual(await GoldenOfAsync(a.Id), await GoldenOfAsync(b.Id));
    }

    [Fact]
    public async Task A_merge_from_the_queue_folds_the_duplicate_into_the_record_the_steward_keeps()
    {
        var (a, b) = await PossiblePairAsync("Trinh");
        var item = await OpenItemAsync(a.Id, b.Id);
        using var steward = app.CreateStewardClient();

        using (var decided = await steward.PostAsJsonAsync($"api/patients/review-items/{item}/decision", new { decision = "merge", survivor = a.Id, reason = "Đăng ký trùng tại quầy tiếp đón" }, Token))
        {
            Assert.Equal(HttpStatusCode.NoContent, decided.StatusCode);
        }

        using var fhir = app.CreateFhirClient();
        var (status, merged) = await fhir.SendAsync<Patient>(HttpMethod.Get, $"Patient/{b.Id}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(merged.Active);
        Assert.Contains(merged.Link, l => l.Type == Patient.LinkType.ReplacedBy && l.Other.Reference == $"Patient/{a.Id}");
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Merged && c.Person == $"Patient/{a.Id}" && c.SourcePatientIds.SequenceEqual([b.Id]));
    }

    [Fact]
    public async Task The_linker_tells_listeners_when_a_record_joins_a_person_and_when_it_leaves()
    {
        using var fhir = app.CreateFhirClient();
        var cccd = string.Create(CultureInfo.InvariantCulture, $"066185{Random.Shared.Next(0, 1_000_000):D6}");
        static Patient Record(string facility, string id) => new()
        {
            Name = [new HumanName { Family = "Lâm", Given = ["Văn", "Tài"] }],
            BirthDate = "1985-02-09",
            Gender = AdministrativeGender.Male,
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/cccd", id), new Identifier($"https://yteso.vn/fhir/sid/ma-bn/{facility}", Guid.NewGuid().ToString("N")[..10])],
        };
        var first = await fhir.CreateAsync(Record("66001", cccd));
        var second = await fhir.CreateAsync(Record("66123", cccd));
        var person = await GoldenOfAsync(first.Id);
        Assert.Equal(person, await GoldenOfAsync(second.Id));
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Linked && c.Person == $"Person/{person}" && c.SourcePatientIds.SequenceEqual([second.Id]));
        Assert.DoesNotContain(app.Listener.Changes, c => c.SourcePatientIds.Contains(first.Id)); // it started the person: nothing was linked

        // The station corrects the CCCD it had typed: another person's number, so the record leaves this person.
        var corrected = Record("66123", string.Create(CultureInfo.InvariantCulture, $"066185{Random.Shared.Next(0, 1_000_000):D6}"));
        corrected.Id = second.Id;
        corrected.Identifier[1] = second.Identifier[1];
        Assert.Equal(HttpStatusCode.OK, (await fhir.SendAsync<Patient>(HttpMethod.Put, $"Patient/{second.Id}", corrected)).Status);

        Assert.NotEqual(person, await GoldenOfAsync(second.Id));
        Assert.Contains(app.Listener.Changes, c => c.Kind == PatientIdentityChangeKind.Unlinked && c.Person == $"Person/{person}" && c.SourcePatientIds.SequenceEqual([second.Id]));
    }

    [Fact]
    public async Task The_queue_is_the_stewards_alone()
    {
        using var hospital = app.CreateFhirClient();
        using var list = await hospital.GetAsync(new Uri(app.ClientOptions.BaseAddress, "api/patients/review-items"), Token);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);
        using var decide = await hospital.PostAsJsonAsync(new Uri(app.ClientOptions.BaseAddress, "api/patients/review-items/1/decision"), new { decision = "link", reason = "x" }, Token);
        Assert.Equal(HttpStatusCode.Forbidden, decide.StatusCode);
    }

    /// <summary>
    /// Two records of one woman at two facilities that the matcher cannot be sure of: one with the middle name, the full
    /// birth date and a phone, the other without the middle name, with the birth year only and no phone.
    /// </summary>
    private async Task<(Patient A, Patient B)> PossiblePairAsync(string given)
    {
        using var fhir = app.CreateFhirClient();
        var family = Families[Interlocked.Increment(ref _next) % Families.Length];
        var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
        var a = await fhir.CreateAsync(new Patient
        {
            Name = [new HumanName { Family = family, Given = ["Thị", "Hồng", given] }],
            BirthDate = "1991-04-17",
            Gender = AdministrativeGender.Female,
            Telecom = [new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, phone)],
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-bn/66001", Guid.NewGuid().ToString("N")[..10])],
            Address = [Commune("24121")],
        });
        var b = await fhir.CreateAsync(new Patient
        {
            Name = [new HumanName { Family = family, Given = ["Thị", given] }],
            BirthDate = "1991",
            Gender = AdministrativeGender.Female,
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-bn/66123", Guid.NewGuid().ToString("N")[..10])],
            Address = [Commune("24121")],
        });
        return (a, b);
    }

    private static readonly string[] Families = ["Võ", "Đặng", "Bùi", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Mai"];
    private static int _next;

    private static Address Commune(string code)
    {
        var address = new Address { Text = "Thôn thử nghiệm" };
        address.SetExtension("https://yteso.vn/fhir/StructureDefinition/commune-code", new Code(code));
        return address;
    }

    private async Task<long> OpenItemAsync(string a, string b)
    {
        var items = await OpenItemsAsync();
        return Assert.Single(items, i => Pair(i, a, b)).Id;
    }

    private static bool Pair(ReviewItem item, string a, string b) =>
        (item.Patient == $"Patient/{a}" && item.Candidate == $"Patient/{b}") || (item.Patient == $"Patient/{b}" && item.Candidate == $"Patient/{a}");

    private async Task<List<ReviewItem>> OpenItemsAsync()
    {
        using var steward = app.CreateStewardClient();
        using var response = await steward.GetAsync("api/patients/review-items?count=500", Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<List<ReviewItem>>(JsonSerializerOptions.Web, Token))!;
    }

    private async Task<string> GoldenOfAsync(string patientId)
    {
        using var fhir = app.CreateFhirClient();
        var found = await fhir.SearchAsync($"Person?patient=Patient/{patientId}&_tag={Golden}");
        return Assert.Single(found.MatchIds());
    }

    private sealed record ReviewItem(long Id, double Probability, string Patient, string Candidate);
}
