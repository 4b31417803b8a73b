using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Patients.Domain;

namespace YTeSo.Patients.ReviewMatches;

/// <summary>How the review pages write dates and people: dd/MM/yyyy, Vietnam time, names in Vietnamese order.</summary>
internal static class ReviewFormat
{
    /// <summary>Vietnam keeps UTC+7 all year (no daylight saving).</summary>
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static string Time(DateTimeOffset when) => when.ToOffset(VietnamOffset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);

    /// <summary>A partial birth date as far as it is known: 14/03/1980, 03/1980 or 1980.</summary>
    public static string Date(PartialDate? date) => date switch
    {
        null => "",
        { Month: { } m, Day: { } d } x => $"{d:00}/{m:00}/{x.Year:0000}",
        { Month: { } m } x => $"{m:00}/{x.Year:0000}",
        { } x => x.Year.ToString("0000", CultureInfo.InvariantCulture),
    };

    /// <summary>A FHIR date (yyyy, yyyy-MM or yyyy-MM-dd) in the Vietnamese order.</summary>
    public static string Date(string? fhirDate) => fhirDate?.Split('-') switch
    {
        [var y, var m, var d] => $"{d}/{m}/{y}",
        [var y, var m] => $"{m}/{y}",
        [var y] => y,
        _ => "",
    };

    /// <summary>Family, middle and given names in Vietnamese order ("Nguyễn Văn An").</summary>
    public static string Name(HumanName name) =>
        !string.IsNullOrWhiteSpace(name.Text) ? name.Text : string.Join(' ', new[] { name.Family }.Concat(name.Given).Where(p => !string.IsNullOrWhiteSpace(p)));

    public static string Address(Address address)
    {
        var parts = !string.IsNullOrWhiteSpace(address.Text)
            ? [address.Text]
            : address.Line.Concat([address.District, address.City, address.State]).Where(p => !string.IsNullOrWhiteSpace(p));
        // The commune code (after the 2025 reform, or a legacy one) decides a match more than the words do: shown too.
        var commune = (address.GetExtension(Matching.PersonRecordReader.CommuneCodeExtension)?.Value as PrimitiveType)?.ToString();
        return string.Join(", ", parts) + (commune is null ? "" : $" [{commune}]");
    }
}
