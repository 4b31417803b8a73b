using YTeSo.Patients.Domain.Names;

namespace YTeSo.Patients.Domain.Matching;

/// <summary>The comparison functions, one per field, each returning a level.</summary>
internal static class FieldComparers
{
    /// <summary>Folded tokens this close (Jaro-Winkler) are a typo of each other: "ngoc"/"ngco", "huong"/"hung".</summary>
    public const double FuzzyThreshold = 0.88;

    public static MatchLevel Identifier(string? a, string? b) =>
        string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b) ? MatchLevel.Missing
        : string.Equals(a, b, StringComparison.Ordinal) ? MatchLevel.Equal
        : MatchLevel.Different;

    /// <summary>Sets (phones, communes, BHXH numbers): any value in common is agreement.</summary>
    public static MatchLevel Overlap(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count == 0 || b.Count == 0)
        {
            return MatchLevel.Missing;
        }

        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                if (string.Equals(a[i], b[j], StringComparison.Ordinal))
                {
                    return MatchLevel.Equal;
                }
            }
        }

        return MatchLevel.Different;
    }

    public static MatchLevel FacilityNumbers(IReadOnlyList<FacilityNumber> a, IReadOnlyList<FacilityNumber> b)
    {
        var level = MatchLevel.Missing;
        foreach (var x in a)
        {
            foreach (var y in b)
            {
                if (!string.Equals(x.FacilityCode, y.FacilityCode, StringComparison.Ordinal))
                {
                    continue;
                }

                if (string.Equals(x.Value, y.Value, StringComparison.Ordinal))
                {
                    return MatchLevel.Equal;
                }

                level = MatchLevel.Different;
            }
        }

        return level;
    }

    public static MatchLevel Sex(PersonSex a, PersonSex b) =>
        a == PersonSex.Unknown || b == PersonSex.Unknown ? MatchLevel.Missing
        : a == b ? MatchLevel.Equal
        : MatchLevel.Different;

    public static MatchLevel BirthOrder(int? a, int? b) =>
        a is null || b is null ? MatchLevel.Missing : a == b ? MatchLevel.Equal : MatchLevel.Different;

    /// <summary>
    /// Birth dates, partial ones included: "exact" (full dates equal), "month" (year and month agree, a day unknown),
    /// "year" (year agrees, a month unknown), "typo" (one part off by a keystroke: a digit, day and month swapped,
    /// the year off by one), "near" (a year-only or estimated date within two years), "different".
    /// </summary>
    public static MatchLevel BirthDate(PartialDate? a, PartialDate? b)
    {
        if (a is not { } x || b is not { } y)
        {
            return MatchLevel.Missing;
        }

        var bothFull = x is { Month: not null, Day: not null } && y is { Month: not null, Day: not null };
        if (bothFull)
        {
            if (x == y)
            {
                // [U] 1 January is what registrations write when only the year is known: it says no more than the year.
                return x.Month == 1 && x.Day == 1 ? MatchLevel.Year : MatchLevel.Exact;
            }

            return IsTypo(x, y) ? MatchLevel.Typo : MatchLevel.Different;
        }

        if (x.Year == y.Year)
        {
            if (x.Month is null || y.Month is null)
            {
                return MatchLevel.Year;
            }

            if (x.Month == y.Month)
            {
                return MatchLevel.Month;
            }

            return OneDigitApart(x.Month.Value, y.Month.Value) ? MatchLevel.Typo : MatchLevel.Different;
        }

        var yearOnly = x.Month is null || y.Month is null;
        return yearOnly && Math.Abs(x.Year - y.Year) <= 2 ? MatchLevel.Near : MatchLevel.Different;
    }

    private static bool IsTypo(PartialDate x, PartialDate y)
    {
        int xd = x.Day!.Value, yd = y.Day!.Value, xm = x.Month!.Value, ym = y.Month!.Value;
        if (x.Year == y.Year)
        {
            return (xm == ym && OneDigitApart(xd, yd)) || (xd == yd && OneDigitApart(xm, ym)) || (xd == ym && xm == yd);
        }

        return xd == yd && xm == ym && (Math.Abs(x.Year - y.Year) == 1 || OneDigitApart(x.Year, y.Year));
    }

    /// <summary>Numbers that differ in exactly one decimal digit (12/13, 1985/1958 is not, 1985/1995 is).</summary>
    private static bool OneDigitApart(int a, int b)
    {
        var differences = 0;
        while (a > 0 || b > 0)
        {
            if (a % 10 != b % 10)
            {
                differences++;
            }

            a /= 10;
            b /= 10;
        }

        return differences == 1;
    }

    /// <summary>
    /// One name token: "exact" (same canonical spelling), "exact-folded" (the same without marks, one side typed
    /// without any: "Nguyen"/"Nguyễn"), "variant" (same variant key: Huỳnh/Hoàng, Vy/Vi, Ngyuen), "fuzzy" (both
    /// marked but differently, Hùng/Hưng, or Jaro-Winkler ≥ 0.88 on the folds), "different".
    /// </summary>
    public static MatchLevel Token(string tokenA, string foldedA, string keyA, string tokenB, string foldedB, string keyB)
    {
        if (string.Equals(tokenA, tokenB, StringComparison.Ordinal))
        {
            return MatchLevel.Exact;
        }

        if (string.Equals(foldedA, foldedB, StringComparison.Ordinal))
        {
            return IsUnmarked(tokenA, foldedA) || IsUnmarked(tokenB, foldedB) ? MatchLevel.ExactFolded : MatchLevel.Fuzzy;
        }

        if (string.Equals(keyA, keyB, StringComparison.Ordinal))
        {
            return MatchLevel.Variant;
        }

        return JaroWinkler.Similarity(foldedA, foldedB) >= FuzzyThreshold || OneEditApart(foldedA, foldedB)
            ? MatchLevel.Fuzzy
            : MatchLevel.Different;
    }

    /// <summary>
    /// One keystroke apart (Damerau: a letter changed, added, dropped, or two neighbours swapped): "nam"/"nma",
    /// "dat"/"dta", "yen"/"ywn". Jaro-Winkler's match window is 0 for three letters, so it misses these on the short
    /// tokens Vietnamese names are made of. Only for tokens of three letters or more that agree on the first letter.
    /// </summary>
    internal static bool OneEditApart(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (Math.Max(a.Length, b.Length) < 3 || Math.Abs(a.Length - b.Length) > 1)
        {
            return false;
        }

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        // Names of siblings differ in the first letter (Bình/Minh, Nam/Lam, Hùng/Dũng); typists rarely miss it.
        if (prefix == 0)
        {
            return false;
        }

        if (a.Length == b.Length)
        {
            if (prefix == a.Length)
            {
                return true;
            }

            var rest = prefix + 1;
            return a[rest..].SequenceEqual(b[rest..])
                || (rest < a.Length && a[prefix] == b[rest] && a[rest] == b[prefix] && a[(rest + 1)..].SequenceEqual(b[(rest + 1)..]));
        }

        return a.Length > b.Length
            ? a[(prefix + 1)..].SequenceEqual(b[prefix..])
            : b[(prefix + 1)..].SequenceEqual(a[prefix..]);
    }

    /// <summary>
    /// Middle names: missing when either side has none (missing middle names are common, not evidence), "variant"
    /// when one is a part of the other ("Thị Thu" / "Thu").
    /// </summary>
    public static MatchLevel Middle(PersonName a, PersonName b)
    {
        if (a.MiddleFolded.Length == 0 || b.MiddleFolded.Length == 0)
        {
            return MatchLevel.Missing;
        }

        var level = Token(a.Middle, a.MiddleFolded, a.MiddleKey, b.Middle, b.MiddleFolded, b.MiddleKey);
        if (level is MatchLevel.Different or MatchLevel.Fuzzy && (ContainsWords(a.MiddleFolded, b.MiddleFolded)
            || ContainsWords(b.MiddleFolded, a.MiddleFolded)))
        {
            return MatchLevel.Variant;
        }

        return level;
    }

    private static bool ContainsWords(string longer, string shorter) =>
        longer.Length > shorter.Length && (longer.StartsWith(shorter + " ", StringComparison.Ordinal)
            || longer.EndsWith(" " + shorter, StringComparison.Ordinal)
            || longer.Contains(" " + shorter + " ", StringComparison.Ordinal));

    /// <summary>A token typed without any Vietnamese marks: its canonical form is its own fold.</summary>
    private static bool IsUnmarked(string token, string folded) =>
        token.Length == folded.Length && !token.Contains('đ', StringComparison.Ordinal) && IsAscii(token);

    private static bool IsAscii(string s)
    {
        foreach (var c in s)
        {
            if (c > 127)
            {
                return false;
            }
        }

        return true;
    }
}
