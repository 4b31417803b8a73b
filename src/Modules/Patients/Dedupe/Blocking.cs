namespace YTeSo.Patients.Dedupe;

/// <summary>
/// The blocks of a run in compact form: every distinct blocking key gets a number, each record the numbers of its
/// keys, each block its members (one array for all, with offsets), so a million records' blocks cost a few arrays.
/// </summary>
internal sealed class Blocking
{
    private readonly string[] _names;
    private readonly int[][] _recordKeys;
    private readonly int[] _start;
    private readonly int[] _members;
    private readonly bool[] _oversized;

    private Blocking(string[] names, int[][] recordKeys, int[] start, int[] members, bool[] oversized)
    {
        (_names, _recordKeys, _start, _members, _oversized) = (names, recordKeys, start, members, oversized);
        BlockCount = Enumerable.Range(0, names.Length).Count(b => Size(b) > 1);
        OversizedCount = oversized.Count(o => o);
    }

    /// <summary>Blocks of two or more records: only they hold pairs.</summary>
    public int BlockCount { get; }

    public int OversizedCount { get; }

    public static Blocking Build(IReadOnlyList<string>[] keys, int maxBlockSize)
    {
        var ids = new Dictionary<string, int>(keys.Length * 4, StringComparer.Ordinal);
        var names = new List<string>(keys.Length * 4);
        var sizes = new List<int>(keys.Length * 4);
        var recordKeys = new int[keys.Length][];
        for (var i = 0; i < keys.Length; i++)
        {
            var own = new List<int>(keys[i].Count);
            foreach (var key in keys[i])
            {
                if (!ids.TryGetValue(key, out var id))
                {
                    ids[key] = id = names.Count;
                    names.Add(key);
                    sizes.Add(0);
                }

                if (!own.Contains(id))
                {
                    own.Add(id);
                    sizes[id]++;
                }
            }

            recordKeys[i] = [.. own];
        }

        var start = new int[names.Count + 1];
        for (var b = 0; b < names.Count; b++)
        {
            start[b + 1] = start[b] + sizes[b];
        }

        var members = new int[start[^1]];
        var fill = start[..^1];
        for (var i = 0; i < recordKeys.Length; i++)
        {
            foreach (var b in recordKeys[i])
            {
                members[fill[b]++] = i;
            }
        }

        var oversized = sizes.Select(s => s > maxBlockSize).ToArray();
        return new Blocking([.. names], recordKeys, start, members, oversized);
    }

    public int Size(int block) => _start[block + 1] - _start[block];

    public ReadOnlySpan<int> MembersSpan(int block) => _members.AsSpan(_start[block], Size(block));

    public int[] Members(int block) => MembersSpan(block).ToArray();

    public bool IsOversized(int block) => _oversized[block];

    /// <summary>Blocks with pairs, largest first, so the long ones start early and the threads finish together.</summary>
    public int[] ComparableBlocks() =>
        [.. Enumerable.Range(0, _names.Length).Where(b => Size(b) > 1).OrderByDescending(Size)];

    /// <summary>
    /// The block that compares records i and j: the first of i's keys that j shares and that is not oversized; -1 when
    /// they share only oversized blocks (then the neighbourhood window of those decides).
    /// </summary>
    public int Owner(int i, int j)
    {
        var theirs = _recordKeys[j];
        foreach (var key in _recordKeys[i])
        {
            if (!_oversized[key] && Array.IndexOf(theirs, key) >= 0)
            {
                return key;
            }
        }

        return -1;
    }

    public List<OversizedBlock> Oversized() =>
        [.. Enumerable.Range(0, _names.Length).Where(b => _oversized[b]).Select(b => new OversizedBlock(_names[b], Size(b))).OrderByDescending(b => b.Size)];
}
