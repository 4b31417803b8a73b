using System.Collections.Frozen;

namespace YTeSo.Patients.Domain.Identifiers;

/// <summary>
/// Mã thẻ BHYT, 15 characters XX Y ZZ NNNNNNNNNN (vn-standards §4.3 [S]): beneficiary group, benefit level 1-5, the old
/// province code of the issuing BHXH office, and the 10-digit mã số BHXH.
/// </summary>
/// <remarks>
/// The format is dated: cards of the new design (QĐ 1666/QĐ-BHXH, issued from 1 April 2021 [U]) and VssID/VNeID show only
/// the 10-digit mã số BHXH, while claims (MA_THE_BHYT, QĐ 4750) still carry the 15 characters [P]. <see cref="Check"/>
/// therefore takes the date the number was written and, on or after <see cref="TenDigitCardsFrom"/> (or when the date is
/// not known, meaning today's rules), accepts a 10-digit value as the card's BHXH number (returned with a warning: group, level and province are then unknown).
/// </remarks>
public static class Bhyt
{
    public const int Length = 15;

    /// <summary>From this date a card may show only the 10-digit mã số BHXH (new card design) [U].</summary>
    public static readonly DateOnly TenDigitCardsFrom = new(2021, 4, 1);

    /// <summary>vn-standards §4.3 [S]: the beneficiary groups (mã đối tượng) known from vendor code.</summary>
    public static readonly FrozenSet<string> Groups = FrozenSet.Create(StringComparer.Ordinal,
        "DN", "HX", "CH", "NN", "TK", "HC", "XK", "HT", "TB", "NO", "CT", "XB", "TN", "CS", "QN", "CA", "CY", "XN", "MS",
        "CC", "CK", "CB", "KC", "HD", "TE", "BT", "HN", "DT", "DK", "XD", "TS", "TC", "TQ", "TV", "TA", "TY", "HG", "LS",
        "PV", "CN", "HS", "SV", "GB", "GD");

    /// <summary>Validates a card number, tolerating lower case and spaces; <paramref name="writtenOn"/> selects the rule set.</summary>
    public static IdentifierCheck Check(string? value, DateOnly? writtenOn = null)
    {
        var compact = IdentifierText.Compact(value);
        if (compact.Length == 0)
        {
            return IdentifierCheck.Invalid("The BHYT card number is empty.");
        }

        if (compact.Length == Bhxh.Length && IdentifierText.AllDigits(compact))
        {
            return writtenOn is not { } on || on >= TenDigitCardsFrom
                ? IdentifierCheck.Valid(compact, ["Only the 10-digit mã số BHXH of the card is known (new card design)."])
                : IdentifierCheck.Invalid("A BHYT card number has 15 characters; a 10-digit value is a mã số BHXH.");
        }

        if (compact.Length != Length)
        {
            return IdentifierCheck.Invalid($"A BHYT card number has 15 characters; this one has {compact.Length}.");
        }

        var group = compact[..2];
        if (!Groups.Contains(group))
        {
            return IdentifierCheck.Invalid($"Characters 1-2 of a BHYT card are the beneficiary group; '{group}' is not a known group.");
        }

        // BHXH error 053: "Mã quyền lợi BHYT (ký tự thứ 3)" is 1-5.
        if (compact[2] is < '1' or > '5')
        {
            return IdentifierCheck.Invalid($"Character 3 of a BHYT card is the benefit level 1-5; '{compact[2]}' is not.");
        }

        // BHXH error 052: "Mã tỉnh cấp thẻ BHYT (ký tự thứ 4,5)", the old 63-province codes 01-96.
        if (!IdentifierText.AllDigits(compact.AsSpan(3, 2)) || !OldProvinceCodes.Exists(compact.AsSpan(3, 2)))
        {
            return IdentifierCheck.Invalid(
                $"Characters 4-5 of a BHYT card are the issuing province (old codes 01-96); '{compact.Substring(3, 2)}' is not one.");
        }

        if (!IdentifierText.AllDigits(compact.AsSpan(5)))
        {
            return IdentifierCheck.Invalid("Characters 6-15 of a BHYT card are the 10-digit mã số BHXH; they have other characters.");
        }

        return IdentifierCheck.Valid(compact);
    }

    /// <summary>The 10-digit mã số BHXH inside a valid card value (15 characters, or already 10 digits).</summary>
    public static string SocialInsuranceNumberOf(string card) => card.Length == Length ? card[5..] : card;
}

/// <summary>
/// Mã số BHXH: 10 digits, the lifelong social-insurance number; the mã định danh y tế of QĐ 4376/2019 is built on it
/// (vn-standards §4.1, §4.3 [S]). No check digit or inner structure is published, so only the length is checked.
/// </summary>
public static class Bhxh
{
    public const int Length = 10;

    public static IdentifierCheck Check(string? value)
    {
        var compact = IdentifierText.Compact(value);
        if (compact.Length == 0)
        {
            return IdentifierCheck.Invalid("The mã số BHXH is empty.");
        }

        if (compact.Length == Bhyt.Length && Bhyt.Check(compact).IsValid)
        {
            return IdentifierCheck.Valid(Bhyt.SocialInsuranceNumberOf(compact),
                ["A 15-character BHYT card was given; its last 10 digits are the mã số BHXH."]);
        }

        if (!IdentifierText.AllDigits(compact))
        {
            return IdentifierCheck.Invalid($"A mã số BHXH has only digits; '{compact}' has other characters.");
        }

        return compact.Length == Length
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid($"A mã số BHXH has 10 digits; this one has {compact.Length}.");
    }
}
