using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Localization;
using YTeSo.Web.Resources;

namespace YTeSo.Web.Components.ResourceBrowser;

/// <summary>
/// One readable line per resource for lists: who, what and when, as a Department officer would say it. Dates follow the
/// UI culture (dd/MM/yyyy in Vietnamese). Types without a rule fall back to their narrative text.
/// </summary>
internal static class ResourceSummary
{
    public static string Describe(Resource resource, IStringLocalizer<UiText> text) => resource switch
    {
        Patient p => Join(
            Name(p.Name),
            p.Gender switch
            {
                AdministrativeGender.Male => text["Summary.Male"].Value,
                AdministrativeGender.Female => text["Summary.Female"].Value,
                null => null,
                _ => text["Summary.OtherGender"].Value,
            },
            p.BirthDate is { Length: > 0 } born ? string.Format(CultureInfo.CurrentCulture, text["Summary.Born"], Date(born)) : null,
            p.Address.FirstOrDefault()?.Text),
        Encounter e => Join(Concept(e.Type.FirstOrDefault()) ?? e.Class?.Display ?? e.Class?.Code, Date(e.Period?.Start), e.ServiceProvider?.Display, e.Subject?.Display),
        Observation o => Join(Concept(o.Code), Value(o.Value), Date((o.Effective as FhirDateTime)?.Value ?? (o.Effective as Period)?.Start), o.Subject?.Display),
        Condition c => Join(Concept(c.Code), Date((c.Onset as FhirDateTime)?.Value ?? c.RecordedDate), c.Subject?.Display),
        Immunization i => Join(Concept(i.VaccineCode), Date((i.Occurrence as FhirDateTime)?.Value), i.Patient?.Display),
        MedicationRequest m => Join(Concept(m.Medication as CodeableConcept) ?? (m.Medication as ResourceReference)?.Display, Date(m.AuthoredOn), m.Subject?.Display),
        Procedure p => Join(Concept(p.Code), Date((p.Performed as FhirDateTime)?.Value ?? (p.Performed as Period)?.Start), p.Subject?.Display),
        DiagnosticReport d => Join(Concept(d.Code), Date((d.Effective as FhirDateTime)?.Value), d.Subject?.Display),
        AllergyIntolerance a => Join(Concept(a.Code), a.Patient?.Display),
        Organization o => Join(o.Name, o.Identifier.FirstOrDefault()?.Value, o.Address.FirstOrDefault()?.Text),
        Practitioner p => Join(Name(p.Name), p.Qualification.FirstOrDefault()?.Code is { } q ? Concept(q) : null),
        PractitionerRole r => Join(r.Practitioner?.Display, Concept(r.Code.FirstOrDefault()), r.Organization?.Display),
        Location l => Join(l.Name, l.Address?.Text),
        Coverage c => Join(c.SubscriberId ?? c.Identifier.FirstOrDefault()?.Value, Date(c.Period?.Start), Date(c.Period?.End)),
        Appointment a => Join(a.Description, a.Start is { } start ? Date(start) : null),
        DomainResource { Text.Div: { Length: > 0 } div } => Truncate(StripTags(div)),
        _ => string.Empty,
    };

    /// <summary>A FHIR date, dateTime or instant ("1990", "1990-05", "1990-05-17T08:00:00+07:00") in the UI culture.</summary>
    public static string? Date(string? fhirDate)
    {
        if (string.IsNullOrEmpty(fhirDate))
        {
            return null;
        }

        // Partial dates keep their precision: a year-only birth date (common for older citizens) stays "1948".
        return fhirDate.Length switch
        {
            4 => fhirDate,
            7 => $"{fhirDate[5..7]}/{fhirDate[..4]}",
            _ => DateTimeOffset.TryParse(fhirDate, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
                ? (fhirDate.Length == 10 ? when.ToString("d", CultureInfo.CurrentCulture) : InVietnam(when).ToString("g", CultureInfo.CurrentCulture))
                : fhirDate,
        };
    }

    public static string Date(DateTimeOffset when) => InVietnam(when).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>Times are shown as Vietnam's clocks read them (ICT, UTC+7, no daylight saving), whatever the server's zone.</summary>
    private static DateTimeOffset InVietnam(DateTimeOffset when) => when.ToOffset(TimeSpan.FromHours(7));

    private static string? Name(IEnumerable<HumanName> names)
    {
        var name = names.FirstOrDefault(n => n.Use == HumanName.NameUse.Official) ?? names.FirstOrDefault();
        if (name is null)
        {
            return null;
        }

        // Vietnamese order: family name first ("Nguyễn Văn An").
        return name.Text ?? string.Join(' ', new[] { name.Family }.Concat(name.Given).Where(s => !string.IsNullOrWhiteSpace(s)));
    }

    private static string? Concept(CodeableConcept? concept) =>
        concept is null ? null : concept.Text ?? concept.Coding.FirstOrDefault(c => c.Display is not null)?.Display ?? concept.Coding.FirstOrDefault()?.Code;

    private static string? Value(DataType? value) => value switch
    {
        Quantity q when q.Value is not null => $"{q.Value.Value.ToString(CultureInfo.CurrentCulture)} {q.Unit ?? q.Code}".Trim(),
        CodeableConcept c => Concept(c),
        FhirString s => s.Value,
        FhirBoolean b => b.Value?.ToString(),
        Integer i => i.Value?.ToString(CultureInfo.CurrentCulture),
        _ => null,
    };

    private static string Join(params string?[] parts) => string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));

    private static string StripTags(string html) =>
        System.Text.RegularExpressions.Regex.Replace(System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", " ")), @"\s+", " ").Trim();

    private static string Truncate(string text) => text.Length <= 160 ? text : text[..160] + "…";
}
