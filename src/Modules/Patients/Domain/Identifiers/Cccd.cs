using System.Globalization;

namespace YTeSo.Patients.Domain.Identifiers;

/// <summary>
/// Số định danh cá nhân / CCCD: 12 digits, PPP G YY NNNNNN (vn-standards §4.2 [U], TT 07/2016/TT-BCA, TT 59/2021/TT-BCA
/// Đ7). There is no published check digit, so a typo that keeps the structure cannot be caught here.
/// </summary>
public static class Cccd
{
    public const int Length = 12;

    /// <summary>Validates the structure and, when given, the consistency with the recorded sex and birth year.</summary>
    public static IdentifierCheck Check(string? value, PersonSex recordedSex = PersonSex.Unknown, int? recordedBirthYear = null,
        int? currentYear = null)
    {
        var compact = IdentifierText.Compact(value);
        if (compact.Length == 0)
        {
            return IdentifierCheck.Invalid("The CCCD is empty.");
        }

        if (!IdentifierText.AllDigits(compact))
        {
            return IdentifierCheck.Invalid($"A CCCD has only digits; '{compact}' has other characters.");
        }

        if (compact.Length != Length)
        {
            return IdentifierCheck.Invalid(compact.Length == CmndLength
                ? "A CCCD has 12 digits; this one has 9, which is an old CMND (use the CMND system)."
                : $"A CCCD has 12 digits; this one has {compact.Length}.");
        }

        // vn-standards §4.2: digits 1-3 are the birth-registration province, "0" + the old (63-province) GSO code.
        if (compact[0] != '0' || !OldProvinceCodes.Exists(compact.AsSpan(1, 2)))
        {
            return IdentifierCheck.Invalid(
                $"The first three digits of a CCCD are the province where the birth was registered (old 63-province codes 001-096); '{compact[..3]}' is not one.");
        }

        var (sex, birthYear) = Decode(compact);
        if (currentYear is { } now && birthYear > now)
        {
            return IdentifierCheck.Invalid(
                $"Digits 4-6 of this CCCD give the birth year {birthYear}, which is in the future.");
        }

        var warnings = new List<string>(2);
        if (recordedSex is PersonSex.Male or PersonSex.Female && recordedSex != sex)
        {
            warnings.Add(
                $"The 4th digit of the CCCD ({compact[3]}) says {Describe(sex)}, but the record says {Describe(recordedSex)}.");
        }

        if (recordedBirthYear is { } year && year != birthYear)
        {
            warnings.Add(
                $"Digits 4-6 of the CCCD give the birth year {birthYear.ToString(CultureInfo.InvariantCulture)}, but the record says {year.ToString(CultureInfo.InvariantCulture)}.");
        }

        return IdentifierCheck.Valid(compact, warnings);
    }

    /// <summary>The sex and birth year written in digits 4-6 of a structurally valid CCCD.</summary>
    public static (PersonSex Sex, int BirthYear) Decode(string cccd)
    {
        // vn-standards §4.2: 4th digit = sex and century; even = male, odd = female; 0/1 = 1900s, 2/3 = 2000s … 8/9 = 2300s.
        var genderCentury = cccd[3] - '0';
        var century = 1900 + (genderCentury / 2 * 100);
        var year = century + ((cccd[4] - '0') * 10) + (cccd[5] - '0');
        return (genderCentury % 2 == 0 ? PersonSex.Male : PersonSex.Female, year);
    }

    /// <summary>The 3-digit birth-registration province code and its (old) province name.</summary>
    public static (string Code, string Name) Province(string cccd) =>
        (cccd[..3], OldProvinceCodes.Names.GetValueOrDefault(cccd.Substring(1, 2), "?"));

    private const int CmndLength = 9;

    private static string Describe(PersonSex sex) => sex == PersonSex.Male ? "male" : "female";
}

/// <summary>
/// The old chứng minh nhân dân: 9 digits, issued until 2016 and valid at the latest until 31/12/2024 (Luật Căn cước 2023)
/// [U]. Kept as a legacy identifier because old records carry it; SO_CCCD in the 4750 XML may hold one [P].
/// </summary>
public static class Cmnd
{
    public const int Length = 9;

    public static IdentifierCheck Check(string? value)
    {
        var compact = IdentifierText.Compact(value);
        if (compact.Length == 0)
        {
            return IdentifierCheck.Invalid("The CMND is empty.");
        }

        if (!IdentifierText.AllDigits(compact))
        {
            return IdentifierCheck.Invalid($"A CMND has only digits; '{compact}' has other characters.");
        }

        return compact.Length switch
        {
            Length => IdentifierCheck.Valid(compact),
            Cccd.Length => IdentifierCheck.Invalid("A 12-digit number is a CCCD (số định danh cá nhân), not a 9-digit CMND."),
            _ => IdentifierCheck.Invalid($"A CMND has 9 digits; this one has {compact.Length}."),
        };
    }
}
