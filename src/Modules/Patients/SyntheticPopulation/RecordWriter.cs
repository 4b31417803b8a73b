using System.Globalization;

using Hl7.Fhir.Model;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>
/// Writes a person's source records: one for a person seen once, more for the <see cref="PopulationOptions.DuplicateRate"/>
/// share seen again; a first record is mostly clean, later ones carry the distortions real desks produce, at rates
/// that depend on the facility (commune stations often skip the CCCD of children and the elderly, and write only the
/// birth year of old people). Facility patient numbers (MA_BN) count up per facility, so they never collide.
/// </summary>
internal sealed class RecordWriter(PopulationOptions options, IReadOnlyList<Facility> facilities)
{
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Facility> _stations = facilities.Where(f => f.Kind == FacilityKind.CommuneStation).ToDictionary(f => f.Commune!, StringComparer.Ordinal);
    private readonly Facility[] _hospitals = [.. facilities.Where(f => f.Kind == FacilityKind.Hospital)];
    private readonly Facility[] _clinics = [.. facilities.Where(f => f.Kind == FacilityKind.PrivateClinic)];
    private long _records;

    public IReadOnlyList<SourceRecord> Records(SyntheticPerson person, long index)
    {
        var random = new Random(RandomExtensions.Derive(options.Seed ^ 0x5EED, index));
        var age = person.AgeOn(options.Today);
        var count = 1;
        if (random.Chance(options.DuplicateRate))
        {
            count++;
            while (count < 5 && random.Chance(0.35))
            {
                count++;
            }
        }

        var records = new List<SourceRecord>(count + 1);
        if (age < 1 && person.MotherName is not null && random.Chance(0.5))
        {
            // Hospitals register a newborn before it has a name: "Con bà <mother's name>", a temporary identity that
            // is merged later; the child is then registered again under its own name.
            records.Add(Write(person, random, random.Pick(_hospitals), Distortion.NewbornTemporary));
        }

        for (var k = 0; k < count; k++)
        {
            var facility = Facility(person, random);
            records.Add(Write(person, random, facility, Distortions(person, random, facility, age, k == 0 ? 0.25 : 1.0)));
        }

        return records;
    }

    private Facility Facility(SyntheticPerson person, Random random) => random.NextDouble() switch
    {
        < 0.35 when _stations.TryGetValue(person.CurrentCommune, out var station) => station,
        < 0.75 => random.Pick(_hospitals),
        _ => random.Pick(_clinics),
    };

    private static Distortion Distortions(SyntheticPerson person, Random random, Facility facility, int age, double scale)
    {
        var station = facility.Kind == FacilityKind.CommuneStation;
        var d = Distortion.None;
        void Maybe(Distortion kind, double probability, bool applies = true)
        {
            if (applies && random.Chance(probability * scale))
            {
                d |= kind;
            }
        }

        Maybe(Distortion.NoDiacritics, 0.15);
        Maybe(Distortion.Typo, 0.10);
        Maybe(Distortion.WrongToneMark, 0.04);
        Maybe(Distortion.ToneMarkPlacement, 0.5, NameDistortions.MoveToneMark(person.Given) is not null || NameDistortions.MoveToneMark(person.Middle) is not null);
        Maybe(Distortion.SpellingVariant, 0.3, NameDistortions.SwapFinalIy(person.Given) is not null || NameDistortions.SwapFinalIy(person.Middle) is not null);
        Maybe(Distortion.SwappedNameOrder, 0.04);
        Maybe(Distortion.MissingMiddleName, 0.06);
        Maybe(Distortion.Nickname, age < 12 ? 0.05 : 0.01);
        Maybe(Distortion.YearOnlyBirthDate, (age >= 70 ? 0.25 : 0.04) * (station ? 2 : 1));
        Maybe(Distortion.DayMonthSwapped, 0.03, person.BirthDate.Day <= 12 && person.BirthDate.Day != person.BirthDate.Month);
        Maybe(Distortion.LegacyCommune, 0.3, person.Commune.Code != person.CurrentCommune);
        Maybe(Distortion.ChangedPhone, 0.15, person.OtherPhone is not null);
        var vulnerable = age < 14 || age >= 70;
        Maybe(Distortion.MissingCccd, station ? (vulnerable ? 0.6 : 0.2) : (vulnerable ? 0.3 : 0.1));
        Maybe(Distortion.RenewedBhytCard, 0.2, person.PreviousCard is not null);
        if ((d & (Distortion.NoDiacritics | Distortion.WrongToneMark)) == (Distortion.NoDiacritics | Distortion.WrongToneMark))
        {
            d &= ~Distortion.WrongToneMark; // no marks left to get wrong
        }

        return d;
    }

    private SourceRecord Write(SyntheticPerson person, Random random, Facility facility, Distortion distortions)
    {
        var number = _numbers[facility.Code] = _numbers.GetValueOrDefault(facility.Code) + 1;
        var maBn = string.Create(CultureInfo.InvariantCulture, $"{options.Today.Year % 100:D2}{number:D7}");
        var id = string.Create(CultureInfo.InvariantCulture, $"syn{options.Seed}-{_records++}");
        var (text, family, given, applied) = distortions.HasFlag(Distortion.NewbornTemporary)
            ? ($"Con bà {person.MotherName}", null, null, distortions)
            : SyntheticNames.Write(person, random, person.AgeOn(options.Today), distortions);
        var patient = PatientWriter.Write(id, person, facility, maBn, random, text, family, given, applied);
        return new SourceRecord(patient, person.Id, person.HouseholdId, facility.Code, applied, person.Relation, person.RelatedPersonId);
    }
}
