using System.Globalization;
using YTeSo.Patients.Domain.Names;

namespace YTeSo.Patients.Domain.Matching;

/// <summary>
/// The probabilistic matcher: blocking keys to find candidates, then deterministic rules and Fellegi-Sunter weights
/// (log2 m/u per field level, names scaled by their frequency) to grade a pair. Pure and thread-safe: one instance
/// serves every request.
/// </summary>
public sealed class MatchEngine
{
    private const int Fields = MatchNames.FieldCount;
    private const int LevelCount = MatchNames.LevelCount;

    /// <summary>A weaker name agreement never outweighs a stronger one by less than this many bits.</summary>
    private const double LevelStep = 0.5;

    private readonly MatchSettings _settings;
    private readonly NameFrequencies _frequencies;
    private readonly double[] _m = new double[Fields * LevelCount];
    private readonly double[] _u = new double[Fields * LevelCount];
    private readonly double[] _w = new double[Fields * LevelCount];
    private readonly double _priorLogOdds;

    public MatchEngine(MatchSettings settings, NameFrequencies frequencies)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(frequencies);
        _settings = settings;
        _frequencies = frequencies;
        foreach (var (fieldName, levels) in settings.Fields)
        {
            if (MatchNames.Field(fieldName) is not { } field)
            {
                continue;
            }

            foreach (var (levelName, p) in levels)
            {
                if (MatchNames.Level(levelName) is not { } level || level == MatchLevel.Missing)
                {
                    continue;
                }

                var i = Index(field, level);
                _m[i] = Clamp(p.M);
                _u[i] = Clamp(p.U);
                _w[i] = Math.Log2(_m[i] / _u[i]);
            }
        }

        var prior = Math.Clamp(settings.Prior, 1e-15, 1 - 1e-9);
        _priorLogOdds = Math.Log2(prior / (1 - prior));
    }

    public MatchSettings Settings => _settings;

    public static PreparedPerson Prepare(PersonRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new PreparedPerson(record);
    }

    /// <summary>
    /// Blocking keys: two records are compared only if they share one. Each is a short string with a one-letter kind:
    /// p CCCD, l CMND, s mã số BHXH (alone or from each BHYT card), x passport, t phone, a family+given+birth year+sex,
    /// b family+full birth date, c given+full birth date, d family+given+commune, e the name's words sorted+birth year
    /// (swapped order). Names enter as folded variant keys, so marks, đ/d, Huỳnh/Hoàng and listed typos do not split
    /// a block; a year-only date still meets a full one through a and e, a moved person through a, b, c, a new phone
    /// through every key but t.
    /// </summary>
    public IReadOnlyList<string> BlockingKeys(PersonRecord record) => BlockingKeys(Prepare(record));

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822",
        Justification = "An instance member on purpose: blocking will take settings (key kinds, block caps) without changing callers.")]
    public IReadOnlyList<string> BlockingKeys(PreparedPerson person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var record = person.Record;
        var keys = new List<string>(12);
        AddKey(keys, "p", record.PersonalId);
        AddKey(keys, "l", record.LegacyId);
        foreach (var bhxh in person.Bhxh)
        {
            AddKey(keys, "s", bhxh);
        }

        AddKey(keys, "x", record.Passport);
        foreach (var phone in record.Phones)
        {
            AddKey(keys, "t", phone);
        }

        var name = person.Name;
        if (name.IsEmpty)
        {
            return keys;
        }

        var family = name.Tokens.Length >= 2 ? name.FamilyKey : "";
        var given = name.GivenKey;
        if (record.BirthDate is { } birth)
        {
            var year = birth.Year.ToString(CultureInfo.InvariantCulture);
            AddKey(keys, "a", $"{family}|{given}|{year}{SexLetter(record.Sex)}");
            if (birth is { Month: { } month, Day: { } day })
            {
                var date = string.Create(CultureInfo.InvariantCulture, $"{birth.Year:D4}{month:D2}{day:D2}");
                if (family.Length > 0)
                {
                    AddKey(keys, "b", $"{family}|{date}");
                }

                AddKey(keys, "c", $"{given}|{date}");
            }

            if (name.Tokens.Length >= 2)
            {
                var sorted = (string[])name.Keys.Clone();
                Array.Sort(sorted, StringComparer.Ordinal);
                AddKey(keys, "e", $"{string.Join(' ', sorted)}|{year}");
            }
        }

        foreach (var commune in record.Communes)
        {
            AddKey(keys, "d", $"{family}|{given}|{commune}");
        }

        return keys;
    }

    public MatchResult Compare(PersonRecord a, PersonRecord b) => Compare(Prepare(a), Prepare(b));

    public MatchResult Compare(PreparedPerson a, PreparedPerson b)
    {
        Span<MatchLevel> levels = stackalloc MatchLevel[Fields];
        Span<double> weights = stackalloc double[Fields];
        var verdict = Evaluate(a, b, levels, weights);
        var fields = new FieldComparison[Fields];
        for (var f = 0; f < Fields; f++)
        {
            fields[f] = new FieldComparison(MatchNames.Name((MatchField)f), MatchNames.Name(levels[f]), weights[f]);
        }

        return new MatchResult(verdict.Grade, verdict.Weight, verdict.Probability, verdict.Rule, verdict.Conflict, fields);
    }

    /// <summary>The grade and weight alone, without the field rows: the batch path, allocation-free.</summary>
    public (MatchGrade Grade, double Weight) Score(PreparedPerson a, PreparedPerson b)
    {
        Span<MatchLevel> levels = stackalloc MatchLevel[Fields];
        Span<double> weights = stackalloc double[Fields];
        var verdict = Evaluate(a, b, levels, weights);
        return (verdict.Grade, verdict.Weight);
    }

    /// <summary>The comparison levels alone, no weights: what <see cref="EmEstimator"/> counts.</summary>
    internal static void Levels(PreparedPerson a, PreparedPerson b, Span<MatchLevel> levels)
    {
        var ra = a.Record;
        var rb = b.Record;
        levels[(int)MatchField.PersonalId] = FieldComparers.Identifier(ra.PersonalId, rb.PersonalId);
        levels[(int)MatchField.LegacyId] = FieldComparers.Identifier(ra.LegacyId, rb.LegacyId);
        levels[(int)MatchField.Bhxh] = FieldComparers.Overlap(a.Bhxh, b.Bhxh);
        levels[(int)MatchField.Passport] = FieldComparers.Identifier(ra.Passport, rb.Passport);
        levels[(int)MatchField.FacilityNumber] = FieldComparers.FacilityNumbers(ra.FacilityNumbers, rb.FacilityNumbers);
        CompareNames(a.Name, b.Name, out levels[(int)MatchField.FamilyName], out levels[(int)MatchField.MiddleName],
            out levels[(int)MatchField.GivenName]);
        levels[(int)MatchField.BirthDate] = FieldComparers.BirthDate(ra.BirthDate, rb.BirthDate);
        levels[(int)MatchField.Sex] = FieldComparers.Sex(ra.Sex, rb.Sex);
        levels[(int)MatchField.Phone] = FieldComparers.Overlap(ra.Phones, rb.Phones);
        levels[(int)MatchField.Commune] = FieldComparers.Overlap(ra.Communes, rb.Communes);
        levels[(int)MatchField.BirthOrder] = FieldComparers.BirthOrder(ra.BirthOrder, rb.BirthOrder);
    }

    internal static void CompareNames(PersonName a, PersonName b, out MatchLevel family, out MatchLevel middle,
        out MatchLevel given)
    {
        if (a.IsEmpty || b.IsEmpty)
        {
            family = middle = given = MatchLevel.Missing;
            return;
        }

        given = FieldComparers.Token(a.Given, a.Folded[^1], a.GivenKey, b.Given, b.Folded[^1], b.GivenKey);
        family = a.Tokens.Length >= 2 && b.Tokens.Length >= 2
            ? FieldComparers.Token(a.Family, a.Folded[0], a.FamilyKey, b.Family, b.Folded[0], b.FamilyKey)
            : MatchLevel.Missing;
        middle = FieldComparers.Middle(a, b);
        if (given == MatchLevel.Different && (NameVariants.IsNickname(a.Given) || NameVariants.IsNickname(b.Given)))
        {
            given = MatchLevel.Nickname;
        }

        if ((given != MatchLevel.Different && family != MatchLevel.Different) || a.Tokens.Length < 2 || b.Tokens.Length < 2)
        {
            return;
        }

        // Western order ("Văn An Nguyễn") or the parts put in the wrong fields ("An Nguyễn Văn"): the same words in
        // another order. The words are then compared in the order of a, so a swapped name written with the same marks
        // weighs as much as the same name; only the order was wrong, which says nothing about the person.
        if (Reordered(a.Keys, b) is { } inOrder)
        {
            CompareNames(a, inOrder, out family, out middle, out given);
            return;
        }

        // Family and given name swapped and something else changed too (a middle name left out, a typo in it).
        if (string.Equals(a.GivenKey, b.FamilyKey, StringComparison.Ordinal) && string.Equals(a.FamilyKey, b.GivenKey, StringComparison.Ordinal))
        {
            family = given = MatchLevel.Variant;
            middle = MatchLevel.Missing;
        }
    }

    /// <summary>True when a word of one name is a word of the other (by variant key: marks, đ/d and listed spellings aside).</summary>
    private static bool ShareAWord(PersonName a, PersonName b)
    {
        foreach (var word in a.Keys)
        {
            if (Array.IndexOf(b.Keys, word) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The name <paramref name="b"/> with its words in the order of the keys <paramref name="order"/>, or null
    /// when the words are not the same (by variant key) or already in that order.</summary>
    private static PersonName? Reordered(string[] order, PersonName b)
    {
        if (order.Length != b.Keys.Length)
        {
            return null;
        }

        Span<bool> used = stackalloc bool[b.Keys.Length];
        var tokens = new string[order.Length];
        var moved = false;
        for (var i = 0; i < order.Length; i++)
        {
            var found = -1;
            for (var j = 0; j < b.Keys.Length && found < 0; j++)
            {
                if (!used[j] && string.Equals(order[i], b.Keys[j], StringComparison.Ordinal))
                {
                    found = j;
                }
            }

            if (found < 0)
            {
                return null;
            }

            used[found] = true;
            tokens[i] = b.Tokens[found];
            moved |= found != i;
        }

        return moved ? PersonName.FromTokens(tokens) : null;
    }

    private (MatchGrade Grade, double Weight, double Probability, string? Rule, string? Conflict) Evaluate(
        PreparedPerson a, PreparedPerson b, Span<MatchLevel> levels, Span<double> weights)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        Levels(a, b, levels);
        var total = 0.0;
        for (var f = 0; f < Fields; f++)
        {
            var field = (MatchField)f;
            var level = levels[f];
            var w = !MatchNames.IsScored(level) ? 0
                : field switch
                {
                    MatchField.FamilyName => NameWeight(field, level,
                        Math.Max(_frequencies.FamilyShareOfKey(a.Name.FamilyKey), _frequencies.FamilyShareOfKey(b.Name.FamilyKey))
                        / _frequencies.FamilyRepeat),
                    MatchField.MiddleName => NameWeight(field, level,
                        Math.Max(_frequencies.MiddleShareOfFolded(a.Name.MiddleFolded), _frequencies.MiddleShareOfFolded(b.Name.MiddleFolded))
                        / _frequencies.MiddleRepeat),
                    MatchField.GivenName => NameWeight(field, level,
                        Math.Max(_frequencies.GivenShareOfKey(a.Name.GivenKey), _frequencies.GivenShareOfKey(b.Name.GivenKey))
                        / _frequencies.GivenRepeat),
                    _ => _w[Index(field, level)],
                };
            weights[f] = w;
            total += w;
        }

        var probability = 1 / (1 + Math.Pow(2, -(total + _priorLogOdds)));
        var grade = probability >= _settings.MatchThreshold ? MatchGrade.Match
            : probability >= _settings.PossibleThreshold ? MatchGrade.Possible
            : MatchGrade.NoMatch;
        var (finalGrade, rule, conflict) = ApplyRules(a.Record, b.Record, levels, grade, ShareAWord(a.Name, b.Name));
        return (finalGrade, total, probability, rule, conflict);
    }

    /// <summary>
    /// Deterministic rules over the weights (issue 4: "same CCCD = same person unless a conflict is flagged"). A wrong
    /// merge is worse than a missed one, so every rule can only lower a grade, except the same-CCCD rule.
    /// </summary>
    private static (MatchGrade Grade, string? Rule, string? Conflict) ApplyRules(PersonRecord a, PersonRecord b,
        ReadOnlySpan<MatchLevel> levels, MatchGrade grade, bool namesShareAWord)
    {
        var temporary = a.IsTemporary || b.IsTemporary;
        switch (levels[(int)MatchField.PersonalId])
        {
            case MatchLevel.Different:
                // Two structurally valid, different số định danh: two people (vn-standards §4.1, one id per life).
                return (MatchGrade.NoMatch, "different-personal-id", null);
            case MatchLevel.Equal:
                var conflicts = new List<string>(3);
                if (levels[(int)MatchField.Sex] == MatchLevel.Different)
                {
                    conflicts.Add("the same CCCD is recorded with a different sex");
                }

                if (a.BirthDate is { } da && b.BirthDate is { } db && da.Year != db.Year)
                {
                    conflicts.Add(string.Create(CultureInfo.InvariantCulture,
                        $"the same CCCD is recorded with birth years {da.Year} and {db.Year}"));
                }

                // "Clearly different": no word of one name is in the other, in any order. A given name typed wrong or
                // replaced by a nickname, or the words typed in another order ("Sn Nguyễn Quốc" for "Nguyễn Quốc
                // Sơn"), is what registration desks do; names without a word in common are another person on this number.
                if (levels[(int)MatchField.GivenName] == MatchLevel.Different
                    && levels[(int)MatchField.FamilyName] is MatchLevel.Different or MatchLevel.Missing
                    && !namesShareAWord)
                {
                    conflicts.Add("the same CCCD is recorded with a clearly different name");
                }

                if (conflicts.Count > 0)
                {
                    return (MatchGrade.Possible, "same-personal-id", Sentence(conflicts));
                }

                return temporary
                    ? (MatchGrade.Possible, "temporary-record", "a temporary record is linked only by a reviewer")
                    : (MatchGrade.Match, "same-personal-id", null);
            default:
                break;
        }

        if (levels[(int)MatchField.BirthOrder] == MatchLevel.Different)
        {
            return (MatchGrade.NoMatch, "different-birth-order", null);
        }

        if (grade != MatchGrade.Match)
        {
            return (grade, null, null);
        }

        if (temporary)
        {
            return (MatchGrade.Possible, "temporary-record", "a temporary record is linked only by a reviewer");
        }

        // Twins and siblings share family name, address, phone and (twins) birth date: only the given name tells them
        // apart, so a clearly different one (or a nickname) is never linked automatically on those alone. A lifelong
        // number both records carry (BHXH, CMND, passport) is what siblings do not share, and lifts the cap.
        var given = levels[(int)MatchField.GivenName];
        if (given is MatchLevel.Different or MatchLevel.Nickname && !SharesLifelongNumber(levels))
        {
            return (MatchGrade.Possible, "different-given-name", given == MatchLevel.Nickname
                ? "one given name is a household nickname: the same person, or a sibling?"
                : "the given names differ: twins or siblings?");
        }

        if (levels[(int)MatchField.Sex] == MatchLevel.Different)
        {
            return (MatchGrade.Possible, "different-sex", "the records have different sexes");
        }

        // A son named after his father shares name, address and phone; only the birth date tells them apart.
        if (levels[(int)MatchField.BirthDate] == MatchLevel.Different && !SharesLifelongNumber(levels))
        {
            return (MatchGrade.Possible, "different-birth-date", "the birth dates differ: a namesake parent or child?");
        }

        return (grade, null, null);
    }

    private static bool SharesLifelongNumber(ReadOnlySpan<MatchLevel> levels) =>
        levels[(int)MatchField.Bhxh] == MatchLevel.Equal || levels[(int)MatchField.LegacyId] == MatchLevel.Equal
        || levels[(int)MatchField.Passport] == MatchLevel.Equal;

    private static string Sentence(List<string> parts)
    {
        var text = string.Join("; ", parts);
        return string.Concat(char.ToUpperInvariant(text[0]).ToString(), text.AsSpan(1), ".");
    }

    /// <summary>
    /// A name level's weight: u scaled by the name's share over the average (Winkler's frequency weights), and the
    /// levels kept in order, so exact with marks always outweighs exact without, which outweighs a variant, a fuzzy.
    /// </summary>
    private double NameWeight(MatchField field, MatchLevel level, double relativeShare)
    {
        if (level == MatchLevel.Different)
        {
            return _w[Index(field, level)];
        }

        var exact = FrequencyWeight(field, MatchLevel.Exact, relativeShare);
        if (level == MatchLevel.Exact)
        {
            return exact;
        }

        var folded = Math.Min(FrequencyWeight(field, MatchLevel.ExactFolded, relativeShare), exact - LevelStep);
        if (level == MatchLevel.ExactFolded)
        {
            return folded;
        }

        var variant = Math.Min(_w[Index(field, MatchLevel.Variant)], folded - LevelStep);
        if (level == MatchLevel.Variant)
        {
            return variant;
        }

        return Math.Min(_w[Index(field, MatchLevel.Fuzzy)], variant - LevelStep);
    }

    private double FrequencyWeight(MatchField field, MatchLevel level, double relativeShare)
    {
        var i = Index(field, level);
        return _m[i] == 0 ? 0 : Math.Log2(_m[i] / Clamp(_u[i] * relativeShare));
    }

    private static void AddKey(List<string> keys, string kind, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        var key = kind + value;
        if (!keys.Contains(key))
        {
            keys.Add(key);
        }
    }

    private static char SexLetter(PersonSex sex) => sex switch
    {
        PersonSex.Male => 'm',
        PersonSex.Female => 'f',
        _ => 'u',
    };

    private static int Index(MatchField field, MatchLevel level) => ((int)field * LevelCount) + (int)level;

    private static double Clamp(double p) => Math.Clamp(p, 1e-12, 1 - 1e-9);
}
