namespace YTeSo.Patients.Domain.Identifiers;

/// <summary>
/// What a validator found: the value in its normal form (upper case, no spaces) when it is acceptable, and every
/// problem in a sentence. A value can be acceptable and still carry warnings (a CCCD whose sex digit disagrees with the
/// recorded sex is a real number on a wrongly typed record, or the reverse: the matcher must see both).
/// </summary>
public sealed record IdentifierCheck(string? Value, IReadOnlyList<string> Problems, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Value is not null && Problems.Count == 0;

    internal static IdentifierCheck Valid(string value) => new(value, [], []);

    internal static IdentifierCheck Valid(string value, IReadOnlyList<string> warnings) => new(value, [], warnings);

    internal static IdentifierCheck Invalid(string problem) => new(null, [problem], []);
}

internal static class IdentifierText
{
    /// <summary>Upper case with spaces, dots, dashes and underscores removed: how people and HIS exports type numbers.</summary>
    public static string Compact(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return string.Empty;
        }

        Span<char> buffer = value.Length <= 64 ? stackalloc char[value.Length] : new char[value.Length];
        var length = 0;
        foreach (var c in value)
        {
            if (char.IsWhiteSpace(c) || c is '.' or '-' or '_')
            {
                continue;
            }

            buffer[length++] = char.ToUpperInvariant(c);
        }

        return new string(buffer[..length]);
    }

    public static bool AllDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }
        }

        return value.Length > 0;
    }

    public static bool AllLettersOrDigits(ReadOnlySpan<char> value)
    {
        foreach (var c in value)
        {
            if (c is not ((>= '0' and <= '9') or (>= 'A' and <= 'Z')))
            {
                return false;
            }
        }

        return value.Length > 0;
    }
}
