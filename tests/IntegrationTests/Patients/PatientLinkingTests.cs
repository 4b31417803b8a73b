using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using YTeSo.IntegrationTests.Infrastructure;

namespace YTeSo.IntegrationTests.Patients;

/// <summary>The MPI links source records as they are written through FHIR (issue 4), on SQLite and PostgreSQL.</summary>
public sealed class PatientLinkingTests(YTeSoApp app) : IClassFixture<YTeSoApp>
{
    private const string Cccd = "https://yteso.vn/fhir/sid/cccd";
    private const string Golden = "https://yteso.vn/fhir/CodeSystem/mpi|golden";

    [Fact]
    public async Task Two_records_of_one_person_from_different_facilities_share_one_golden_record()
    {
        using var fhir = app.CreateFhirClient();
        var (hospital, station) = (await FacilityAsync(fhir, "66001"), await FacilityAsync(fhir, "66123"));
        var cccd = NewCccd(female: false, 1980);
        var atHospital = await fhir.CreateAsync(Source(hospital, "Nguyễn", ["Văn", "Khải"], "1980-03-14", AdministrativeGender.Male, "0912345670", cccd));
        var atStation = await fhir.CreateAsync(Source(station, "Nguyen", ["Van", "Khai"], "1980-03-14", AdministrativeGender.Male, "+84 912 345 670", cccd));

        var goldenOfHospital = await GoldenOfAsync(fhir, atHospital.Id);
        var goldenOfStation = await GoldenOfAsync(fhir, atStation.Id);

        Assert.Equal(goldenOfHospital.Id, goldenOfStation.Id);
        Assert.Equal(
            [$"Patient/{atHospital.Id}", $"Patient/{atStation.Id}"],
            goldenOfHospital.Link.Select(l => l.Target.Reference).Order(StringComparer.Ordinal));
        Assert.Contains(goldenOfHospital.Link, l => l.Assurance == Person.IdentityAssuranceLevel.Level3);
        Assert.Contains(goldenOfHospital.Link, l => l.Assurance == Person.IdentityAssuranceLevel.Level4);

        // A search by the citizen's CCCD still finds the facilities' two records and nothing else: a hospital's
        // conditional create by CCCD is not confused by the MPI.
        Assert.Equal(
            [atHospital.Id, atStation.Id],
            (await fhir.SearchAsync($"Patient?identifier={Cccd}|{cccd}")).MatchIds().Order(StringComparer.Ordinal));
        // Survivorship keeps the name written with diacritics, whichever record came last.
        Assert.Equal("Nguyễn", goldenOfHospital.Name[0].Family);
        Assert.Contains(goldenOfHospital.Identifier, i => i.System == Cccd && i.Value == cccd);
    }

    [Fact]
    public async Task A_record_without_personal_id_is_linked_by_name_birth_date_phone_and_commune()
    {
        using var fhir = app.CreateFhirClient();
        var (hospital, station) = (await FacilityAsync(fhir, "66002"), await FacilityAsync(fhir, "66124"));
        var phone = NewPhone();
        var first = await fhir.CreateAsync(Source(hospital, "Trần", ["Thị", "Xuân", "Hoà"], "1975-11-02", AdministrativeGender.Female, phone, NewCccd(female: true, 1975), commune: "24121"));
        var second = await fhir.CreateAsync(Source(station, "Tran", ["Thi", "Xuan", "Hòa"], "1975-11-02", AdministrativeGender.Female, phone, cccd: null, commune: "24121"));

        Assert.Equal((await GoldenOfAsync(fhir, first.Id)).Id, (await GoldenOfAsync(fhir, second.Id)).Id);
    }

    [Fact]
    public async Task Twins_who_share_everything_but_their_given_names_keep_separate_golden_records()
    {
        using var fhir = app.CreateFhirClient();
        var station = await FacilityAsync(fhir, "66125");
        var phone = NewPhone();
        var elder = await fhir.CreateAsync(Source(station, "Lê", ["Minh", "Quân"], "2019-06-01", AdministrativeGender.Male, phone, cccd: null, commune: "24121", birthOrder: 1));
        var younger = await fhir.CreateAsync(Source(station, "Lê", ["Minh", "Quang"], "2019-06-01", AdministrativeGender.Male, phone, cccd: null, commune: "24121", birthOrder: 2));

        Assert.NotEqual((await GoldenOfAsync(fhir, elder.Id)).Id, (await GoldenOfAsync(fhir, younger.Id)).Id);
    }

    [Fact]
    public async Task Match_returns_graded_candidates_best_first()
    {
        using var fhir = app.CreateFhirClient();
        var hospital = await FacilityAsync(fhir, "66003");
        var cccd = NewCccd(female: true, 1990);
        var known = await fhir.CreateAsync(Source(hospital, "Phạm", ["Thu", "Trang"], "1990-08-20", AdministrativeGender.Female, NewPhone(), cccd));
        var byId = await MatchAsync(fhir, Source(null, "Pham", ["Thu", "Trang"], "1990-08-20", AdministrativeGender.Female, null, cccd));
        var first = Assert.Single(byId.Entry, e => e.Resource.Id == known.Id);
        Assert.Equal(Bundle.SearchEntryMode.Match, first.Search.Mode);
        Assert.Equal("certain", first.Search.GetExtensionValue<Code>("http://hl7.org/fhir/StructureDefinition/match-grade").Value);
        Assert.True(first.Search.Score > 0.9m);
        Assert.Equal(known.Id, byId.Entry[0].Resource.Id);
        Assert.All(byId.Entry, e => Assert.IsType<Patient>(e.Resource));

        var certainOnly = await MatchAsync(fhir, Source(null, "Pham", ["Trang"], "1990", AdministrativeGender.Female, null, null), onlyCertain: true);
        Assert.DoesNotContain(certainOnly.Entry, e => e.Resource.Id == known.Id);
    }

    [Fact]
    public async Task Match_without_a_patient_is_a_400_with_an_operation_outcome()
    {
        using var fhir = app.CreateFhirClient();
        using var response = await fhir.PostAsync("Patient/$match", FhirHttp.Json(new Parameters { Parameter = [new() { Name = "count", Value = new Integer(3) }] }), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = await response.ReadAsync<OperationOutcome>();
        Assert.Contains("resource", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_golden_record_is_a_person_that_never_gets_a_golden_record_of_its_own()
    {
        using var fhir = app.CreateFhirClient();
        var hospital = await FacilityAsync(fhir, "66004");
        var source = await fhir.CreateAsync(Source(hospital, "Đỗ", ["Văn", "Lộc"], "1966-01-09", AdministrativeGender.Male, NewPhone(), NewCccd(female: false, 1966)));
        var golden = await GoldenOfAsync(fhir, source.Id);

        Assert.Contains(golden.Identifier, i => i.System == "https://yteso.vn/fhir/sid/mpi" && i.Value == golden.Id);
        Assert.Empty((await fhir.SearchAsync($"Person?link=Person/{golden.Id}")).MatchIds());
        Assert.Empty((await fhir.SearchAsync($"Patient?link=Person/{golden.Id}")).MatchIds());
        Assert.Equal([source.Id], (await fhir.SearchAsync($"Patient?identifier=https://yteso.vn/fhir/sid/cccd|{source.Identifier[0].Value}")).MatchIds());
    }

    private static async Task<Person> GoldenOfAsync(HttpClient fhir, string sourceId)
    {
        var found = await fhir.SearchAsync($"Person?patient=Patient/{sourceId}&_tag={Golden}");
        return (Person)Assert.Single(found.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Resource!;
    }

    private static async Task<Bundle> MatchAsync(HttpClient fhir, Patient patient, bool onlyCertain = false)
    {
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "resource", Resource = patient });
        parameters.Add("onlyCertainMatches", new FhirBoolean(onlyCertain));
        using var response = await fhir.PostAsync("Patient/$match", FhirHttp.Json(parameters), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadAsync<Bundle>())!;
    }

    private static async Task<string> FacilityAsync(HttpClient fhir, string code)
    {
        var organization = await fhir.CreateAsync(new Organization
        {
            Identifier = [new Identifier("https://yteso.vn/fhir/sid/ma-co-so-kcb", code)],
            Name = $"Cơ sở thử nghiệm {code}",
        });
        return organization.Id!;
    }

    private static Patient Source(
        string? facility, string family, string[] given, string birthDate, AdministrativeGender sex, string? phone, string? cccd, string? commune = null, int? birthOrder = null)
    {
        var patient = new Patient
        {
            Name = [new HumanName { Family = family, Given = given }],
            BirthDate = birthDate,
            Gender = sex,
            ManagingOrganization = facility is null ? null : new ResourceReference($"Organization/{facility}"),
        };
        if (cccd is not null)
        {
            patient.Identifier.Add(new Identifier(Cccd, cccd));
        }

        if (phone is not null)
        {
            patient.Telecom.Add(new ContactPoint(ContactPoint.ContactPointSystem.Phone, ContactPoint.ContactPointUse.Mobile, phone));
        }

        if (commune is not null)
        {
            var address = new Address { Text = "Thôn thử nghiệm", Country = "VN" };
            address.SetExtension("https://yteso.vn/fhir/StructureDefinition/commune-code", new Code(commune));
            patient.Address.Add(address);
        }

        if (birthOrder is not null)
        {
            patient.MultipleBirth = new Integer(birthOrder);
        }

        return patient;
    }

    /// <summary>A structurally valid, random CCCD (vn-standards §4.2) registered in old province 066 (Đắk Lắk).</summary>
    private static string NewCccd(bool female, int birthYear) =>
        string.Create(CultureInfo.InvariantCulture, $"066{(((birthYear / 100) - 19) * 2) + (female ? 1 : 0)}{birthYear % 100:D2}{Random.Shared.Next(0, 1_000_000):D6}");

    private static string NewPhone() => "097" + Random.Shared.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
}
