using System.Globalization;
using System.Text.RegularExpressions;

namespace YTeSo.Fhir.Indexing;

/// <summary>
/// A FHIR date, dateTime or instant as the closed range of UTC ticks it covers.
/// FHIR R4 search.html#date: "2013-01" means the whole of January 2013. A value without a time zone (a birth date, a
/// search for "2025-03-05") is read in the hub's local time, Vietnam's (ICT, UTC+7, no daylight saving): a clinician
/// asking for 5 March means 5 March on Vietnamese clocks, and must find an encounter stamped 06:00+07:00 that day.
/// </summary>
internal readonly record struct FhirDateRange(long Low, long High)
{
    private static readonly Regex Shape = new(
        @"^(?<y>\d{4})(-(?<mo>\d{2})(-(?<d>\d{2})(T(?<h>\d{2})(:(?<mi>\d{2})(:(?<s>\d{2})(\.(?<f>\d{1,9}))?)?)?(?<tz>Z|[+-]\d{2}:\d{2})?)?)?)?$",
        RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture | RegexOptions.Compiled);

    public static bool TryParse(string? text, out FhirDateRange range)
    {
        range = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var match = Shape.Match(text.Trim());
        if (!match.Success)
        {
            return false;
        }

        try
        {
            var year = Int(match, "y");
            if (year < 1)
            {
                return false;
            }

            var month = match.Groups["mo"].Success ? Int(match, "mo") : 1;
            var day = match.Groups["d"].Success ? Int(match, "d") : 1;
            var hour = match.Groups["h"].Success ? Int(match, "h") : 0;
            var minute = match.Groups["mi"].Success ? Int(match, "mi") : 0;
            var second = match.Groups["s"].Success ? Int(match, "s") : 0;
            if (hour == 24 && minute == 0 && second == 0)
            {
                return false;
            }

            var start = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified);
            var fraction = match.Groups["f"];
            if (fraction.Success)
            {
                var digits = fraction.Value.Length > 7 ? fraction.Value[..7] : fraction.Value.PadRight(7, '0');
                start = start.AddTicks(long.Parse(digits, CultureInfo.InvariantCulture));
            }

            DateTime end;
            if (fraction.Success)
            {
                end = start.AddTicks((long)Math.Pow(10, 7 - Math.Min(7, fraction.Value.Length)));
            }
            else if (match.Groups["s"].Success)
            {
                end = start.AddSeconds(1);
            }
            else if (match.Groups["mi"].Success)
            {
                end = start.AddMinutes(1);
            }
            else if (match.Groups["h"].Success)
            {
                end = start.AddHours(1);
            }
            else if (match.Groups["d"].Success)
            {
                end = start.AddDays(1);
            }
            else if (match.Groups["mo"].Success)
            {
                end = start.AddMonths(1);
            }
            else
            {
                end = year == 9999 ? DateTime.MaxValue : start.AddYears(1);
            }

            var offset = VietnamOffset;
            var tz = match.Groups["tz"];
            if (tz.Success && tz.Value == "Z")
            {
                offset = TimeSpan.Zero;
            }
            else if (tz.Success)
            {
                var sign = tz.Value[0] == '-' ? -1 : 1;
                offset = new TimeSpan(int.Parse(tz.Value.AsSpan(1, 2), CultureInfo.InvariantCulture), int.Parse(tz.Value.AsSpan(4, 2), CultureInfo.InvariantCulture), 0) * sign;
            }

            var low = start.Ticks - offset.Ticks;
            var high = (end == DateTime.MaxValue ? end.Ticks : end.Ticks - 1) - offset.Ticks;
            range = new FhirDateRange(Math.Max(0, low), Math.Min(DateTime.MaxValue.Ticks, high));
            return true;
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;
        }
    }

    /// <summary>Vietnam Standard Time (ICT): UTC+7 all year.</summary>
    public static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    public static FhirDateRange Instant(DateTimeOffset instant) => new(instant.UtcTicks, instant.UtcTicks);

    private static int Int(Match match, string group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
}
