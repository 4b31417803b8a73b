using System.Globalization;

namespace YTeSo.Fhir.DemoData;

/// <summary>Structurally valid, random Vietnamese identifiers. None is a real person's number except by chance.</summary>
internal static class VietnameseIdentifiers
{
    /// <summary>vn-standards §4.2: 3-digit birth-registration province, sex/century digit, 2-digit year, 6 random digits.</summary>
    public static string Cccd(Random random, string birthProvinceCode, bool female, int birthYear)
    {
        // vn-standards §4.2: 4th digit = sex and century; 0/1 for 1900-1999, 2/3 for 2000-2099, ...
        var centuryDigit = (((birthYear / 100) - 19) * 2) + (female ? 1 : 0);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{birthProvinceCode.PadLeft(3, '0')}{centuryDigit}{birthYear % 100:D2}{random.Digits(6)}");
    }

    /// <summary>
    /// Mã số BHXH, 10 digits (vn-standards §4.1/§4.3). The published example "7912058865" starts with HCMC's
    /// code 79, so the demo starts with the old province code too (an assumption, [U]); the rest is random.
    /// </summary>
    public static string Bhxh(Random random, string legacyProvinceCode) => legacyProvinceCode + random.Digits(8);

    /// <summary>vn-standards §4.3: group (2 letters), benefit level (1 digit), issuing province (2 digits), BHXH number (10).</summary>
    public static string Bhyt(BhytGroup group, string legacyProvinceCode, string bhxh) =>
        string.Create(CultureInfo.InvariantCulture, $"{group.Code}{group.BenefitLevel}{legacyProvinceCode}{bhxh}");

    /// <summary>
    /// vn-standards §4.3 benefit table: TE level 1; DT/HN/BT level 2; HT/CN level 3; the rest level 4.
    /// Groups are drawn by age so a child never holds a retiree's card.
    /// </summary>
    public static BhytGroup BhytGroupFor(Random random, int age) => age switch
    {
        < 6 => new("TE", 1),
        < 18 => new("HS", 4),
        < 23 when random.Chance(0.5) => new("SV", 4),
        < 60 => random.PickWeighted(WorkingAgeGroups),
        < 80 => random.PickWeighted(OlderGroups),
        _ => random.Chance(0.6) ? new("BT", 2) : new("HT", 3),
    };

    /// <summary>10-digit mobile number; prefixes of the Vietnamese mobile networks after the 2018 renumbering.</summary>
    public static string MobilePhone(Random random) => random.Pick(MobilePrefixes) + random.Digits(7);

    private static readonly (BhytGroup Value, double Weight)[] WorkingAgeGroups =
    [
        (new("DN", 4), 35), (new("GD", 4), 33), (new("HC", 4), 8), (new("HN", 2), 10), (new("DT", 2), 14),
    ];

    private static readonly (BhytGroup Value, double Weight)[] OlderGroups =
    [
        (new("HT", 3), 40), (new("GD", 4), 35), (new("CN", 3), 15), (new("HN", 2), 10),
    ];

    private static readonly string[] MobilePrefixes =
    [
        "032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097", "098",
        "070", "076", "077", "078", "079", "089", "090", "093",
        "081", "082", "083", "084", "085", "088", "091", "094",
        "052", "056", "058", "092", "059", "099",
    ];
}

/// <summary>Mã đối tượng and its mức hưởng (vn-standards §4.3).</summary>
internal sealed record BhytGroup(string Code, int BenefitLevel);
