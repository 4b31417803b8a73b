using System.Collections.Concurrent;
using System.Diagnostics;

using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.Patients.Dedupe;

/// <summary>
/// Deduplicates a whole set of source records at once (issue 4, <c>yteso mpi dedupe</c>): block by each of the
/// engine's blocking keys, compare every pair once (in parallel over blocks), cluster the automatic links strongest
/// first under the personal-id guard, and queue the possible matches for review.
/// </summary>
internal sealed class BatchDeduplicator(MatchEngine engine, DedupeOptions? options = null)
{
    private readonly DedupeOptions _options = options ?? new DedupeOptions();

    public DedupeResult Run(IReadOnlyList<PersonRecord> records, IProgress<DedupeProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        var clock = Stopwatch.StartNew();
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = _options.MaxDegreeOfParallelism ?? -1 };
        var n = records.Count;

        progress?.Report(new DedupeProgress(DedupeStage.Preparing, 0, n));
        var prepared = new PreparedPerson[n];
        var keys = new IReadOnlyList<string>[n];
        Parallel.For(0, n, parallel, i =>
        {
            prepared[i] = MatchEngine.Prepare(records[i]);
            keys[i] = engine.BlockingKeys(prepared[i]);
        });

        progress?.Report(new DedupeProgress(DedupeStage.Blocking, 0, n));
        var blocking = Blocking.Build(keys, _options.MaxBlockSize);
        keys = null!; // the strings are interned in the blocking; let the per-record lists go

        var blocks = blocking.ComparableBlocks();
        progress?.Report(new DedupeProgress(DedupeStage.Comparing, 0, blocks.Length));
        var links = new ConcurrentBag<List<Verdict>>();
        var windowed = new ConcurrentDictionary<long, byte>();
        long comparisons = 0;
        long blocksDone = 0;
        var step = Math.Max(1, blocks.Length / 100);
        Parallel.ForEach(
            Partitioner.Create(blocks, loadBalance: true),
            parallel,
            () => new List<Verdict>(),
            (block, _, local) =>
            {
                Interlocked.Add(ref comparisons, CompareBlock(blocking, block, prepared, windowed, local));
                if (Interlocked.Increment(ref blocksDone) % step == 0)
                {
                    progress?.Report(new DedupeProgress(DedupeStage.Comparing, Volatile.Read(ref blocksDone), blocks.Length));
                }

                return local;
            },
            links.Add);

        progress?.Report(new DedupeProgress(DedupeStage.Clustering, 0, n));
        var verdicts = links.SelectMany(l => l).ToList();
        var (clusters, review, automatic, refused) = Cluster(records, verdicts);
        var result = new DedupeResult(
            [.. clusters.Select(c => (IReadOnlyList<string>)[.. c.Select(i => records[i].Key)])],
            review,
            blocking.Oversized(),
            Facilities(records, clusters),
            new DedupeCounts(n, blocking.BlockCount, blocking.OversizedCount, Interlocked.Read(ref comparisons), automatic, refused, review.Count, clusters.Count, clusters.Sum(c => c.Length)),
            clock.Elapsed);
        progress?.Report(new DedupeProgress(DedupeStage.Done, n, n));
        return result;
    }

    /// <summary>
    /// All pairs of a block that it owns (the first key the two records share, so a pair met in several blocks is
    /// compared once); in an oversized block, only neighbours in name order, and only pairs no smaller block owns.
    /// </summary>
    private long CompareBlock(Blocking blocking, int block, PreparedPerson[] prepared, ConcurrentDictionary<long, byte> windowed, List<Verdict> found)
    {
        var members = blocking.Members(block);
        long compared = 0;
        if (!blocking.IsOversized(block))
        {
            for (var a = 0; a < members.Length; a++)
            {
                for (var b = a + 1; b < members.Length; b++)
                {
                    if (blocking.Owner(members[a], members[b]) == block)
                    {
                        compared++;
                        Judge(prepared, members[a], members[b], found);
                    }
                }
            }

            return compared;
        }

        var ordered = members.OrderBy(m => prepared[m].Record.FullName, StringComparer.Ordinal).ThenBy(m => m).ToArray();
        for (var a = 0; a < ordered.Length; a++)
        {
            for (var b = a + 1; b < Math.Min(ordered.Length, a + 1 + _options.Window); b++)
            {
                var (i, j) = ordered[a] < ordered[b] ? (ordered[a], ordered[b]) : (ordered[b], ordered[a]);
                if (blocking.Owner(i, j) < 0 && windowed.TryAdd(((long)i << 32) | (uint)j, 0))
                {
                    compared++;
                    Judge(prepared, i, j, found);
                }
            }
        }

        return compared;
    }

    private void Judge(PreparedPerson[] prepared, int i, int j, List<Verdict> found)
    {
        // Score is the allocation-free path; the field rows are built only for the few pairs that are kept.
        if (engine.Score(prepared[i], prepared[j]).Grade != MatchGrade.NoMatch)
        {
            found.Add(new Verdict(i, j, engine.Compare(prepared[i], prepared[j])));
        }
    }

    private static (List<int[]> Clusters, List<ReviewPair> Review, int Automatic, int Refused) Cluster(IReadOnlyList<PersonRecord> records, List<Verdict> verdicts)
    {
        var clusters = new GuardedClusters([.. records.Select(r => r.PersonalId)]);
        var review = new List<ReviewPair>();
        var (automatic, refused) = (0, 0);

        // Strongest first, so when the guard must choose, the weaker link is the one refused.
        foreach (var link in verdicts.Where(v => v.Result.Grade == MatchGrade.Match).OrderByDescending(v => v.Result.Weight).ThenBy(v => v.A).ThenBy(v => v.B))
        {
            // PersonRecord.IsTemporary: a temporary identity is never linked automatically, only by a reviewer.
            if (records[link.A].IsTemporary || records[link.B].IsTemporary)
            {
                review.Add(new ReviewPair(records[link.A].Key, records[link.B].Key, link.Result, "A temporary record is linked only by a reviewer."));
            }
            else if (clusters.TryUnion(link.A, link.B))
            {
                automatic++;
            }
            else
            {
                refused++;
                review.Add(new ReviewPair(records[link.A].Key, records[link.B].Key, link.Result, "Linking would join two different personal ids (CCCD) in one person."));
            }
        }

        foreach (var possible in verdicts.Where(v => v.Result.Grade == MatchGrade.Possible))
        {
            if (clusters.Find(possible.A) != clusters.Find(possible.B))
            {
                review.Add(new ReviewPair(records[possible.A].Key, records[possible.B].Key, possible.Result, possible.Result.Conflict ?? "A possible match."));
            }
        }

        review.Sort((x, y) => y.Result.Probability.CompareTo(x.Result.Probability) is var c and not 0 ? c : string.CompareOrdinal(x.A + x.B, y.A + y.B));
        return (clusters.Groups(), review, automatic, refused);
    }

    private static List<FacilityDuplicates> Facilities(IReadOnlyList<PersonRecord> records, List<int[]> clusters)
    {
        var totals = new Dictionary<string, (int Records, int Within, int Elsewhere)>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            var code = record.FacilityCode ?? "";
            var t = totals.GetValueOrDefault(code);
            totals[code] = (t.Records + 1, t.Within, t.Elsewhere);
        }

        foreach (var cluster in clusters)
        {
            foreach (var i in cluster)
            {
                var code = records[i].FacilityCode ?? "";
                var within = cluster.Any(j => j != i && string.Equals(records[j].FacilityCode ?? "", code, StringComparison.Ordinal));
                var elsewhere = cluster.Any(j => !string.Equals(records[j].FacilityCode ?? "", code, StringComparison.Ordinal));
                var t = totals[code];
                totals[code] = (t.Records, t.Within + (within ? 1 : 0), t.Elsewhere + (elsewhere ? 1 : 0));
            }
        }

        return [.. totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new FacilityDuplicates(t.Key, t.Value.Records, t.Value.Within, t.Value.Elsewhere))];
    }

    private readonly record struct Verdict(int A, int B, MatchResult Result);
}
