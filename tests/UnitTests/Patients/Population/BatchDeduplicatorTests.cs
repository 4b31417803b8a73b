using YTeSo.Patients.Dedupe;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.Matching;
using YTeSo.Patients.SyntheticPopulation;

namespace YTeSo.UnitTests.Patients.Population;

public sealed class BatchDeduplicatorTests
{
    private static readonly Lazy<(List<SourceRecord> Sources, List<PersonRecord> Records, DedupeResult Result)> Run = new(() =>
    {
        var population = PopulationGenerator.Generate(new PopulationOptions { Seed = 3, People = 1_500, DuplicateRate = 0.5 });
        var sources = population.Records().ToList();
        var records = sources.Select(s => PersonRecordReader.Read(s.Patient, population.TodaysCommunes)).ToList();
        var engine = new MatchEngine(MatchSettings.Default, NameFrequencies.From(records));
        return (sources, records, new BatchDeduplicator(engine).Run(records));
    });

    [Fact]
    public void Two_clean_records_of_one_person_with_the_same_cccd_end_in_one_cluster()
    {
        var (sources, records, result) = Run.Value;
        var clusterOf = ClusterOf(result);
        var clean = sources.Select((s, i) => (s, i))
            .Where(x => x.s.Distortions == Distortion.None && records[x.i].PersonalId is not null)
            .GroupBy(x => x.s.PersonId)
            .Where(g => g.Count() > 1)
            .ToList();

        Assert.NotEmpty(clean);
        Assert.All(clean, person =>
        {
            var keys = person.Select(x => records[x.i].Key).ToList();
            Assert.True(clusterOf.ContainsKey(keys[0]), $"{keys[0]} is in no cluster");
            Assert.All(keys, k => Assert.Equal(clusterOf[keys[0]], clusterOf.GetValueOrDefault(k)));
        });
    }

    [Fact]
    public void No_cluster_holds_two_different_personal_ids()
    {
        var (_, records, result) = Run.Value;
        var byKey = records.ToDictionary(r => r.Key);

        Assert.All(result.Clusters, cluster =>
            Assert.True(cluster.Select(k => byKey[k].PersonalId).OfType<string>().Distinct().Count() <= 1, string.Join(", ", cluster)));
    }

    [Fact]
    public void Twins_are_never_clustered_together()
    {
        var (sources, records, result) = Run.Value;
        var person = sources.Select((s, i) => (records[i].Key, s)).ToDictionary(x => x.Key, x => x.s);

        Assert.All(result.Clusters, cluster =>
            Assert.True(cluster.Select(k => person[k].PersonId).Distinct().Count() == 1 || cluster.All(k => person[k].Relation != PersonRelation.Twin), string.Join(", ", cluster)));
    }

    [Fact]
    public void A_record_without_a_cccd_does_not_chain_two_citizens_with_different_cccds()
    {
        var a = Citizen("Patient/a", "079090001234");
        var c = Citizen("Patient/c", "079090005678");
        var b = Citizen("Patient/b", null);
        var engine = new MatchEngine(MatchSettings.Default, NameFrequencies.Default);

        var result = new BatchDeduplicator(engine).Run([a, b, c]);

        Assert.DoesNotContain(result.Clusters, cluster => cluster.Contains("Patient/a") && cluster.Contains("Patient/c"));
    }

    [Fact]
    public void Oversized_blocks_are_compared_by_neighbourhood_and_reported()
    {
        var records = Enumerable.Range(0, 30).Select(i => Citizen($"Patient/{i}", null) with { Phones = ["0901234567"], FullName = $"Nguyễn Văn {(char)('A' + (i % 26))}{i}" }).ToList();
        var engine = new MatchEngine(MatchSettings.Default, NameFrequencies.Default);

        var result = new BatchDeduplicator(engine, new DedupeOptions { MaxBlockSize = 10, Window = 3 }).Run(records);

        Assert.Contains(result.OversizedBlocks, b => b.Size == 30);
        Assert.True(result.Counts.Comparisons < 30 * 29 / 2);
    }

    [Fact]
    public void Progress_reaches_the_end()
    {
        var stages = new List<DedupeStage>();
        var engine = new MatchEngine(MatchSettings.Default, NameFrequencies.Default);

        new BatchDeduplicator(engine).Run([Citizen("Patient/a", null), Citizen("Patient/b", null)], new SynchronousProgress(p => stages.Add(p.Stage)));

        Assert.Equal(DedupeStage.Done, stages[^1]);
    }

    private static PersonRecord Citizen(string key, string? personalId) => new()
    {
        Key = key,
        FacilityCode = "79001",
        PersonalId = personalId,
        FullName = "Trần Thị Bích Thủy",
        BirthDate = new PartialDate(1990, 4, 12),
        Sex = PersonSex.Female,
        Phones = ["0912345678"],
        Communes = ["26734"],
    };

    private static Dictionary<string, int> ClusterOf(DedupeResult result) =>
        result.Clusters.SelectMany((c, i) => c.Select(k => (k, i))).ToDictionary(x => x.k, x => x.i);

    private sealed class SynchronousProgress(Action<DedupeProgress> report) : IProgress<DedupeProgress>
    {
        public void Report(DedupeProgress value) => report(value);
    }
}
