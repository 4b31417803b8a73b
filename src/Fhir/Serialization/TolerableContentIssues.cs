using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Utility;

namespace YTeSo.Fhir.Serialization;

/// <summary>
/// Which of the parser's findings the store lets through (ADR 0004). Everything that makes the data unreadable or
/// ambiguous is refused: bad JSON/XML, unknown elements, wrong datatypes, impossible dates, codes outside a required
/// value set. Content rules that the R4 specification's own examples break, and that HIS systems in the field break
/// too, are tolerated so no data is lost: a missing mandatory element, an empty narrative, unusual characters in a
/// uri/code/id literal, and decimals beyond .NET's range. The resource is stored as it was sent.
/// </summary>
internal static partial class TolerableContentIssues
{
    // Firely 6 "PVAL" codes (Hl7.Fhir.Validation.CodedValidationException).
    private const string MandatoryElementMissing = "PVAL105";
    private const string NarrativeNotWellFormed = "PVAL115";
    private const string LiteralIsWrongType = "PVAL123";
    private const string LiteralDoesNotMatchFormat = "PVAL124";

    /// <summary>
    /// Identifier-like literals whose odd characters do not change what they mean to the store. Dates, numbers and
    /// strings are not here: their format is what search, sort and the 1 MB string limit rely on.
    /// </summary>
    private static readonly HashSet<string> LenientLiteralTypes = ["uri", "url", "canonical", "code", "id", "oid", "uuid"];

    // Parsing is synchronous on one thread (Utf8JsonReader is a ref struct), so a thread-static flag tells the caller
    // whether the resource it just parsed holds an out-of-range decimal that needs keeping as exact text.
    [ThreadStatic]
    private static bool t_sawDecimalBeyondRange;

    /// <summary>True when the parser may carry on past <paramref name="issue"/> (Firely's exception filter).</summary>
    public static bool IsTolerable(CodedException issue)
    {
        switch (issue.ErrorCode)
        {
            case MandatoryElementMissing or NarrativeNotWellFormed:
                return true;
            case LiteralDoesNotMatchFormat:
                return Literal(issue.Message) is { } literal && LenientLiteralTypes.Contains(literal.Type);
            case LiteralIsWrongType when Literal(issue.Message) is { Type: "decimal" } number && IsNumberBeyondDecimalRange(number.Value):
                t_sawDecimalBeyondRange = true;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the parse just finished tolerated a decimal beyond range; resets the flag.</summary>
    public static bool TakeDecimalBeyondRangeFlag()
    {
        var saw = t_sawDecimalBeyondRange;
        t_sawDecimalBeyondRange = false;
        return saw;
    }

    // FHIR decimals are JSON numbers of any size; System.Decimal stops near 7.9e28 (Observation-decimal example).
    private static bool IsNumberBeyondDecimalRange(string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
        && !decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static (string Value, string Type)? Literal(string message) =>
        LiteralMessage().Match(message) is { Success: true } m ? (m.Groups["value"].Value, m.Groups["type"].Value) : null;

    // "string '2020-13-45' is not a correct literal for a date." / "... is not the right type of literal for a decimal."
    [GeneratedRegex("^string '(?<value>.*)' is not (?:a correct|the right type of) literal for an? (?<type>[A-Za-z]+)", RegexOptions.Singleline)]
    private static partial Regex LiteralMessage();
}
