namespace YTeSo.Patients.Domain.Matching;

/// <summary>The fields the engine scores, in the order of <see cref="MatchResult.Fields"/>.</summary>
internal enum MatchField
{
    PersonalId,
    LegacyId,
    Bhxh,
    Passport,
    FacilityNumber,
    FamilyName,
    MiddleName,
    GivenName,
    BirthDate,
    Sex,
    Phone,
    Commune,
    BirthOrder,
}

/// <summary>Comparison levels, from agreement to disagreement; <see cref="Missing"/> (one side unknown) weighs 0.</summary>
internal enum MatchLevel
{
    Missing,
    Exact,
    ExactFolded,
    Variant,
    Fuzzy,
    Month,
    Year,
    Typo,
    Near,
    Equal,
    Different,

    /// <summary>The given names differ but one is a household nickname (Bé, Tí, Út …): no evidence either way.</summary>
    Nickname,
}

internal static class MatchNames
{
    public const int FieldCount = 13;
    public const int LevelCount = 12;

    private static readonly string[] Fields =
    [
        "personalId", "legacyId", "bhxh", "passport", "facilityNumber", "familyName", "middleName", "givenName",
        "birthDate", "sex", "phone", "commune", "birthOrder",
    ];

    private static readonly string[] Levels =
    [
        "missing", "exact", "exact-folded", "variant", "fuzzy", "month", "year", "typo", "near", "equal", "different",
        "nickname",
    ];

    /// <summary>Whether a level carries a weight (missing and nickname weigh nothing and are not estimated).</summary>
    public static bool IsScored(MatchLevel level) => level is not (MatchLevel.Missing or MatchLevel.Nickname);

    /// <summary>The levels each field can take (besides missing), strongest agreement first.</summary>
    public static readonly MatchLevel[][] LevelsOf = BuildLevelsOf();

    public static string Name(MatchField field) => Fields[(int)field];

    public static string Name(MatchLevel level) => Levels[(int)level];

    public static MatchField? Field(string name)
    {
        var index = Array.IndexOf(Fields, name);
        return index < 0 ? null : (MatchField)index;
    }

    public static MatchLevel? Level(string name)
    {
        var index = Array.IndexOf(Levels, name);
        return index < 0 ? null : (MatchLevel)index;
    }

    private static MatchLevel[][] BuildLevelsOf()
    {
        MatchLevel[] identifier = [MatchLevel.Equal, MatchLevel.Different];
        MatchLevel[] name = [MatchLevel.Exact, MatchLevel.ExactFolded, MatchLevel.Variant, MatchLevel.Fuzzy, MatchLevel.Different];
        MatchLevel[] date =
            [MatchLevel.Exact, MatchLevel.Month, MatchLevel.Year, MatchLevel.Typo, MatchLevel.Near, MatchLevel.Different];
        var result = new MatchLevel[FieldCount][];
        for (var f = 0; f < FieldCount; f++)
        {
            result[f] = (MatchField)f switch
            {
                MatchField.FamilyName or MatchField.MiddleName or MatchField.GivenName => name,
                MatchField.BirthDate => date,
                _ => identifier,
            };
        }

        return result;
    }
}
