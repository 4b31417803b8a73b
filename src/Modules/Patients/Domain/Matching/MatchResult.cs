namespace YTeSo.Patients.Domain.Matching;

public enum MatchGrade
{
    NoMatch,
    Possible,
    Match,
}

/// <summary>
/// The verdict on a pair of records. <see cref="Weight"/> is the sum of the field weights (log2 likelihood ratio; the
/// rows of <see cref="Fields"/> add up to it), <see cref="Probability"/> the posterior with the settings' prior.
/// <see cref="Rule"/> names the deterministic rule that decided or capped the grade ("same-personal-id",
/// "different-personal-id", "temporary-record", "different-given-name", "different-birth-order", "different-sex",
/// "different-birth-date");
/// <see cref="Conflict"/> says in a sentence what a reviewer must look at.
/// </summary>
public sealed record MatchResult(
    MatchGrade Grade,
    double Weight,
    double Probability,
    string? Rule,
    string? Conflict,
    IReadOnlyList<FieldComparison> Fields);

/// <summary>
/// One field of the comparison, for the review screen: field "familyName", "middleName", "givenName", "birthDate",
/// "sex", "phone", "commune", "personalId", "legacyId", "bhxh" (the mã số BHXH alone or inside BHYT cards), "passport",
/// "facilityNumber", "birthOrder"; level "exact", "exact-folded", "variant", "fuzzy", "different", "equal", "month",
/// "year", "typo", "near", "nickname" (one given name is a household nickname; weighs 0) or "missing".
/// </summary>
public sealed record FieldComparison(string Field, string Level, double Weight);
