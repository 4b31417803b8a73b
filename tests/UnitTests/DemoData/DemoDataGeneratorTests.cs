using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

using YTeSo.Fhir.DemoData;

namespace YTeSo.UnitTests.DemoData;

public sealed partial class DemoDataGeneratorTests
{
    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    private static readonly DemoDataOptions Options = new(Seed: 20250701, Patients: 120);

    private static readonly Lazy<List<Bundle>> Bundles = new(() => [.. new DemoDataGenerator(Options).GenerateTransactionBundles()]);

    private static Bundle ReferenceBundle => Bundles.Value[0];

    private static IEnumerable<Bundle> CitizenBundles => Bundles.Value.Skip(1);

    private static IEnumerable<Patient> Patients => CitizenBundles.Select(PatientOf);

    [Fact]
    public void Same_seed_produces_identical_bundles()
    {
        var first = Serialize(new DemoDataGenerator(Options).GenerateTransactionBundles());
        var second = Serialize(new DemoDataGenerator(Options with { }).GenerateTransactionBundles());

        Assert.Equal(first, second);
    }

    [Fact]
    public void A_different_seed_produces_different_people_but_the_same_reference_data()
    {
        var other = new DemoDataGenerator(Options with { Seed = 7 }).GenerateTransactionBundles().ToList();

        Assert.Equal(Serialize([ReferenceBundle]), Serialize([other[0]]));
        var names = Patients.Select(p => p.Name[0].Text).ToList();
        var otherNames = other.Skip(1).Select(b => PatientOf(b).Name[0].Text).ToList();
        Assert.NotEqual(names, otherNames);
        Assert.Empty(Patients.Select(Cccd).Intersect(other.Skip(1).Select(b => Cccd(PatientOf(b)))));
    }

    [Fact]
    public void Default_today_is_the_first_of_january_2026()
    {
        Assert.Equal(new DateOnly(2026, 1, 1), new DemoDataOptions().EffectiveToday);
        Assert.All(Patients, p => Assert.True(DateOnly.Parse(p.BirthDate!, System.Globalization.CultureInfo.InvariantCulture) <= new DateOnly(2026, 1, 1)));
    }

    [Fact]
    public void The_generator_yields_a_reference_bundle_then_one_bundle_per_citizen()
    {
        Assert.Equal(Options.Patients + 1, Bundles.Value.Count);
        Assert.All(Bundles.Value, b => Assert.Equal(Bundle.BundleType.Transaction, b.Type));
        Assert.All(CitizenBundles, b => Assert.IsType<Patient>(b.Entry[0].Resource));
    }

    [Fact]
    public void Reference_bundle_puts_every_resource_at_its_own_deterministic_id()
    {
        Assert.All(ReferenceBundle.Entry, e =>
        {
            Assert.Equal(Bundle.HTTPVerb.PUT, e.Request!.Method);
            Assert.Equal($"{e.Resource!.TypeName}/{e.Resource.Id}", e.Request.Url);
        });
        Assert.Contains(ReferenceBundle.Entry, e => e.Request!.Url == "Organization/cs-66001");
        Assert.Contains(ReferenceBundle.Entry, e => e.Request!.Url == "Location/dd-66001");
    }

    [Fact]
    public void Facilities_carry_a_five_character_code_of_the_demo_province_and_a_located_address()
    {
        var organizations = ReferenceBundle.Entry.Select(e => e.Resource).OfType<Organization>().ToList();
        var locations = ReferenceBundle.Entry.Select(e => e.Resource).OfType<Location>().ToList();

        Assert.All(organizations, o =>
        {
            var code = Assert.Single(o.Identifier, i => i.System == "https://yteso.vn/fhir/sid/ma-co-so-kcb").Value;
            Assert.Matches("^66[0-9]{3}$", code);
            Assert.Equal($"cs-{code}", o.Id);
        });
        Assert.Equal(organizations.Count, locations.Count);
        Assert.All(locations, l =>
        {
            Assert.InRange(l.Position!.Latitude!.Value, 12m, 14m);
            Assert.InRange(l.Position!.Longitude!.Value, 107m, 110m);
            Assert.Matches("^[0-9]{5}$", CommuneCode(l.Address!));
            Assert.Null(l.Address!.District);
        });
        Assert.Contains(organizations, o => o.Name!.StartsWith("Trạm Y tế", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name!.StartsWith("Bệnh viện Đa khoa", StringComparison.Ordinal));
        Assert.Contains(organizations, o => o.Name!.StartsWith("Trung tâm Y tế", StringComparison.Ordinal));
    }

    [Fact]
    public void Practitioners_have_a_practice_licence_number()
    {
        var practitioners = ReferenceBundle.Entry.Select(e => e.Resource).OfType<Practitioner>().ToList();

        Assert.NotEmpty(practitioners);
        Assert.All(practitioners, p => Assert.Single(p.Identifier, i => i.System == "https://yteso.vn/fhir/sid/chung-chi-hanh-nghe"));
    }

    [Fact]
    public void Every_cccd_is_twelve_digits_matching_sex_and_birth_year()
    {
        Assert.All(Patients, p =>
        {
            var cccd = Cccd(p);
            var birthYear = int.Parse(p.BirthDate![..4], System.Globalization.CultureInfo.InvariantCulture);

            // vn-standards §4.2: digit 4 = (century - 19) * 2 + (female ? 1 : 0); digits 5-6 = year mod 100.
            var expectedCenturyDigit = (((birthYear / 100) - 19) * 2) + (p.Gender == AdministrativeGender.Female ? 1 : 0);
            Assert.Matches("^[0-9]{12}$", cccd);
            Assert.Equal(expectedCenturyDigit, cccd[3] - '0');
            Assert.Equal((birthYear % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture), cccd[4..6]);
        });
        Assert.Equal(Patients.Count(), Patients.Select(Cccd).Distinct().Count());
    }

    [Fact]
    public void Every_bhyt_number_has_the_standard_shape_and_ends_with_the_bhxh_number()
    {
        var insured = 0;
        foreach (var patient in Patients)
        {
            var bhxh = Assert.Single(patient.Identifier, i => i.System == "https://yteso.vn/fhir/sid/bhxh").Value;
            Assert.Matches("^[0-9]{10}$", bhxh);
            var bhyt = patient.Identifier.SingleOrDefault(i => i.System == "https://yteso.vn/fhir/sid/bhyt")?.Value;
            if (bhyt is null)
            {
                continue;
            }

            // vn-standards §4.3: 2 letters, benefit level 1-5, 2-digit province, 10-digit BHXH number.
            Assert.Matches("^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$", bhyt);
            Assert.Equal(bhxh, bhyt[5..]);
            insured++;
        }

        Assert.InRange(insured, Patients.Count() * 80 / 100, Patients.Count() * 97 / 100);
    }

    [Fact]
    public void Every_entry_has_a_request_method_and_url()
    {
        Assert.All(Bundles.Value.SelectMany(b => b.Entry), e =>
        {
            Assert.NotNull(e.Request);
            Assert.NotNull(e.Request.Method);
            Assert.False(string.IsNullOrEmpty(e.Request.Url));
        });
        Assert.All(CitizenBundles.SelectMany(b => b.Entry), e =>
        {
            Assert.Equal(Bundle.HTTPVerb.POST, e.Request!.Method);
            Assert.Equal(e.Resource!.TypeName, e.Request.Url);
            Assert.StartsWith("urn:uuid:", e.FullUrl, StringComparison.Ordinal);
            Assert.Null(e.Resource.Id);
        });
    }

    [Fact]
    public void Every_urn_uuid_reference_resolves_inside_its_own_bundle()
    {
        foreach (var bundle in CitizenBundles)
        {
            var fullUrls = bundle.Entry.Select(e => e.FullUrl).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(bundle.Entry.Count, fullUrls.Count);
            var references = References(bundle).Where(r => r.StartsWith("urn:uuid:", StringComparison.Ordinal)).ToList();

            Assert.NotEmpty(references);
            Assert.All(references, r => Assert.Contains(r, fullUrls));
        }
    }

    [Fact]
    public void Every_other_reference_points_at_a_resource_of_the_reference_bundle()
    {
        var defined = ReferenceBundle.Entry.Select(e => $"{e.Resource!.TypeName}/{e.Resource.Id}").ToHashSet(StringComparer.Ordinal);

        var others = Bundles.Value.SelectMany(References).Where(r => !r.StartsWith("urn:uuid:", StringComparison.Ordinal)).ToList();

        Assert.NotEmpty(others);
        Assert.All(others, r => Assert.Contains(r, defined));
    }

    [Fact]
    public void Names_are_vietnamese_with_diacritics_in_natural_order()
    {
        var names = Patients.Select(p => p.Name[0]).ToList();

        Assert.All(names, n =>
        {
            Assert.Equal($"{n.Family} {string.Join(' ', n.Given)}", n.Text);
            Assert.Equal(2, n.Given.Count());
            Assert.True(n.Text!.IsNormalized(NormalizationForm.FormC));
        });
        Assert.True(names.Count(n => n.Text!.Any(c => c > 127)) >= names.Count * 9 / 10);
        Assert.Contains(names, n => n.Family == "Nguyễn");
        var nguyenShare = (double)names.Count(n => n.Family == "Nguyễn") / names.Count;
        Assert.InRange(nguyenShare, 0.25, 0.55);
    }

    [Fact]
    public void Patients_live_in_a_demo_commune_and_are_managed_by_its_station()
    {
        var communes = ReferenceBundle.Entry.Select(e => e.Resource).OfType<Location>().Select(l => CommuneCode(l.Address!)).ToHashSet();

        Assert.All(Patients, p =>
        {
            var address = Assert.Single(p.Address);
            Assert.Contains(CommuneCode(address), communes);
            Assert.Equal("Tỉnh Đắk Lắk", address.State);
            Assert.StartsWith("Organization/cs-661", p.ManagingOrganization!.Reference, StringComparison.Ordinal);
        });
        Assert.All(Patients.SelectMany(p => p.Telecom), t => Assert.Matches("^0[35789][0-9]{8}$", t.Value));
    }

    [Fact]
    public void Citizens_have_a_plausible_clinical_history()
    {
        var resources = CitizenBundles.SelectMany(b => b.Entry.Select(e => e.Resource)).ToList();
        var encountersPerCitizen = CitizenBundles.Select(b => b.Entry.Count(e => e.Resource is Encounter)).ToList();

        Assert.All(encountersPerCitizen, n => Assert.InRange(n, 1, 6));
        Assert.Contains(resources.OfType<Condition>(), c => c.Code!.Coding[0].Code == "I10");
        Assert.All(resources.OfType<Condition>(), c => Assert.Equal("http://hl7.org/fhir/sid/icd-10", c.Code!.Coding[0].System));
        Assert.Contains(resources.OfType<Immunization>(), i => i.VaccineCode.Coding[0].System == "http://hl7.org/fhir/sid/cvx");
        Assert.Contains(resources.OfType<MedicationRequest>(), m => m.Status == MedicationRequest.MedicationrequestStatus.Active);
        Assert.All(resources.OfType<Observation>(), o =>
        {
            Assert.Equal("http://loinc.org", o.Code.Coding[0].System);
            Assert.NotNull(o.Effective);
        });
    }

    [Fact]
    public void Hypertensive_patients_have_higher_blood_pressure()
    {
        var hypertensive = new List<decimal>();
        var others = new List<decimal>();
        foreach (var bundle in CitizenBundles)
        {
            var resources = bundle.Entry.Select(e => e.Resource).ToList();
            var isHypertensive = resources.OfType<Condition>().Any(c => c.Code!.Coding[0].Code == "I10");
            var systolic = resources.OfType<Observation>()
                .Where(o => o.Code.Coding[0].Code == "85354-9")
                .Select(o => ((Quantity)o.Component.Single(c => c.Code!.Coding[0].Code == "8480-6").Value!).Value!.Value);
            (isHypertensive ? hypertensive : others).AddRange(systolic);
        }

        Assert.NotEmpty(hypertensive);
        Assert.True(hypertensive.Average() > others.Average() + 10);
    }

    [Fact]
    public void Bundles_round_trip_through_the_firely_json_serializer()
    {
        foreach (var bundle in Bundles.Value)
        {
            var json = JsonSerializer.Serialize(bundle, FhirJson);

            var parsed = JsonSerializer.Deserialize<Bundle>(json, FhirJson);

            Assert.NotNull(parsed);
            Assert.Equal(json, JsonSerializer.Serialize(parsed, FhirJson));
        }
    }

    private static string Cccd(Patient patient) =>
        patient.Identifier.Single(i => i.System == "https://yteso.vn/fhir/sid/cccd").Value!;

    private static string CommuneCode(Address address) =>
        ((Code)address.GetExtension("https://yteso.vn/fhir/StructureDefinition/commune-code")!.Value!).Value!;

    private static Patient PatientOf(Bundle bundle) => Assert.IsType<Patient>(bundle.Entry[0].Resource);

    private static string Serialize(IEnumerable<Bundle> bundles) =>
        string.Join('\n', bundles.Select(b => JsonSerializer.Serialize(b, FhirJson)));

    private static IEnumerable<string> References(Bundle bundle) =>
        ReferencePattern().Matches(JsonSerializer.Serialize(bundle, FhirJson)).Select(m => m.Groups[1].Value);

    [GeneratedRegex("\"reference\":\"([^\"]+)\"")]
    private static partial Regex ReferencePattern();
}
