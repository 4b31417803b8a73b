using System.Globalization;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>
/// A synthetic province: people in households, registered at facilities with the mistakes real registration desks
/// make, each record labelled with who it really is. Deterministic by seed; records are made as they are read, so a
/// million people need no more memory than the records the caller keeps.
/// </summary>
internal static class PopulationGenerator
{
    public static GeneratedPopulation Generate(PopulationOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.People);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.DuplicateRate, 1.0);
        var communes = CommuneCatalogue.Load(options.AdminUnitsFolder, options.Province);
        return new GeneratedPopulation(options, communes, Facilities(options, communes));
    }

    /// <summary>
    /// A commune station per commune of today, twenty hospitals and thirty private clinics. Codes are the 5-character
    /// mã cơ sở KCB: the province's two digits and three of the facility's own.
    /// </summary>
    private static List<Facility> Facilities(PopulationOptions options, CommuneCatalogue communes)
    {
        var facilities = new List<Facility>();
        string Code(int n) => string.Create(CultureInfo.InvariantCulture, $"{options.Province}{n:D3}");
        for (var i = 1; i <= 20; i++)
        {
            facilities.Add(new Facility(Code(i), string.Create(CultureInfo.InvariantCulture, $"Bệnh viện thử nghiệm {i}"), FacilityKind.Hospital, null));
        }

        for (var i = 21; i <= 50; i++)
        {
            facilities.Add(new Facility(Code(i), string.Create(CultureInfo.InvariantCulture, $"Phòng khám thử nghiệm {i}"), FacilityKind.PrivateClinic, null));
        }

        var next = 100;
        foreach (var commune in communes.Current.Order(StringComparer.Ordinal))
        {
            facilities.Add(new Facility(Code(next % 1000), "Trạm y tế " + commune, FacilityKind.CommuneStation, commune));
            next++;
        }

        return facilities;
    }
}

/// <summary>A generated population: its facilities, the commune translation its records need, and the records.</summary>
internal sealed class GeneratedPopulation(PopulationOptions options, CommuneCatalogue communes, IReadOnlyList<Facility> facilities)
{
    public PopulationOptions Options => options;

    public IReadOnlyList<Facility> Facilities => facilities;

    /// <summary>Today's commune code(s) for an old or new code, as <c>PersonRecordReader</c> asks for them.</summary>
    public IReadOnlyList<string> TodaysCommunes(string code) => communes.TodaysCommunes(code);

    /// <summary>The people and their records, household by household; each enumeration gives the same sequence.</summary>
    public IEnumerable<(SyntheticPerson Person, IReadOnlyList<SourceRecord> Records)> People()
    {
        var households = new HouseholdFactory(options, communes);
        var writer = new RecordWriter(options, facilities);
        var made = 0;
        for (long household = 0; made < options.People; household++)
        {
            foreach (var person in households.Make(household))
            {
                if (made++ == options.People)
                {
                    yield break;
                }

                yield return (person, writer.Records(person, made));
            }
        }
    }

    public IEnumerable<SourceRecord> Records() => People().SelectMany(p => p.Records);
}
