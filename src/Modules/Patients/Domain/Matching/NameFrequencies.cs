using System.Collections.Frozen;
using YTeSo.Patients.Domain.Names;
using YTeSo.Platform.Text;

namespace YTeSo.Patients.Domain.Matching;

/// <summary>
/// How common each family, middle and given name is, so agreement on a shared "Nguyễn" counts for little and agreement
/// on a rare given name for much (Winkler's frequency-based weights: the chance two unrelated people agree on value v is
/// about its share f(v)). Keyed by the folded variant key, so "Huỳnh" and "Hoàng" share one count.
/// </summary>
public sealed class NameFrequencies
{
    private readonly FrozenDictionary<string, double> _family;
    private readonly FrozenDictionary<string, double> _middle;
    private readonly FrozenDictionary<string, double> _given;
    private readonly double _unseenFamily;
    private readonly double _unseenMiddle;
    private readonly double _unseenGiven;

    private NameFrequencies(Dictionary<string, double> family, Dictionary<string, double> middle,
        Dictionary<string, double> given, double unseenFamily, double unseenMiddle, double unseenGiven)
    {
        _family = family.ToFrozenDictionary(StringComparer.Ordinal);
        _middle = middle.ToFrozenDictionary(StringComparer.Ordinal);
        _given = given.ToFrozenDictionary(StringComparer.Ordinal);
        (_unseenFamily, _unseenMiddle, _unseenGiven) = (unseenFamily, unseenMiddle, unseenGiven);
        FamilyRepeat = RepeatRate(family.Values, unseenFamily);
        MiddleRepeat = RepeatRate(middle.Values, unseenMiddle);
        GivenRepeat = RepeatRate(given.Values, unseenGiven);
    }

    /// <summary>
    /// National shares. Family names: the 2005 survey quoted by most sources (Nguyễn 38.4 %, Trần 12.1 %, Lê 9.5 %, Phạm
    /// 7 %, Hoàng/Huỳnh 5.1 %, Phan 4.5 %, Vũ/Võ 3.9 %, Đặng 2.1 %, Bùi 2 %, Đỗ 1.4 %, Hồ 1.3 %, Ngô 1.3 %, Dương 1 %,
    /// Lý 0.5 %) [S]; the smaller ones and all middle and given shares are estimates [U]. Replace with
    /// <see cref="From"/> on the province's own records once there are enough.
    /// </summary>
    public static NameFrequencies Default { get; } = new(
        Table(("nguyen", .384), ("tran", .121), ("le", .095), ("pham", .070), ("hoang", .051), ("phan", .045),
            ("vu", .039), ("dang", .021), ("bui", .020), ("do", .014), ("ho", .013), ("ngo", .013), ("duong", .010),
            ("li", .005), ("dinh", .005), ("truong", .005), ("doan", .004), ("trinh", .004), ("ha", .004), ("mai", .003),
            ("lam", .003), ("cao", .003), ("luong", .003), ("luu", .002), ("ta", .002), ("chu", .002), ("to", .002),
            ("thai", .002), ("chau", .002), ("vuong", .002), ("phung", .002), ("nong", .002), ("kieu", .001),
            ("la", .001), ("quach", .001), ("tang", .001), ("trieu", .001), ("hua", .001), ("mac", .001),
            ("lai", .001), ("luc", .001)),
        Table(("thi", .30), ("van", .25), ("minh", .04), ("ngoc", .04), ("duc", .03), ("thanh", .03), ("thi thu", .02),
            ("thu", .02), ("quang", .02), ("hoang", .02), ("huu", .02), ("xuan", .02), ("hong", .02), ("thi thanh", .015),
            ("kim", .015), ("anh", .015), ("cong", .015), ("dinh", .015), ("gia", .015), ("bao", .015), ("thi ngoc", .01),
            ("thi kim", .01), ("tuan", .01), ("thi hong", .01), ("thi minh", .008)),
        Table(("anh", .035), ("linh", .025), ("trang", .02), ("minh", .02), ("thanh", .018), ("huong", .015),
            ("ha", .015), ("hung", .015), ("tuan", .015), ("hai", .015), ("nam", .015), ("huy", .015), ("thao", .015),
            ("phuong", .015), ("dung", .014), ("long", .012), ("duc", .012), ("mai", .012), ("lan", .012),
            ("hang", .012), ("thuy", .012), ("ngoc", .01), ("hoa", .012), ("hanh", .01), ("nga", .01), ("yen", .01),
            ("quang", .01), ("son", .01), ("thang", .01), ("cuong", .01), ("hieu", .01), ("trung", .01), ("vi", .01),
            ("an", .01), ("binh", .01), ("khanh", .008), ("hoang", .008), ("hien", .008), ("tam", .008),
            ("giang", .008), ("duy", .008), ("tung", .008), ("nhung", .007), ("loan", .006), ("oanh", .005),
            ("tu", .006), ("dat", .008), ("phuc", .006), ("vinh", .006), ("quan", .006), ("bao", .006)),
        unseenFamily: .0005, unseenMiddle: .003, unseenGiven: .0008);

    /// <summary>Repeat rates Σ f²: the chance two unrelated people share the family / middle / given name.</summary>
    internal double FamilyRepeat { get; }

    internal double MiddleRepeat { get; }

    internal double GivenRepeat { get; }

    /// <summary>Shares counted on a population (a province's MPI); names never seen count as seen once.</summary>
    public static NameFrequencies From(IEnumerable<PersonRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var family = new Dictionary<string, double>(StringComparer.Ordinal);
        var middle = new Dictionary<string, double>(StringComparer.Ordinal);
        var given = new Dictionary<string, double>(StringComparer.Ordinal);
        double families = 0, middles = 0, givens = 0;
        foreach (var record in records)
        {
            var name = PersonName.Parse(record.FullName);
            if (name.Tokens.Length >= 2)
            {
                Increment(family, name.FamilyKey);
                families++;
            }

            if (name.Tokens.Length >= 3)
            {
                Increment(middle, name.MiddleFolded);
                middles++;
            }

            if (!name.IsEmpty)
            {
                Increment(given, name.GivenKey);
                givens++;
            }
        }

        return new NameFrequencies(Shares(family, families), Shares(middle, middles), Shares(given, givens),
            1 / (families + 1), 1 / (middles + 1), 1 / (givens + 1));
    }

    public double FamilyShare(string familyName) => Share(_family, Key(familyName), _unseenFamily);

    public double MiddleShare(string middleName) => Share(_middle, TextNormalizer.Fold(middleName), _unseenMiddle);

    public double GivenShare(string givenName) => Share(_given, Key(givenName), _unseenGiven);

    internal double FamilyShareOfKey(string key) => Share(_family, key, _unseenFamily);

    internal double MiddleShareOfFolded(string folded) => Share(_middle, folded, _unseenMiddle);

    internal double GivenShareOfKey(string key) => Share(_given, key, _unseenGiven);

    private static string Key(string name) => NameVariants.Key(TextNormalizer.Fold(name));

    private static double Share(FrozenDictionary<string, double> table, string key, double unseen) =>
        table.TryGetValue(key, out var share) ? share : unseen;

    private static Dictionary<string, double> Table(params (string Key, double Share)[] rows)
    {
        var table = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (key, share) in rows)
        {
            table[key] = table.GetValueOrDefault(key) + share;
        }

        return table;
    }

    private static void Increment(Dictionary<string, double> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    private static Dictionary<string, double> Shares(Dictionary<string, double> counts, double total)
    {
        foreach (var key in counts.Keys)
        {
            counts[key] /= total;
        }

        return counts;
    }

    private static double RepeatRate(IEnumerable<double> shares, double unseen)
    {
        var sum = 0.0;
        var covered = 0.0;
        foreach (var share in shares)
        {
            sum += share * share;
            covered += share;
        }

        // The names not in the table share the rest of the population at about the unseen share each.
        return Math.Max(sum + (Math.Max(0, 1 - covered) * unseen), 1e-9);
    }
}
