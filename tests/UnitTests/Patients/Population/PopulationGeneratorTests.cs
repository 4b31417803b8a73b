using System.Text.Json;
using System.Text.RegularExpressions;

using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Identifiers;
using YTeSo.Patients.Matching;
using YTeSo.Patients.SyntheticPopulation;

namespace YTeSo.UnitTests.Patients.Population;

public sealed partial class PopulationGeneratorTests
{
    private const string AdminUnits = "/work/shared/data/admin-units";

    private static readonly JsonSerializerOptions FhirJson = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    private static readonly PopulationOptions Options = new() { Seed = 7, People = 2_000, DuplicateRate = 0.4 };

    private static readonly Lazy<List<SourceRecord>> Records = new(() => [.. PopulationGenerator.Generate(Options).Records()]);

    [Fact]
    public void The_same_seed_gives_the_same_records()
    {
        var first = Serialize(PopulationGenerator.Generate(Options).Records().Take(500));
        var second = Serialize(PopulationGenerator.Generate(Options with { }).Records().Take(500));

        Assert.Equal(first, second);
    }

    [Fact]
    public void Another_seed_gives_other_people()
    {
        var first = Serialize(PopulationGenerator.Generate(Options).Records().Take(50));
        var other = Serialize(PopulationGenerator.Generate(Options with { Seed = 8 }).Records().Take(50));

        Assert.NotEqual(first, other);
    }

    [Fact]
    public void It_makes_as_many_people_as_asked_and_more_records_when_people_are_seen_twice()
    {
        var people = Records.Value.Select(r => r.PersonId).Distinct().Count();

        Assert.Equal(Options.People, people);
        Assert.InRange(Records.Value.Count, Options.People * 1.3, Options.People * 1.9);
    }

    [Fact]
    public void Every_cccd_agrees_with_the_sex_and_birth_year_of_its_record()
    {
        foreach (var (patient, cccd) in Records.Value.Select(r => (r.Patient, Value(r.Patient, IdentifierSystems.PersonalId))).Where(p => p.Item2 is not null))
        {
            Assert.Matches(TwelveDigits(), cccd);
            var centuryAndSex = cccd![3] - '0';
            var year = 1900 + (centuryAndSex / 2 * 100) + int.Parse(cccd[4..6], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(patient.Gender == AdministrativeGender.Female, centuryAndSex % 2 == 1);
            Assert.Equal(patient.BirthDate![..4], year.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var sex = patient.Gender == AdministrativeGender.Female ? PersonSex.Female : PersonSex.Male;
            var check = Cccd.Check(cccd, sex, year);
            Assert.True(check.IsValid && check.Warnings.Count == 0, string.Join(" ", check.Problems.Concat(check.Warnings)));
        }
    }

    [Fact]
    public void Every_bhyt_card_has_a_known_group_a_benefit_level_a_province_and_the_bhxh_number()
    {
        var cards = Records.Value.Select(r => Value(r.Patient, IdentifierSystems.InsuranceCard)).OfType<string>().ToList();

        Assert.NotEmpty(cards);
        Assert.All(cards, card => Assert.Matches(BhytCard(), card));
        Assert.All(cards, card => Assert.True(Bhyt.Check(card).IsValid, string.Join(" ", Bhyt.Check(card).Problems)));
    }

    [Fact]
    public void Two_people_never_share_a_cccd()
    {
        var owners = Records.Value
            .Select(r => (r.PersonId, Cccd: Value(r.Patient, IdentifierSystems.PersonalId)))
            .Where(o => o.Cccd is not null)
            .GroupBy(o => o.Cccd)
            .Where(g => g.Select(o => o.PersonId).Distinct().Count() > 1);

        Assert.Empty(owners);
    }

    [Fact]
    public void Every_record_reads_without_problems_and_keeps_its_identifiers()
    {
        var population = PopulationGenerator.Generate(Options);

        foreach (var source in Records.Value.Take(1_000))
        {
            var reading = PersonRecordReader.ReadWithProblems(source.Patient, population.TodaysCommunes);

            Assert.True(reading.Problems.Count == 0, $"{source.Patient.Id}: {string.Join(" ", reading.Problems)}");
            Assert.Equal(source.Distortions.HasFlag(Distortion.MissingCccd) || source.Distortions.HasFlag(Distortion.NewbornTemporary), reading.Record.PersonalId is null);
            Assert.Equal(source.Distortions.HasFlag(Distortion.NewbornTemporary), reading.Record.IsTemporary);
            Assert.Equal(source.FacilityCode, reading.Record.FacilityCode);
            Assert.NotEmpty(reading.Record.Communes);
        }
    }

    [Fact]
    public void Twins_are_two_people_born_on_the_same_day_in_the_same_household()
    {
        var people = PopulationGenerator.Generate(Options with { People = 20_000 }).People().Select(p => p.Person).ToDictionary(p => p.Id);
        var twins = people.Values.Where(p => p.Relation == PersonRelation.Twin).ToList();

        Assert.NotEmpty(twins);
        Assert.All(twins, twin =>
        {
            var other = people[twin.RelatedPersonId!];
            Assert.NotEqual(twin.Id, other.Id);
            Assert.NotEqual(twin.PersonalId, other.PersonalId);
            Assert.Equal(twin.BirthDate, other.BirthDate);
            Assert.Equal(twin.HouseholdId, other.HouseholdId);
            Assert.Equal(twin.Family, other.Family);
        });
    }

    [Fact]
    public void A_son_named_after_his_father_is_another_person_with_the_same_name()
    {
        var people = PopulationGenerator.Generate(Options with { People = 20_000 }).People().Select(p => p.Person).ToDictionary(p => p.Id);
        var namesakes = people.Values.Where(p => p.Relation == PersonRelation.Namesake).ToList();

        Assert.NotEmpty(namesakes);
        Assert.All(namesakes, person => Assert.Equal(person.FullName, people[person.RelatedPersonId!].FullName));
        Assert.All(namesakes, person => Assert.NotEqual(person.BirthDate.Year, people[person.RelatedPersonId!].BirthDate.Year));
    }

    [Fact]
    public void Every_kind_of_distortion_occurs()
    {
        var seen = Records.Value.Aggregate(Distortion.None, (all, r) => all | r.Distortions);

        foreach (var kind in Enum.GetValues<Distortion>().Where(k => k != Distortion.None))
        {
            Assert.True(seen.HasFlag(kind), $"{kind} never occurs");
        }
    }

    [Fact]
    public void Records_carry_the_facility_patient_number_and_the_commune_code_extension()
    {
        Assert.All(Records.Value, r =>
        {
            Assert.Equal(r.FacilityCode, r.Patient.ManagingOrganization.Identifier.Value);
            Assert.Equal(5, r.FacilityCode.Length);
            Assert.Single(r.Patient.Identifier, i => i.System == IdentifierSystems.FacilityPatientNumber(r.FacilityCode));
            Assert.Matches(FiveDigits(), ((Code)r.Patient.Address[0].GetExtension(PersonRecordReader.CommuneCodeExtension).Value).Value);
        });
    }

    [Fact]
    public void An_old_commune_code_translates_to_the_commune_of_today()
    {
        var population = PopulationGenerator.Generate(Options);
        var moved = Records.Value.Where(r => r.Distortions.HasFlag(Distortion.LegacyCommune)).Take(50).ToList();
        var people = population.People().Take(Options.People).Select(p => p.Person).ToDictionary(p => p.Id);

        Assert.NotEmpty(moved);
        Assert.All(moved, r => Assert.Contains(people[r.PersonId].CurrentCommune, population.TodaysCommunes(((Code)r.Patient.Address[0].GetExtension(PersonRecordReader.CommuneCodeExtension).Value).Value)));
    }

    [Fact]
    public void The_published_commune_lists_are_used_when_the_folder_is_given()
    {
        if (!Directory.Exists(AdminUnits))
        {
            Assert.Skip($"{AdminUnits} is not on this machine.");
        }

        var population = PopulationGenerator.Generate(Options with { People = 300, AdminUnitsFolder = AdminUnits });
        var records = population.Records().ToList();

        // Phường Trúc Bạch (00004, Hà Nội) became part of today's Phường Ba Đình, which reuses the code 00004.
        Assert.Contains("00004", PopulationGenerator.Generate(Options with { AdminUnitsFolder = AdminUnits, Province = "01" }).TodaysCommunes("00004"));
        Assert.Contains(records, r => r.Distortions.HasFlag(Distortion.LegacyCommune));
        Assert.All(records, r => Assert.NotEmpty(population.TodaysCommunes(((Code)r.Patient.Address[0].GetExtension(PersonRecordReader.CommuneCodeExtension).Value).Value)));
    }

    private static string? Value(Patient patient, string system) => patient.Identifier.FirstOrDefault(i => i.System == system)?.Value;

    private static string Serialize(IEnumerable<SourceRecord> records) =>
        string.Join('\n', records.Select(r => $"{r.PersonId} {r.Distortions} {JsonSerializer.Serialize(r.Patient, FhirJson)}"));

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex TwelveDigits();

    [GeneratedRegex("^[0-9]{5}$")]
    private static partial Regex FiveDigits();

    [GeneratedRegex("^[A-Z]{2}[1-5][0-9]{2}[0-9]{10}$")]
    private static partial Regex BhytCard();
}
