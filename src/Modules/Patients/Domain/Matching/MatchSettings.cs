namespace YTeSo.Patients.Domain.Matching;

/// <summary>m and u of one comparison level: the chance of that level among true matches and among non-matches.</summary>
public sealed record MatchProbabilities(double M, double U);

/// <summary>
/// The engine's configuration, stored as JSON (System.Text.Json, camelCase or not): per field ("givenName",
/// "birthDate" …) and level ("exact", "typo" …) the m and u probabilities, the prior chance that a compared pair is one
/// person, and the posterior thresholds of the Match and Possible grades. Levels left out weigh 0.
/// </summary>
public sealed record MatchSettings
{
    /// <summary>Posterior probability from which a pair links automatically.</summary>
    public double MatchThreshold { get; init; } = 0.9995;

    /// <summary>Posterior probability from which a pair goes to the review queue.</summary>
    public double PossibleThreshold { get; init; } = 0.01;

    /// <summary>
    /// The prior chance that two records compared are one person. With u measured on random pairs (the defaults) this
    /// is the random-pair prior, about the number of duplicates over the number of pairs; after <see cref="EmEstimator"/>
    /// it is the prior among candidate pairs, consistent with the u it estimated there.
    /// </summary>
    public double Prior { get; init; } = 1e-6;

    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, MatchProbabilities>> Fields { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, MatchProbabilities>>();

    /// <summary>
    /// Hand-set values for a province of about two million people. u is the chance for two random people (for names
    /// the average; the engine scales it by each name's share), m the chance for two records of one person as HIS data
    /// entry produces them (typos, missing marks, year-only dates, changed phones, moves).
    /// </summary>
    public static MatchSettings Default { get; } = new()
    {
        Fields = new Dictionary<string, IReadOnlyDictionary<string, MatchProbabilities>>
        {
            ["personalId"] = Levels(("equal", .97, 1e-8), ("different", .03, 1)),
            ["legacyId"] = Levels(("equal", .95, 1e-7), ("different", .05, 1)),
            ["bhxh"] = Levels(("equal", .96, 1e-7), ("different", .04, 1)),
            ["passport"] = Levels(("equal", .95, 1e-7), ("different", .05, 1)),
            // Same facility, same MA_BN: one chart. Same facility, another MA_BN: as common for the in-house duplicate
            // we look for as for neighbours who use the same clinic, so it weighs nothing.
            ["facilityNumber"] = Levels(("equal", .3, 1e-6), ("different", .3, .3)),
            ["familyName"] = Levels(("exact", .88, .18), ("exact-folded", .07, .02), ("variant", .025, .003),
                ("fuzzy", .015, .01), ("different", .01, .79)),
            ["middleName"] = Levels(("exact", .75, .15), ("exact-folded", .06, .02), ("variant", .1, .02),
                ("fuzzy", .03, .02), ("different", .06, .79)),
            ["givenName"] = Levels(("exact", .9, .012), ("exact-folded", .06, .0015), ("variant", .015, .001),
                ("fuzzy", .02, .01), ("different", .005, .975)),
            ["birthDate"] = Levels(("exact", .85, 4e-5), ("month", .02, 1e-3), ("year", .07, .013),
                ("typo", .04, 3e-4), ("near", .01, .03), ("different", .01, .956)),
            ["sex"] = Levels(("equal", .985, .5), ("different", .015, .5)),
            // A phone is shared by a household, so agreement is strong but not identifying; numbers change often.
            ["phone"] = Levels(("equal", .6, 1e-4), ("different", .4, 1)),
            ["commune"] = Levels(("equal", .75, .01), ("different", .25, .99)),
            ["birthOrder"] = Levels(("equal", .98, .5), ("different", .005, .5)),
        },
    };

    private static Dictionary<string, MatchProbabilities> Levels(params (string Level, double M, double U)[] rows)
    {
        var levels = new Dictionary<string, MatchProbabilities>(StringComparer.Ordinal);
        foreach (var (level, m, u) in rows)
        {
            levels[level] = new MatchProbabilities(m, u);
        }

        return levels;
    }
}
