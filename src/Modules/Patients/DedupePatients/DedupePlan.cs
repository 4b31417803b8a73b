using YTeSo.Patients.Dedupe;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;

namespace YTeSo.Patients.DedupePatients;

/// <summary>A source record as the dedupe sees it: its person, and its link as stored before the run (null when new).</summary>
internal sealed record DedupeSource(string PatientId, PersonRecord Person, string? GoldenId, string? Origin, double? Weight)
{
    public bool IsReviewers => Origin == "reviewer";
}

/// <summary>Where a source ends up: its golden record, how it got there, and the weight of its best link in the group.</summary>
internal sealed record PlannedLink(string GoldenId, string Origin, double? Weight);

/// <summary>A pair to queue for review, with what the matcher said and why it was not linked.</summary>
internal sealed record PlannedReview(string PatientId, string CandidateId, MatchResult Result, string? Conflict);

/// <summary>What the plan decided: every source's link, the pairs to queue, and counts for the summary.</summary>
internal sealed record DedupeDecisions(IReadOnlyDictionary<string, PlannedLink> Links, IReadOnlyList<PlannedReview> Reviews, int Clusters, int OverruledLinks);

/// <summary>
/// Turns a <see cref="BatchDeduplicator"/> run into links that respect what people decided (pure, no database):
/// <list type="bullet">
/// <item>a source a reviewer linked (origin "reviewer") keeps its golden record, and two reviewer-linked sources of
/// different golden records are never joined;</item>
/// <item>two records a reviewer declared "not the same person" never end up in one group, however the automatic links
/// chain (A~B, B~C with A≠C refused: the weaker link gives way);</item>
/// <item>a source that the matcher links to nothing and that sits in a golden record a reviewer built stays there (the
/// reviewer linked someone to it, so it is evidence the batch has no reason to undo);</item>
/// <item>each group keeps the golden id most of its members already have (larger groups choose first), so ids are
/// stable from run to run and a second run over the same records changes nothing.</item>
/// </list>
/// </summary>
internal sealed class DedupePlan
{
    private readonly IReadOnlyList<DedupeSource> _sources;
    private readonly Dictionary<string, int> _index;
    private readonly int[] _parent;
    private readonly string?[] _personalId;
    private readonly string?[] _pin;
    private readonly List<int>[] _members;
    private readonly HashSet<int>[] _refused;
    private readonly Dictionary<int, double> _bestWeight = [];
    private readonly Dictionary<string, int> _pinnedBy = new(StringComparer.Ordinal);

    private DedupePlan(IReadOnlyList<DedupeSource> sources, IEnumerable<(string A, string B)> nonMatches)
    {
        _sources = sources;
        _index = new Dictionary<string, int>(sources.Count, StringComparer.Ordinal);
        for (var i = 0; i < sources.Count; i++)
        {
            _index[sources[i].PatientId] = i;
        }

        var n = sources.Count;
        _parent = new int[n];
        _personalId = new string?[n];
        _pin = new string?[n];
        _members = new List<int>[n];
        _refused = new HashSet<int>[n];
        for (var i = 0; i < n; i++)
        {
            _parent[i] = i;
            _personalId[i] = sources[i].Person.PersonalId;
            _pin[i] = sources[i].IsReviewers ? sources[i].GoldenId : null;
            if (_pin[i] is { } pinned)
            {
                _pinnedBy.TryAdd(pinned, i);
            }

            _members[i] = [i];
            _refused[i] = [];
        }

        foreach (var (a, b) in nonMatches)
        {
            if (_index.TryGetValue(a, out var i) && _index.TryGetValue(b, out var j))
            {
                _refused[i].Add(j);
                _refused[j].Add(i);
            }
        }
    }

    /// <param name="sources">Every current source, in a stable order (the run's results depend on it).</param>
    /// <param name="result">The batch run over <paramref name="sources"/>' persons, in the same order.</param>
    /// <param name="engine">The matcher, to weigh the pairs inside each cluster again.</param>
    /// <param name="nonMatches">Pairs of patient ids a reviewer declared "not the same person".</param>
    public static DedupeDecisions Make(IReadOnlyList<DedupeSource> sources, DedupeResult result, MatchEngine engine, IEnumerable<(string A, string B)> nonMatches)
    {
        var plan = new DedupePlan(sources, nonMatches);
        var reviews = new List<PlannedReview>();

        // 1. A reviewer's links first: every reviewer-linked source of a golden record is one person.
        foreach (var pinned in Enumerable.Range(0, sources.Count).Where(i => plan._pin[i] is not null).GroupBy(i => plan._pin[i], StringComparer.Ordinal))
        {
            var first = pinned.First();
            foreach (var other in pinned.Skip(1))
            {
                plan.Join(plan.Find(first), plan.Find(other));
            }
        }

        // 2. The automatic links, strongest first under the guards. The batch's clusters bound where they can be: only
        // pairs inside one cluster are compared again (clusters are small; the batch did the blocking).
        var edges = new List<(int A, int B, MatchResult Result)>();
        foreach (var cluster in result.Clusters)
        {
            var positions = cluster.Select(key => plan._index[PatientIdOf(key)]).Order().ToArray();
            var prepared = positions.Select(i => MatchEngine.Prepare(sources[i].Person)).ToArray();
            for (var a = 0; a < positions.Length; a++)
            {
                for (var b = a + 1; b < positions.Length; b++)
                {
                    var verdict = engine.Compare(prepared[a], prepared[b]);
                    if (verdict.Grade == MatchGrade.Match && !sources[positions[a]].Person.IsTemporary && !sources[positions[b]].Person.IsTemporary)
                    {
                        edges.Add((positions[a], positions[b], verdict));
                    }
                }
            }
        }

        var overruled = 0;
        foreach (var (a, b, verdict) in edges.OrderByDescending(e => e.Result.Weight).ThenBy(e => e.A).ThenBy(e => e.B))
        {
            var (ra, rb) = (plan.Find(a), plan.Find(b));
            if (ra == rb)
            {
                continue;
            }

            switch (plan.Refusal(ra, rb))
            {
                case null:
                    plan.Join(ra, rb);
                    break;
                case Guard.NotTheSamePerson:
                    overruled++; // a reviewer already decided: not queued again
                    break;
                case Guard.ReviewerLinks:
                    overruled++;
                    reviews.Add(new PlannedReview(sources[a].PatientId, sources[b].PatientId, verdict, "Both records were linked by a reviewer, to different persons."));
                    break;
                case Guard.PersonalIds:
                    overruled++;
                    reviews.Add(new PlannedReview(sources[a].PatientId, sources[b].PatientId, verdict, "Linking would join two different personal ids (CCCD) in one person."));
                    break;
            }
        }

        // 3. A group the matcher links to nothing else, all of whose sources sit in a golden record a reviewer built,
        // stays there.
        for (var i = 0; i < sources.Count; i++)
        {
            var root = plan.Find(i);
            if (plan._pin[root] is null && sources[i].GoldenId is { } golden && plan.PinnedRoot(golden) is { } pinnedRoot
                && plan._members[root].All(m => sources[m].GoldenId == golden)
                && plan.Refusal(root, pinnedRoot) is null)
            {
                plan.Join(root, pinnedRoot);
            }
        }

        foreach (var (a, b, verdict) in edges)
        {
            if (plan.Find(a) == plan.Find(b))
            {
                plan.Keep(a, verdict.Weight);
                plan.Keep(b, verdict.Weight);
            }
        }

        // 4. The batch's review queue, without pairs now in one person or that a reviewer already refused.
        var queued = new HashSet<(string, string)>(reviews.Select(r => Ordered(r.PatientId, r.CandidateId)));
        foreach (var pair in result.ReviewQueue)
        {
            var (a, b) = (plan._index[PatientIdOf(pair.A)], plan._index[PatientIdOf(pair.B)]);
            if (plan.Find(a) != plan.Find(b) && !plan._refused[a].Contains(b) && queued.Add(Ordered(sources[a].PatientId, sources[b].PatientId)))
            {
                // A Match the batch did not link (a temporary record, the personal-id guard): its reason says why.
                var conflict = pair.Result.Conflict ?? (pair.Result.Grade == MatchGrade.Match ? pair.Reason : null);
                reviews.Add(new PlannedReview(sources[a].PatientId, sources[b].PatientId, pair.Result, conflict));
            }
        }

        var clusters = Enumerable.Range(0, sources.Count).GroupBy(plan.Find).Count(g => g.Count() > 1);
        return new DedupeDecisions(plan.AssignGoldenIds(), reviews, clusters, overruled);
    }

    /// <summary>A pair in a canonical order, as <c>mpi_non_matches</c> stores it.</summary>
    internal static (string A, string B) Ordered(string a, string b) => string.CompareOrdinal(a, b) <= 0 ? (a, b) : (b, a);

    /// <summary>The PersonRecord key is <c>Patient/{id}</c>.</summary>
    internal static string PatientIdOf(string key) => key.StartsWith("Patient/", StringComparison.Ordinal) ? key["Patient/".Length..] : key;

    private Dictionary<string, PlannedLink> AssignGoldenIds()
    {
        var groups = Enumerable.Range(0, _sources.Count).GroupBy(Find).Select(g => g.ToList()).ToList();
        var golden = new Dictionary<int, string>();
        var claimed = new HashSet<string>(StringComparer.Ordinal);

        // Reviewer-pinned groups own their golden ids; one group per pinned id (step 1 joined them).
        foreach (var group in groups.Where(g => _pin[Find(g[0])] is not null))
        {
            var id = _pin[Find(group[0])]!;
            golden[Find(group[0])] = id;
            claimed.Add(id);
        }

        var unpinned = groups
            .Where(g => _pin[Find(g[0])] is null)
            .Select(g => (Members: g, Candidates: g.Where(m => _sources[m].GoldenId is not null)
                .GroupBy(m => _sources[m].GoldenId!, StringComparer.Ordinal)
                .Select(c => (Id: c.Key, Count: c.Count()))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Id, StringComparer.Ordinal).ToList()))
            .OrderByDescending(g => g.Candidates.Count > 0 ? g.Candidates[0].Count : 0)
            .ThenByDescending(g => g.Members.Count)
            .ThenBy(g => _sources[g.Members[0]].PatientId, StringComparer.Ordinal);
        foreach (var (members, candidates) in unpinned)
        {
            var id = candidates.Select(c => c.Id).FirstOrDefault(c => !claimed.Contains(c)) ?? Guid.CreateVersion7().ToString();
            golden[Find(members[0])] = id;
            claimed.Add(id);
        }

        var links = new Dictionary<string, PlannedLink>(_sources.Count, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var id = golden[Find(group[0])];
            var founder = Founder(group, id);
            foreach (var m in group)
            {
                var source = _sources[m];
                links[source.PatientId] = source switch
                {
                    { IsReviewers: true } => new PlannedLink(source.GoldenId!, source.Origin!, source.Weight),
                    _ when m == founder => new PlannedLink(id, "new", null),
                    _ when _bestWeight.TryGetValue(m, out var weight) => new PlannedLink(id, "auto", weight),
                    { Origin: { } origin } when source.GoldenId == id => new PlannedLink(id, origin, source.Weight),
                    _ => new PlannedLink(id, "new", null),
                };
            }
        }

        return links;
    }

    /// <summary>
    /// The source that "started" the golden record (origin "new", shown with the strongest assurance): the one that
    /// already did, else, in a group no reviewer touched, the first by id.
    /// </summary>
    private int? Founder(List<int> group, string goldenId)
    {
        var current = group.Where(m => _sources[m] is { Origin: "new" } s && s.GoldenId == goldenId).Cast<int?>().FirstOrDefault();
        if (current is not null)
        {
            return current;
        }

        return group.Any(m => _sources[m].IsReviewers) ? null : group[0];
    }

    private void Keep(int position, double weight)
    {
        if (!_bestWeight.TryGetValue(position, out var best) || weight > best)
        {
            _bestWeight[position] = weight;
        }
    }

    private int? PinnedRoot(string goldenId) => _pinnedBy.TryGetValue(goldenId, out var i) ? Find(i) : null;

    private Guard? Refusal(int ra, int rb)
    {
        if (_personalId[ra] is { } ida && _personalId[rb] is { } idb && !string.Equals(ida, idb, StringComparison.Ordinal))
        {
            return Guard.PersonalIds;
        }

        if (_pin[ra] is { } pa && _pin[rb] is { } pb && !string.Equals(pa, pb, StringComparison.Ordinal))
        {
            return Guard.ReviewerLinks;
        }

        var (small, large) = _members[ra].Count <= _members[rb].Count ? (ra, rb) : (rb, ra);
        return _members[small].Any(_refused[large].Contains) ? Guard.NotTheSamePerson : null;
    }

    private int Find(int i)
    {
        while (_parent[i] != i)
        {
            _parent[i] = _parent[_parent[i]]; // path halving
            i = _parent[i];
        }

        return i;
    }

    private void Join(int ra, int rb)
    {
        if (ra == rb)
        {
            return;
        }

        if (_members[ra].Count < _members[rb].Count)
        {
            (ra, rb) = (rb, ra);
        }

        _parent[rb] = ra;
        _members[ra].AddRange(_members[rb]);
        _refused[ra].UnionWith(_refused[rb]);
        _personalId[ra] ??= _personalId[rb];
        _pin[ra] ??= _pin[rb];
        _members[rb] = [];
        _refused[rb] = [];
    }

    private enum Guard
    {
        PersonalIds,
        ReviewerLinks,
        NotTheSamePerson,
    }
}
