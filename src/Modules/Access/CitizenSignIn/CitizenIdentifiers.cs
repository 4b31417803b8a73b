namespace YTeSo.Access.CitizenSignIn;

/// <summary>The two things a citizen types to sign in: the personal id (CCCD) and a mobile number.</summary>
internal static class CitizenIdentifiers
{
    /// <summary>
    /// The Patient identifier system of the số định danh cá nhân, as the demo data and the platform's importers write
    /// it (<c>DemoFhirSystems.Cccd</c>; a test checks that the two agree).
    /// </summary>
    public const string CccdSystem = "https://yteso.vn/fhir/sid/cccd";

    /// <summary>
    /// vn-standards §4.2: twelve digits (province of birth registration, sex and century, year, six random digits).
    /// There is no published check digit, so only the shape is checked; spaces the citizen typed are ignored.
    /// </summary>
    public static string? NormalizeCccd(string? value)
    {
        var digits = Compact(value);
        return digits.Length == 12 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>
    /// A Vietnamese mobile number in E.164 (<c>+84</c> and nine digits) from what people write: <c>0912 345 678</c>,
    /// <c>+84 912 345 678</c>, <c>84912345678</c>, with dots, dashes or brackets. Mobile numbers after the 2018
    /// renumbering start with 3, 5, 7, 8 or 9; landlines (0 + 2xx) cannot receive an SMS and are refused.
    /// </summary>
    public static string? NormalizeMobile(string? value)
    {
        var compact = Compact(value);
        var national = compact switch
        {
            _ when compact.StartsWith("+84", StringComparison.Ordinal) => compact[3..],
            _ when compact.StartsWith("0084", StringComparison.Ordinal) => compact[4..],
            _ when compact.StartsWith("84", StringComparison.Ordinal) && compact.Length == 11 => compact[2..],
            _ when compact.StartsWith('0') => compact[1..],
            _ => compact,
        };
        return national.Length == 9 && national.All(char.IsAsciiDigit) && national[0] is '3' or '5' or '7' or '8' or '9'
            ? "+84" + national
            : null;
    }

    /// <summary>Only the last four digits, for the audit trail of attempts that matched no record.</summary>
    public static string Masked(string value) => value.Length <= 4 ? value : new string('*', value.Length - 4) + value[^4..];

    private static string Compact(string? value) =>
        value is null ? string.Empty : new string([.. value.Where(c => !char.IsWhiteSpace(c) && c is not ('.' or '-' or '(' or ')'))]);
}
