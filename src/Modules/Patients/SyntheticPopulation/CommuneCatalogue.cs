using System.Globalization;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>A commune as it was before 1 July 2025: its code, its old (63-province) province code and today's successors.</summary>
internal sealed record LegacyCommune(string Code, string LegacyProvinceCode, string Name, IReadOnlyList<string> Successors);

/// <summary>
/// The communes a population lives in, before and after the 2025 reform (vn-standards §8: 63 provinces with districts
/// became 34 with communes only; codes are reused, so 00004 was Phường Trúc Bạch and is now Phường Ba Đình).
/// Read from the published lists when a folder is given, otherwise a small invented province.
/// </summary>
internal sealed class CommuneCatalogue
{
    private readonly Dictionary<string, List<string>> _successors;
    private readonly HashSet<string> _current;

    private CommuneCatalogue(IReadOnlyList<LegacyCommune> legacy, HashSet<string> current, Dictionary<string, List<string>> successors)
    {
        Legacy = legacy;
        _current = current;
        _successors = successors;
    }

    /// <summary>The population's old communes, each with at least one successor in today's province.</summary>
    public IReadOnlyList<LegacyCommune> Legacy { get; }

    /// <summary>Today's communes of the population's province.</summary>
    public IReadOnlyCollection<string> Current => _current;

    /// <summary>
    /// Today's commune(s) for a code that may be old or new. A code in today's list stands for itself; since codes
    /// were reused, it may also be an old commune with other successors, and all of them are returned.
    /// </summary>
    public IReadOnlyList<string> TodaysCommunes(string code)
    {
        var known = _successors.TryGetValue(code, out var successors);
        if (!_current.Contains(code))
        {
            return known ? successors! : [];
        }

        return known && !(successors!.Count == 1 && successors[0] == code) ? [code, .. successors.Where(s => s != code)] : [code];
    }

    public static CommuneCatalogue Load(string? folder, string province) =>
        folder is null ? Invented() : FromFiles(folder, province);

    /// <summary>
    /// legacy-to-2025-communes.csv (provinceCode, wardCode, ward, newProvinceCode, newWardCode: one row per old-new pair,
    /// old codes stored as numbers) and communes-2025-with-location.csv (provinceCode, wardCode). No field is quoted in
    /// the published files, so a plain split suffices; columns are found by header name.
    /// </summary>
    private static CommuneCatalogue FromFiles(string folder, string province)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in Rows(Path.Combine(folder, "communes-2025-with-location.csv"), "provinceCode", "wardCode"))
        {
            if (Code(field("provinceCode"), 2) == province)
            {
                current.Add(Code(field("wardCode"), 5));
            }
        }

        var successors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var legacy = new Dictionary<string, (string Province, string Name)>(StringComparer.Ordinal);
        foreach (var field in Rows(Path.Combine(folder, "legacy-to-2025-communes.csv"), "provinceCode", "wardCode", "ward", "newWardCode"))
        {
            if (field("wardCode").Length == 0)
            {
                continue; // an island district without communes, which became a special zone whole
            }

            var code = Code(field("wardCode"), 5);
            var next = Code(field("newWardCode"), 5);
            if (!successors.TryGetValue(code, out var list))
            {
                successors[code] = list = [];
            }

            if (!list.Contains(next))
            {
                list.Add(next);
            }

            if (current.Contains(next))
            {
                legacy.TryAdd(code, (Code(field("provinceCode"), 2), field("ward")));
            }
        }

        if (legacy.Count == 0)
        {
            throw new InvalidDataException($"No commune of province {province} in {folder}.");
        }

        var communes = legacy.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new LegacyCommune(l.Key, l.Value.Province, l.Value.Name, [.. successors[l.Key].Where(current.Contains)]))
            .ToList();
        return new CommuneCatalogue(communes, current, successors);
    }

    /// <summary>
    /// Twenty-four invented old communes of two old provinces (79 and 74) merged three to one into eight new ones that
    /// reuse a predecessor's code, as the reform did; one old commune was split between two new ones.
    /// </summary>
    private static CommuneCatalogue Invented()
    {
        var legacy = new List<LegacyCommune>();
        var successors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var i = 0; i < 24; i++)
        {
            var code = (90000 + (i * 3)).ToString("D5", CultureInfo.InvariantCulture);
            var heir = (90000 + (i / 3 * 9)).ToString("D5", CultureInfo.InvariantCulture);
            List<string> next = i == 4 ? [heir, "90018"] : [heir];
            successors[code] = next;
            legacy.Add(new LegacyCommune(code, i < 15 ? "79" : "74", string.Create(CultureInfo.InvariantCulture, $"Xã Thử Nghiệm {i + 1}"), next));
        }

        return new CommuneCatalogue(legacy, [.. legacy.SelectMany(l => l.Successors)], successors);
    }

    private static IEnumerable<Func<string, string>> Rows(string path, params string[] required)
    {
        using var reader = new StreamReader(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.")).TrimStart('\uFEFF').Split(',');
        var columns = header.Select((name, i) => (name, i)).ToDictionary(c => c.name, c => c.i, StringComparer.Ordinal);
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"{path} has no column {string.Join(", ", missing)}.");
        }

        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split(',');
            yield return name => fields[columns[name]].Trim();
        }
    }

    /// <summary>The mapping file stores codes as numbers ("1", "4.0"): back to the official width.</summary>
    private static string Code(string text, int width) =>
        (text.EndsWith(".0", StringComparison.Ordinal) ? text[..^2] : text).PadLeft(width, '0');
}
