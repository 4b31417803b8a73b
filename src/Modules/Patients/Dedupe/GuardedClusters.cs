namespace YTeSo.Patients.Dedupe;

/// <summary>
/// Union-find over record positions that refuses to join two clusters holding different personal ids (CCCD): a chain
/// A~B, B~C must not put two citizens with two valid, different số định danh into one person, however strong each
/// link looks (issue 4: "a wrong merge is worse than a missed one"). Not thread-safe; links are applied in one place.
/// </summary>
internal sealed class GuardedClusters
{
    private readonly int[] _parent;
    private readonly byte[] _rank;
    private readonly string?[] _personalId;

    public GuardedClusters(IReadOnlyList<string?> personalIds)
    {
        _parent = new int[personalIds.Count];
        _rank = new byte[personalIds.Count];
        _personalId = new string?[personalIds.Count];
        for (var i = 0; i < _parent.Length; i++)
        {
            _parent[i] = i;
            _personalId[i] = personalIds[i];
        }
    }

    public int Count => _parent.Length;

    public int Find(int i)
    {
        var root = i;
        while (_parent[root] != root)
        {
            root = _parent[root];
        }

        while (_parent[i] != root)
        {
            (i, _parent[i]) = (_parent[i], root);
        }

        return root;
    }

    /// <summary>Joins the clusters of a and b; false, and nothing changes, when their personal ids differ.</summary>
    public bool TryUnion(int a, int b)
    {
        var (ra, rb) = (Find(a), Find(b));
        if (ra == rb)
        {
            return true;
        }

        var (ida, idb) = (_personalId[ra], _personalId[rb]);
        if (ida is not null && idb is not null && !string.Equals(ida, idb, StringComparison.Ordinal))
        {
            return false;
        }

        if (_rank[ra] < _rank[rb])
        {
            (ra, rb) = (rb, ra);
        }

        _parent[rb] = ra;
        if (_rank[ra] == _rank[rb])
        {
            _rank[ra]++;
        }

        _personalId[ra] = ida ?? idb;
        return true;
    }

    /// <summary>The clusters of two or more records, as positions, each sorted, largest cluster first.</summary>
    public List<int[]> Groups()
    {
        var roots = new int[_parent.Length];
        var sizes = new int[_parent.Length];
        for (var i = 0; i < _parent.Length; i++)
        {
            roots[i] = Find(i);
            sizes[roots[i]]++;
        }

        var groups = new Dictionary<int, List<int>>();
        for (var i = 0; i < _parent.Length; i++)
        {
            if (sizes[roots[i]] < 2)
            {
                continue;
            }

            if (!groups.TryGetValue(roots[i], out var members))
            {
                groups[roots[i]] = members = new List<int>(sizes[roots[i]]);
            }

            members.Add(i);
        }

        return [.. groups.Values.Select(g => g.ToArray()).OrderByDescending(g => g.Length)];
    }
}
