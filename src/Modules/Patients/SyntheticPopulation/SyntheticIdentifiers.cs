using System.Globalization;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>A BHYT card: beneficiary group, benefit level, issuing province, BHXH number, and the year it is valid.</summary>
internal sealed record BhytCard(string Group, int BenefitLevel, string Province, string Bhxh, int Year)
{
    /// <summary>vn-standards §4.3: XX Y ZZ NNNNNNNNNN, 15 characters.</summary>
    public string Number => string.Create(CultureInfo.InvariantCulture, $"{Group}{BenefitLevel}{Province}{Bhxh}");
}

/// <summary>
/// Structurally valid random identifiers. The random parts are a bijection of the person's position in the stream, so
/// no two people of a population share a CCCD or BHXH number (up to a million people per prefix) without a lookup set.
/// </summary>
internal static class SyntheticIdentifiers
{
    /// <summary>Old (63-province) codes used as birth-registration provinces for people born elsewhere.</summary>
    public static readonly string[] OtherBirthProvinces = ["01", "31", "38", "40", "42", "46", "48", "51", "52", "56", "66", "75", "80", "82", "86", "87", "89", "92", "94", "96"];

    // vn-standards §4.3 benefit table: level 1 for TE/CC, 2 for HN/DT/BT/CB/KC, 3 for HT/CN, 4 for the rest.
    private static readonly (string Group, int Level, double Weight)[] WorkingAge =
    [
        ("DN", 4, 34), ("GD", 4, 30), ("HC", 4, 8), ("HN", 2, 9), ("DT", 2, 12), ("XK", 4, 2), ("NO", 4, 2), ("CN", 3, 3),
    ];

    private static readonly (string Group, int Level, double Weight)[] Older =
    [
        ("HT", 3, 40), ("GD", 4, 30), ("CN", 3, 12), ("HN", 2, 8), ("CB", 2, 3), ("KC", 2, 3), ("BT", 2, 4),
    ];

    private static readonly string[] MobilePrefixes =
    [
        "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098", "070", "076", "077", "078",
        "079", "089", "090", "093", "081", "082", "083", "084", "085", "088", "091", "094", "056", "058", "059", "099",
    ];

    /// <summary>vn-standards §4.2: 3-digit birth province, sex-and-century digit (0/1 for 1900s, 2/3 for 2000s), 2-digit year, 6 digits.</summary>
    public static string Cccd(string birthProvince, bool female, int birthYear, long person, int seed)
    {
        var century = (((birthYear / 100) - 19) * 2) + (female ? 1 : 0);
        var serial = Permute(person, seed, 1_000_000, 620_773);
        return string.Create(CultureInfo.InvariantCulture, $"{birthProvince.PadLeft(3, '0')}{century}{birthYear % 100:D2}{serial:D6}");
    }

    /// <summary>
    /// Mã số BHXH, 10 digits. The published example "7912058865" starts with HCMC's old code 79, so this one starts
    /// with the old province code too (an assumption, vn-standards §4.3 [U]).
    /// </summary>
    public static string Bhxh(string legacyProvince, long person, int seed) =>
        string.Create(CultureInfo.InvariantCulture, $"{legacyProvince}{Permute(person, seed, 100_000_000, 48_271):D8}");

    /// <summary>The card a person of this age holds; children under 6 are insured by the state (Luật BHYT, group TE).</summary>
    public static (string Group, int Level) BhytGroup(Random random, int age) => age switch
    {
        < 6 => ("TE", 1),
        < 18 => ("HS", 4),
        < 23 when random.Chance(0.5) => ("SV", 4),
        < 60 => Pick(random, WorkingAge),
        _ => Pick(random, Older),
    };

    /// <summary>The card held before this one: a child's TE became HS at 6, a student's HS became SV, jobs change.</summary>
    public static (string Group, int Level) PreviousGroup(Random random, int age, string group) => group switch
    {
        "HS" when age < 8 => ("TE", 1),
        "SV" => ("HS", 4),
        "HT" => ("DN", 4),
        _ => OtherThan(random, age < 60 ? WorkingAge : Older, group),
    };

    public static string MobilePhone(Random random) => random.Pick(MobilePrefixes) + random.Digits(7);

    /// <summary>The same number as HIS systems write it: national form, +84, 84, or grouped with spaces.</summary>
    public static string AsWritten(Random random, string phone) => random.Next(6) switch
    {
        0 => "+84" + phone[1..],
        1 => "84" + phone[1..],
        2 => $"{phone[..4]} {phone[4..7]} {phone[7..]}",
        _ => phone,
    };

    private static (string, int) Pick(Random random, (string Group, int Level, double Weight)[] table)
    {
        var (group, level, _) = random.PickWeighted(table, g => g.Weight);
        return (group, level);
    }

    private static (string, int) OtherThan(Random random, (string Group, int Level, double Weight)[] table, string group)
    {
        var (other, level, _) = random.PickWeighted([.. table.Where(g => g.Group != group)], g => g.Weight);
        return (other, level);
    }

    /// <summary>An affine map n → (a·n + b) mod m, one-to-one because a is coprime with m (odd, not a multiple of 5).</summary>
    private static long Permute(long n, int seed, long modulus, long multiplier)
    {
        var offset = (uint)RandomExtensions.Derive(seed, modulus) % modulus;
        return ((n % modulus * multiplier) + offset) % modulus;
    }
}
