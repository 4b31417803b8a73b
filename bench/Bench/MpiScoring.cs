using YTeSo.Patients.SyntheticPopulation;

namespace YTeSo.Bench;

/// <summary>
/// Pairwise scores against the ground truth: a pair of records is a true pair when both are the same person. Automatic
/// links count through their clusters (what a merge would do), the review queue pair by pair.
/// </summary>
internal sealed class Scoring(IReadOnlyList<Truth> truth)
{
    private readonly List<int[]> _people = [.. Enumerable.Range(0, truth.Count).GroupBy(i => truth[i].PersonId, StringComparer.Ordinal).Select(g => g.ToArray())];

    public void Report(string label, IReadOnlyList<int[]> clusters, IReadOnlySet<long> review)
    {
        var clusterOf = new int[truth.Count];
        Array.Fill(clusterOf, -1);
        for (var c = 0; c < clusters.Count; c++)
        {
            foreach (var i in clusters[c])
            {
                clusterOf[i] = c;
            }
        }

        var kinds = Enum.GetValues<Distortion>();
        var byKind = new (long Pairs, long Linked, long Found)[kinds.Length];
        long truePairs = 0, linked = 0, found = 0;
        foreach (var person in _people)
        {
            for (var a = 0; a < person.Length; a++)
            {
                for (var b = a + 1; b < person.Length; b++)
                {
                    var (i, j) = (person[a], person[b]);
                    var isLinked = clusterOf[i] >= 0 && clusterOf[i] == clusterOf[j];
                    var isFound = isLinked || review.Contains(MpiRealTimeMatcher.Pair(i, j));
                    truePairs++;
                    linked += isLinked ? 1 : 0;
                    found += isFound ? 1 : 0;
                    var flags = truth[i].Distortions | truth[j].Distortions;
                    for (var k = 0; k < kinds.Length; k++)
                    {
                        if (kinds[k] == Distortion.None ? flags == Distortion.None : flags.HasFlag(kinds[k]))
                        {
                            byKind[k] = (byKind[k].Pairs + 1, byKind[k].Linked + (isLinked ? 1 : 0), byKind[k].Found + (isFound ? 1 : 0));
                        }
                    }
                }
            }
        }

        long predicted = 0, twins = 0, namesakes = 0, family = 0, unrelated = 0, wrongClusters = 0;
        foreach (var cluster in clusters)
        {
            predicted += (long)cluster.Length * (cluster.Length - 1) / 2;
            var persons = cluster.GroupBy(i => truth[i].PersonId, StringComparer.Ordinal).Select(g => (First: truth[g.First()], Count: (long)g.Count())).ToList();
            wrongClusters += persons.Count > 1 ? 1 : 0;
            for (var p = 0; p < persons.Count; p++)
            {
                for (var q = p + 1; q < persons.Count; q++)
                {
                    var (x, y) = (persons[p].First, persons[q].First);
                    var pairs = persons[p].Count * persons[q].Count;
                    if (x.RelatedPersonId == y.PersonId && x.Relation == PersonRelation.Twin)
                    {
                        twins += pairs;
                    }
                    else if (x.RelatedPersonId == y.PersonId && x.Relation == PersonRelation.Namesake)
                    {
                        namesakes += pairs;
                    }
                    else if (x.HouseholdId == y.HouseholdId)
                    {
                        family += pairs;
                    }
                    else
                    {
                        unrelated += pairs;
                    }
                }
            }
        }

        var correct = linked;
        var precision = predicted == 0 ? 1 : (double)correct / predicted;
        var recall = truePairs == 0 ? 1 : (double)linked / truePairs;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        var reviewTrue = review.Count(p => truth[(int)(p >> 32)].PersonId == truth[(int)(p & 0xFFFFFFFF)].PersonId);
        Console.WriteLine($"  {label} accuracy, pairwise against the truth ({truePairs:N0} true pairs):");
        Console.WriteLine($"    automatic links: precision {precision:F4}  recall {recall:F4}  F1 {f1:F4}  ({correct:N0} right, {predicted - correct:N0} wrong, {truePairs - linked:N0} missed pairs)");
        Console.WriteLine($"    review queue: {review.Count:N0} pairs, {(review.Count == 0 ? 0 : (double)reviewTrue / review.Count):F4} of them true; recall of automatic + review {(truePairs == 0 ? 1 : (double)found / truePairs):F4}");
        Console.WriteLine($"    wrong merges (record pairs): twins {twins:N0}, namesake parent/child {namesakes:N0}, other household members {family:N0}, unrelated {unrelated:N0}; clusters with more than one person {wrongClusters:N0}");
        Console.WriteLine("    | distortion (in either record) | true pairs | automatic recall | automatic + review |");
        Console.WriteLine("    |---|---|---|---|");
        for (var k = 0; k < kinds.Length; k++)
        {
            var (pairs, l, f) = byKind[k];
            if (pairs > 0)
            {
                Console.WriteLine($"    | {kinds[k]} | {pairs:N0} | {(double)l / pairs:F4} | {(double)f / pairs:F4} |");
            }
        }
    }
}
