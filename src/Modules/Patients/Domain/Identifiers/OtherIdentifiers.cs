namespace YTeSo.Patients.Domain.Identifiers;

/// <summary>
/// A facility's own patient number (MA_BN in the QĐ 130/4750 XML [P]), meaningful only together with the 5-character
/// mã cơ sở KCB that issued it (its FHIR system is <c>…/sid/ma-bn/{facilityCode}</c>).
/// </summary>
public static class FacilityPatientNumber
{
    public const int FacilityCodeLength = 5;

    /// <summary>[U] MA_BN is free text chosen by each HIS; 100 characters is the longest we keep.</summary>
    public const int MaxLength = 100;

    public static IdentifierCheck CheckFacilityCode(string? facilityCode)
    {
        var compact = IdentifierText.Compact(facilityCode);
        return compact.Length == FacilityCodeLength && IdentifierText.AllLettersOrDigits(compact)
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid($"A facility code (mã cơ sở KCB) has 5 letters or digits; '{facilityCode}' has not.");
    }

    public static IdentifierCheck Check(string? facilityCode, string? value)
    {
        var facility = CheckFacilityCode(facilityCode);
        if (!facility.IsValid)
        {
            return facility;
        }

        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return IdentifierCheck.Invalid("The facility patient number (MA_BN) is empty.");
        }

        // Kept as typed apart from the surrounding spaces: a facility may distinguish "BN001" from "bn001".
        return trimmed.Length <= MaxLength
            ? IdentifierCheck.Valid(trimmed)
            : IdentifierCheck.Invalid($"A facility patient number has at most {MaxLength} characters; this one has {trimmed.Length}.");
    }
}

/// <summary>
/// Passport numbers. Vietnamese passports are one letter and 7 digits ("C1234567") [U]; foreign ones vary, so anything
/// of 5 to 20 letters and digits is accepted, upper-cased.
/// </summary>
public static class PassportNumber
{
    public static IdentifierCheck Check(string? value)
    {
        var compact = IdentifierText.Compact(value);
        if (compact.Length == 0)
        {
            return IdentifierCheck.Invalid("The passport number is empty.");
        }

        if (!IdentifierText.AllLettersOrDigits(compact))
        {
            return IdentifierCheck.Invalid($"A passport number has only Latin letters and digits; '{compact}' has others.");
        }

        return compact.Length is >= 5 and <= 20
            ? IdentifierCheck.Valid(compact)
            : IdentifierCheck.Invalid($"A passport number has 5 to 20 characters; this one has {compact.Length}.");
    }

    /// <summary>Whether the number has the Vietnamese shape (one letter and 7 digits) [U].</summary>
    public static bool LooksVietnamese(string passport) =>
        passport.Length == 8 && passport[0] is >= 'A' and <= 'Z' && IdentifierText.AllDigits(passport.AsSpan(1));
}

public enum TemporaryKind
{
    /// <summary>Trẻ sơ sinh: a newborn registered before it has a name or a số định danh.</summary>
    Newborn,

    /// <summary>Cấp cứu: an emergency patient who cannot be identified yet.</summary>
    UnidentifiedEmergency,

    /// <summary>Người nước ngoài: a foreigner without documents the facility can record.</summary>
    Foreigner,
}

/// <summary>
/// Temporary identifiers (system <see cref="IdentifierSystems.Temporary"/>), a YTeSo convention, not a national one:
/// <c>{SS|CC|NN}-{facility code}-{local number}</c>, e.g. <c>SS-01001-2026120201</c>. vn-standards §4.1 [U] asks for
/// temporary ids for newborns, foreigners and unknown emergencies that are merged later; a record carrying one is
/// never linked automatically.
/// </summary>
public static class TemporaryIdentifier
{
    public static string Create(TemporaryKind kind, string facilityCode, string localNumber) =>
        $"{Prefix(kind)}-{facilityCode}-{localNumber}";

    public static IdentifierCheck Check(string? value) =>
        TryParse(value, out _, out _, out _)
            ? IdentifierCheck.Valid(value!.Trim().ToUpperInvariant())
            : IdentifierCheck.Invalid(
                $"A temporary identifier is SS-, CC- or NN- (newborn, emergency, foreigner), a 5-character facility code, '-' and a local number; '{value}' is not.");

    public static bool TryParse(string? value, out TemporaryKind kind, out string facilityCode, out string localNumber)
    {
        kind = default;
        facilityCode = localNumber = "";
        var parts = value?.Trim().ToUpperInvariant().Split('-', 3);
        if (parts is not [var prefix, var facility, var local] || local.Length == 0
            || !IdentifierText.AllLettersOrDigits(local) || !FacilityPatientNumber.CheckFacilityCode(facility).IsValid)
        {
            return false;
        }

        TemporaryKind? parsed = prefix switch
        {
            "SS" => TemporaryKind.Newborn,
            "CC" => TemporaryKind.UnidentifiedEmergency,
            "NN" => TemporaryKind.Foreigner,
            _ => null,
        };
        if (parsed is null)
        {
            return false;
        }

        (kind, facilityCode, localNumber) = (parsed.Value, facility, local);
        return true;
    }

    private static string Prefix(TemporaryKind kind) => kind switch
    {
        TemporaryKind.Newborn => "SS",
        TemporaryKind.UnidentifiedEmergency => "CC",
        _ => "NN",
    };
}

/// <summary>
/// Vietnamese phone numbers in national form: 0 and 9 digits for mobiles (03x, 05x, 07x, 08x, 09x since the 2018
/// renumbering [U]), 0 and 10 digits for landlines (02xx since 2017 [U]). Accepts +84, 84, 0084 and 0 prefixes, spaces,
/// dots, dashes and brackets.
/// </summary>
public static class PhoneNumber
{
    public static string? Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        Span<char> digits = stackalloc char[16];
        var length = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c is >= '0' and <= '9')
            {
                if (length == digits.Length)
                {
                    return null;
                }

                digits[length++] = c;
            }
            else if (c == '+' && length == 0)
            {
                continue;
            }
            else if (!(char.IsWhiteSpace(c) || c is '.' or '-' or '(' or ')'))
            {
                return null;
            }
        }

        ReadOnlySpan<char> national = digits[..length];
        if (national.StartsWith("0084"))
        {
            national = national[4..];
        }
        else if (national.StartsWith("84") && national.Length >= 11)
        {
            national = national[2..];
        }
        else if (national.StartsWith("0"))
        {
            national = national[1..];
        }

        var isMobile = national.Length == 9 && national[0] is '3' or '5' or '7' or '8' or '9';
        var isLandline = national.Length == 10 && national[0] == '2';
        return isMobile || isLandline ? string.Concat("0", national) : null;
    }
}
