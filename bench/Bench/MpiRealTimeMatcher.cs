using YTeSo.Patients.Dedupe;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.Bench;

/// <summary>
/// Real-time matching as the MPI does it on each create: the new record's blocking keys look up earlier records in an
/// in-memory index, each candidate is scored, the record is linked to its strongest automatic match (under the
/// personal-id guard) or queued when only possible matches exist, then it joins the index. One record at a time.
/// A key with more than <c>cap</c> earlier records looks only at its most recent <c>cap</c> (the same cap as the batch's).
/// </summary>
internal sealed class MpiRealTimeMatcher(MatchEngine engine, IReadOnlyList<PersonRecord> records, int cap)
{
    private readonly Dictionary<string, List<int>> _index = new(StringComparer.Ordinal);
    private readonly PreparedPerson[] _prepared = new PreparedPerson[records.Count];
    private readonly int[] _seen = new int[records.Count];

    public GuardedClusters Clusters { get; } = new([.. records.Select(r => r.PersonalId)]);

    public HashSet<long> Review { get; } = [];

    public long Comparisons { get; private set; }

    public int Linked { get; private set; }

    /// <summary>Puts record i in the index without matching it (to start the index at a given size).</summary>
    public void Index(int i)
    {
        _prepared[i] = MatchEngine.Prepare(records[i]);
        Add(i, engine.BlockingKeys(_prepared[i]));
    }

    public void Match(int i)
    {
        var me = _prepared[i] = MatchEngine.Prepare(records[i]);
        var keys = engine.BlockingKeys(me);
        var stamp = i + 1;
        var (best, bestWeight) = (-1, double.NegativeInfinity);
        foreach (var key in keys)
        {
            if (!_index.TryGetValue(key, out var list))
            {
                continue;
            }

            for (var k = list.Count - 1; k >= Math.Max(0, list.Count - cap); k--)
            {
                var other = list[k];
                if (_seen[other] == stamp)
                {
                    continue;
                }

                _seen[other] = stamp;
                Comparisons++;
                var (grade, weight) = engine.Score(me, _prepared[other]);
                var temporary = records[i].IsTemporary || records[other].IsTemporary;
                if (grade == MatchGrade.Match && !temporary)
                {
                    if (weight > bestWeight)
                    {
                        (best, bestWeight) = (other, weight);
                    }
                }
                else if (grade != MatchGrade.NoMatch)
                {
                    // A possible match, or an automatic one with a temporary record (linked only by a reviewer).
                    Review.Add(Pair(i, other));
                }
            }
        }

        if (best >= 0 && Clusters.TryUnion(i, best))
        {
            Linked++;
        }
        else if (best >= 0)
        {
            Review.Add(Pair(i, best));
        }

        Add(i, keys);
    }

    private void Add(int i, IReadOnlyList<string> keys)
    {
        foreach (var key in keys)
        {
            if (!_index.TryGetValue(key, out var list))
            {
                _index[key] = list = [];
            }

            list.Add(i);
        }
    }

    public static long Pair(int a, int b) => a < b ? ((long)a << 32) | (uint)b : ((long)b << 32) | (uint)a;
}
