using System.Diagnostics;
using System.Globalization;

using YTeSo.Patients.Dedupe;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.Matching;
using YTeSo.Patients.SyntheticPopulation;

namespace YTeSo.Bench;

/// <summary>
/// <c>mpi</c>: generates a synthetic population with ground truth, reads every record through
/// <see cref="PersonRecordReader"/>, then measures (a) real-time matching, one record at a time against an index of
/// the earlier ones, and (b) the batch deduplicator; and scores both pairwise against the truth, by distortion kind,
/// with the wrong merges of twins, namesakes and other family members counted apart.
/// </summary>
internal static class MpiBenchmark
{
    public static int Run(BenchArguments arguments)
    {
        var options = new PopulationOptions
        {
            Seed = arguments.Int("seed", 1),
            People = arguments.Int("people", 100_000),
            DuplicateRate = double.Parse(arguments.Get("duplicates", "0.3"), CultureInfo.InvariantCulture),
            AdminUnitsFolder = arguments.Get("admin-units", "") is { Length: > 0 } folder ? folder : null,
            Province = arguments.Get("province", "79"),
        };
        var dedupe = new DedupeOptions { MaxBlockSize = arguments.Int("max-block", new DedupeOptions().MaxBlockSize), Window = arguments.Int("window", new DedupeOptions().Window) };
        Console.WriteLine($"mpi: {options.People:N0} people, seed {options.Seed}, duplicate rate {options.DuplicateRate}, communes {(options.AdminUnitsFolder ?? "invented")}, {Environment.ProcessorCount} cores");

        var clock = Stopwatch.StartNew();
        var population = PopulationGenerator.Generate(options);
        var truth = new List<Truth>();
        var records = new List<PersonRecord>();
        var problems = 0;
        foreach (var source in population.Records())
        {
            var reading = PersonRecordReader.ReadWithProblems(source.Patient, population.TodaysCommunes);
            problems += reading.Problems.Count > 0 ? 1 : 0;
            records.Add(reading.Record);
            truth.Add(new Truth(source.PersonId, source.HouseholdId, source.Distortions, source.Relation, source.RelatedPersonId));
        }

        // Arrival order: facilities send records in no particular order of person.
        var order = Enumerable.Range(0, records.Count).ToArray();
        new Random(options.Seed).Shuffle(order);
        records = [.. order.Select(i => records[i])];
        truth = [.. order.Select(i => truth[i])];
        Console.WriteLine($"  generated and read {records.Count:N0} records in {clock.Elapsed.TotalSeconds:N1} s ({problems:N0} with reader problems)");

        clock.Restart();
        // --match-threshold / --possible-threshold: posterior thresholds to try (docs/benchmarks.md has the sweep).
        var settings = MatchSettings.Default with
        {
            MatchThreshold = double.Parse(arguments.Get("match-threshold", MatchSettings.Default.MatchThreshold.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
            PossibleThreshold = double.Parse(arguments.Get("possible-threshold", MatchSettings.Default.PossibleThreshold.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
        };
        var engine = new MatchEngine(settings, NameFrequencies.From(records));
        Console.WriteLine($"  name frequencies from the records in {clock.Elapsed.TotalSeconds:N1} s");

        var score = new Scoring(truth);
        RealTime(arguments, engine, records, dedupe.MaxBlockSize, score);
        Batch(engine, records, dedupe, score, arguments.Get("explain", ""), truth);
        Console.WriteLine($"  peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024):N0} MB");
        return 0;
    }

    private static void RealTime(BenchArguments arguments, MatchEngine engine, List<PersonRecord> records, int cap, Scoring score)
    {
        // All records when that stays within a few minutes; for a million, the index is filled with all but the last
        // 100,000, which then arrive one at a time (the throughput at that index size is what production sees).
        var matched = Math.Min(records.Count, arguments.Int("realtime", records.Count <= 200_000 ? records.Count : 100_000));
        var matcher = new MpiRealTimeMatcher(engine, records, cap);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < records.Count - matched; i++)
        {
            matcher.Index(i);
        }

        var indexed = clock.Elapsed;
        clock.Restart();
        for (var i = records.Count - matched; i < records.Count; i++)
        {
            matcher.Match(i);
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"  real-time: {matched:N0} records matched one at a time against an index of up to {records.Count - 1:N0} (index pre-filled with {records.Count - matched:N0} in {indexed.TotalSeconds:N1} s)");
        Console.WriteLine($"    {matched / elapsed:N0} records/s on one thread, {matcher.Comparisons / (double)matched:N1} comparisons per record, {matcher.Linked:N0} linked, {matcher.Review.Count:N0} review pairs, {elapsed:N1} s");
        if (matched == records.Count)
        {
            score.Report("real-time", [.. matcher.Clusters.Groups()], matcher.Review);
        }
    }

    private static void Batch(MatchEngine engine, List<PersonRecord> records, DedupeOptions options, Scoring score, string explain, List<Truth> truth)
    {
        var last = Stopwatch.StartNew();
        var progress = new ConsoleProgress(p =>
        {
            if (p.Stage != DedupeStage.Comparing || last.Elapsed.TotalSeconds >= 10)
            {
                Console.WriteLine($"    {DateTime.UtcNow:HH:mm:ss} {p.Stage} {p.Done:N0}/{p.Total:N0}");
                last.Restart();
            }
        });
        var result = new BatchDeduplicator(engine, options).Run(records, progress);
        var c = result.Counts;
        Console.WriteLine($"  batch dedupe: {result.Elapsed.TotalSeconds:N1} s wall for {c.Records:N0} records on {Environment.ProcessorCount} cores ({c.Records / result.Elapsed.TotalSeconds:N0} records/s)");
        Console.WriteLine($"    {c.Blocks:N0} blocks with pairs, {c.OversizedBlocks:N0} oversized (> {options.MaxBlockSize}, sorted neighbourhood of {options.Window}), {c.Comparisons:N0} comparisons");
        Console.WriteLine($"    {c.AutomaticLinks:N0} automatic links, {c.RefusedLinks:N0} refused by the personal-id guard, {c.ReviewPairs:N0} review pairs, {c.Clusters:N0} clusters holding {c.RecordsInClusters:N0} records");
        foreach (var block in result.OversizedBlocks.Take(5))
        {
            Console.WriteLine($"    oversized block {block.Key} ({block.Size:N0} records)");
        }

        var facilities = result.Facilities.Where(f => f.Records > 0).OrderByDescending(f => f.DuplicateRate).ToList();
        Console.WriteLine($"    duplicate rate within a facility: highest {string.Join(", ", facilities.Take(3).Select(f => $"{f.FacilityCode} {f.DuplicateRate:P1}"))}; median {facilities[facilities.Count / 2].DuplicateRate:P1}");

        var index = records.Select((r, i) => (r.Key, i)).ToDictionary(x => x.Key, x => x.i);
        if (Enum.TryParse<Distortion>(explain, out var kind))
        {
            // --explain <Distortion>: a few true pairs with that distortion the batch did not link, field by field.
            var clusterOf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (cluster, n) in result.Clusters.Select((cl, n) => (cl, n)))
            {
                foreach (var key in cluster)
                {
                    clusterOf[key] = n;
                }
            }

            var shown = 0;
            foreach (var person in Enumerable.Range(0, records.Count).GroupBy(i => truth[i].PersonId).Where(g => g.Count() > 1))
            {
                var members = person.ToArray();
                for (var x = 0; x < members.Length && shown < 12; x++)
                {
                    for (var y = x + 1; y < members.Length && shown < 12; y++)
                    {
                        var (a, b) = (records[members[x]], records[members[y]]);
                        var linked = clusterOf.TryGetValue(a.Key, out var ca) && clusterOf.TryGetValue(b.Key, out var cb) && ca == cb;
                        if (linked || !(truth[members[x]].Distortions | truth[members[y]].Distortions).HasFlag(kind))
                        {
                            continue;
                        }

                        var r = engine.Compare(a, b);
                        Console.WriteLine($"    missed: '{a.FullName}' {a.BirthDate} {a.Sex} [{string.Join(',', a.Phones)}] [{string.Join(',', a.Communes)}] {a.PersonalId} | '{b.FullName}' {b.BirthDate} {b.Sex} [{string.Join(',', b.Phones)}] [{string.Join(',', b.Communes)}] {b.PersonalId}");
                        Console.WriteLine($"      p={r.Probability:F5} w={r.Weight:F1} {r.Rule} {string.Join(' ', r.Fields.Where(f => f.Level != "missing").Select(f => $"{f.Field}={f.Level}({f.Weight:F1})"))}");
                        shown++;
                    }
                }
            }
        }

        score.Report(
            "batch",
            [.. result.Clusters.Select(cluster => cluster.Select(k => index[k]).ToArray())],
            new HashSet<long>(result.ReviewQueue.Select(p => MpiRealTimeMatcher.Pair(index[p.A], index[p.B]))));
    }

    private sealed class ConsoleProgress(Action<DedupeProgress> report) : IProgress<DedupeProgress>
    {
        public void Report(DedupeProgress value) => report(value);
    }
}

/// <summary>What the generator says a record really is.</summary>
internal sealed record Truth(string PersonId, string HouseholdId, Distortion Distortions, PersonRelation Relation, string? RelatedPersonId);
