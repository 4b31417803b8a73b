using Hl7.Fhir.Model;

namespace YTeSo.Registry.Practitioners;

/// <summary>
/// How the Registry records a health worker and their practice licence in FHIR (docs/registry.md "Practitioners").
/// The licence (giấy phép hành nghề under Luật KCB 15/2023/QH15; chứng chỉ hành nghề before it) is both an
/// <c>identifier</c> (so <c>Practitioner?identifier=…|number</c> finds its holder, and QĐ 4750 files name the
/// practitioner by it in MA_BAC_SI) and a <c>qualification</c> carrying its scope, issue date, issuer and status.
/// </summary>
public static class PractitionerProfile
{
    /// <summary>The licence number; QĐ 4750 XML2/XML3 MA_BAC_SI and NGUOI_THUC_HIEN carry it since 4750.</summary>
    public const string LicenceSystem = "https://yteso.vn/fhir/sid/chung-chi-hanh-nghe";

    /// <summary>active, suspended (đình chỉ) or revoked (thu hồi), on the licence's qualification.</summary>
    public const string LicenceStatusExtension = "https://yteso.vn/fhir/StructureDefinition/licence-status";

    /// <summary>The scope of practice (phạm vi hoạt động chuyên môn) as written on the licence.</summary>
    public const string ScopeSystem = "https://yteso.vn/fhir/CodeSystem/pham-vi-hanh-nghe";

    /// <summary>MA_BAC_SI holds several numbers separated by ';' (QĐ 4750 XML2 field 32), so one number cannot contain one.</summary>
    public const int MaxLicenceLength = 50;

    public static readonly IReadOnlySet<string> LicenceStatuses = new HashSet<string>(["active", "suspended", "revoked"], StringComparer.Ordinal);

    /// <summary>The licence numbers a Practitioner carries as identifiers.</summary>
    public static IEnumerable<Identifier> Licences(Practitioner practitioner) =>
        practitioner.Identifier.Where(i => i.System == LicenceSystem);

    /// <summary>The licence's qualification: the one whose identifier is that number.</summary>
    public static Practitioner.QualificationComponent? Qualification(Practitioner practitioner, string number) =>
        practitioner.Qualification.FirstOrDefault(q => q.Identifier.Any(i => i.System == LicenceSystem && i.Value == number));

    public static string? Status(Practitioner.QualificationComponent qualification) =>
        (qualification.GetExtension(LicenceStatusExtension)?.Value as Code)?.Value;

    public static string? Name(Practitioner practitioner) =>
        practitioner.Name.FirstOrDefault() is { } name
            ? string.Join(' ', new[] { name.Family }.Concat(name.Given).Where(p => !string.IsNullOrWhiteSpace(p)))
            : null;
}
