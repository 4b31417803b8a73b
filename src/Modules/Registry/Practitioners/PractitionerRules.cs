using System.Globalization;
using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Practitioners;

/// <summary>
/// What the Registry refuses in a Practitioner: a licence number that is malformed or already held by someone else (the
/// number identifies its holder in every QĐ 4750 claim file, so two holders would mix their records), or a licence
/// qualification with an unknown status or an end before its start.
/// </summary>
internal sealed class PractitionerRules : IResourceWriteRule
{
    public IReadOnlyCollection<string> ResourceTypes { get; } = ["Practitioner"];

    public async Task<IReadOnlyList<string>> CheckAsync(Resource resource, IStoredResources stored, CancellationToken cancellationToken)
    {
        var practitioner = (Practitioner)resource;
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (licence, index) in practitioner.Identifier.Select((i, n) => (i, n)).Where(x => x.i.System == PractitionerProfile.LicenceSystem))
        {
            var path = $"Practitioner.identifier[{index}]";
            var number = licence.Value;
            if (string.IsNullOrWhiteSpace(number))
            {
                problems.Add($"{path}: the practice licence number is empty.");
                continue;
            }

            if (number != number.Trim() || number.Length > PractitionerProfile.MaxLicenceLength || number.Contains(';', StringComparison.Ordinal) || number.Any(char.IsControl))
            {
                problems.Add($"{path}: '{number}' is not a practice licence number (at most {PractitionerProfile.MaxLicenceLength} characters, no ';' since QĐ 4750 MA_BAC_SI separates numbers with it, no leading or trailing spaces).");
                continue;
            }

            if (!seen.Add(number))
            {
                problems.Add($"{path}: licence number '{number}' is listed twice.");
                continue;
            }

            var holders = await stored.SearchAsync("Practitioner", "identifier=" + Uri.EscapeDataString($"{PractitionerProfile.LicenceSystem}|{number}"), 2, cancellationToken);
            if (holders.FirstOrDefault(h => h.Id != practitioner.Id) is { } holder)
            {
                problems.Add($"{path}: licence number '{number}' is already held by Practitioner/{holder.Id}; a licence has one holder.");
            }
        }

        foreach (var (qualification, index) in practitioner.Qualification.Select((q, n) => (q, n)))
        {
            var path = $"Practitioner.qualification[{index}]";
            if (qualification.GetExtension(PractitionerProfile.LicenceStatusExtension) is { } status
                && (status.Value is not Code code || code.Value is null || !PractitionerProfile.LicenceStatuses.Contains(code.Value)))
            {
                problems.Add($"{path}: licence status must be one of {string.Join(", ", PractitionerProfile.LicenceStatuses)}.");
            }

            if (PeriodProblem(qualification.Period) is { } periodProblem)
            {
                problems.Add($"{path}.period: {periodProblem}");
            }
        }

        return problems;
    }

    /// <summary>Null when the period is well formed (start on or before end, or open).</summary>
    internal static string? PeriodProblem(Period? period)
    {
        if (period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero) is { } start && period.EndElement?.ToDateTimeOffset(TimeSpan.Zero) is { } end && end < start)
        {
            return string.Create(CultureInfo.InvariantCulture, $"ends ({period.End}) before it starts ({period.Start}).");
        }

        return null;
    }
}

/// <summary>
/// What the Registry refuses in a PractitionerRole: no practitioner, or a role that overlaps in time another active
/// role of the same practitioner at the same facility with the same role code (the same job recorded twice would count
/// the worker twice in the staffing reports and give two answers to "who worked there that day").
/// </summary>
internal sealed class PractitionerRoleRules : IResourceWriteRule
{
    public IReadOnlyCollection<string> ResourceTypes { get; } = ["PractitionerRole"];

    public async Task<IReadOnlyList<string>> CheckAsync(Resource resource, IStoredResources stored, CancellationToken cancellationToken)
    {
        var role = (PractitionerRole)resource;
        var problems = new List<string>();
        if (string.IsNullOrEmpty(role.Practitioner?.Reference))
        {
            problems.Add("PractitionerRole.practitioner: a role belongs to a practitioner; the reference is missing.");
        }

        if (PractitionerRules.PeriodProblem(role.Period) is { } periodProblem)
        {
            problems.Add($"PractitionerRole.period: {periodProblem}");
        }

        if (problems.Count > 0 || role.Active == false || string.IsNullOrEmpty(role.Organization?.Reference))
        {
            return problems;
        }

        var query = $"practitioner={Uri.EscapeDataString(role.Practitioner!.Reference!)}&organization={Uri.EscapeDataString(role.Organization.Reference!)}";
        foreach (var other in (await stored.SearchAsync("PractitionerRole", query, 200, cancellationToken)).OfType<PractitionerRole>())
        {
            if (other.Id == role.Id || other.Active == false || !SameJob(role, other) || !Overlap(role.Period, other.Period))
            {
                continue;
            }

            problems.Add($"PractitionerRole.period: {role.Practitioner.Reference} already holds this role at {role.Organization.Reference} " +
                $"from {other.Period?.Start ?? "(open)"} to {other.Period?.End ?? "(open)"} (PractitionerRole/{other.Id}); end that role first or choose a period that does not overlap.");
        }

        return problems;
    }

    private static bool SameJob(PractitionerRole a, PractitionerRole b)
    {
        static HashSet<string> Codes(PractitionerRole r) => [.. r.Code.SelectMany(c => c.Coding).Select(c => $"{c.System}|{c.Code}")];
        var (codesA, codesB) = (Codes(a), Codes(b));
        return (codesA.Count == 0 && codesB.Count == 0) || codesA.Overlaps(codesB);
    }

    /// <summary>Two periods overlap unless one ends before the other starts; an open end runs on.</summary>
    internal static bool Overlap(Period? a, Period? b)
    {
        var (startA, endA) = Bounds(a);
        var (startB, endB) = Bounds(b);
        return startA <= endB && startB <= endA;
    }

    private static (DateTimeOffset Start, DateTimeOffset End) Bounds(Period? period) =>
        (period?.StartElement?.ToDateTimeOffset(TimeSpan.Zero) ?? DateTimeOffset.MinValue, LastInstant(period?.EndElement) ?? DateTimeOffset.MaxValue);

    /// <summary>A partial end date means its whole year, month or day (FHIR R4 datatypes.html#dateTime): "2026-06" ends on 30/06.</summary>
    private static DateTimeOffset? LastInstant(FhirDateTime? end)
    {
        if (end?.ToDateTimeOffset(TimeSpan.Zero) is not { } first)
        {
            return null;
        }

        return end.Value!.Length switch
        {
            4 => first.AddYears(1).AddTicks(-1),
            7 => first.AddMonths(1).AddTicks(-1),
            10 => first.AddDays(1).AddTicks(-1),
            _ => first,
        };
    }
}
