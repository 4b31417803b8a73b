using YTeSo.Access.Contracts;

namespace YTeSo.Access.Authorization;

/// <summary>
/// What each staff role may do in the clinical record, written as SMART <c>user/</c> scopes so the web UI, SMART apps
/// acting for the user and the FHIR API share one table. A token for an app gets at most these (the intersection
/// with what the app asked for). docs/security.md lists them for review.
/// </summary>
internal static class RolePermissions
{
    private static readonly Dictionary<string, string[]> ScopesByRole = new(StringComparer.Ordinal)
    {
        // The Department keeps the province's facility registry (issue 5, docs/registry.md): Organization and Location.
        [StaffRoles.DepartmentAdministrator] = ["user/*.rs", "user/Organization.cru", "user/Location.cru"],
        [StaffRoles.FacilityAdministrator] = ["user/*.rs", "user/Organization.cruds", "user/Location.cruds", "user/Practitioner.cruds", "user/PractitionerRole.cruds", "user/HealthcareService.cruds"],
        [StaffRoles.Doctor] = ["user/*.cruds"],
        [StaffRoles.Nurse] = ["user/*.crus"],
        [StaffRoles.Pharmacist] = [
            "user/Patient.rs", "user/Encounter.rs", "user/Condition.rs", "user/AllergyIntolerance.rs", "user/Observation.rs",
            "user/Medication.cruds", "user/MedicationRequest.rs", "user/MedicationDispense.crus", "user/MedicationStatement.rs",
            "user/Organization.rs", "user/Practitioner.rs", "user/PractitionerRole.rs", "user/Location.rs",
        ],
        [StaffRoles.Vaccinator] = [
            "user/Patient.crus", "user/Immunization.crus", "user/ImmunizationRecommendation.rs", "user/AllergyIntolerance.crs",
            "user/Observation.crs", "user/Condition.rs", "user/Encounter.crs", "user/AdverseEvent.crs", "user/Medication.rs",
            "user/Organization.rs", "user/Practitioner.rs", "user/PractitionerRole.rs", "user/Location.rs",
        ],
        // Counts only: the repository refuses content when AggregatesOnly is set.
        [StaffRoles.StatisticsOfficer] = ["user/*.s"],
        [StaffRoles.Auditor] = [],
        // A merge re-points every reference of the merged record, so update on every type; no create, no delete.
        [StaffRoles.MpiSteward] = ["user/*.rus"],
        // The registries only: who may practise and which facilities may operate (Luật KCB 2023), no patient data.
        [StaffRoles.LicensingOfficer] = ["user/Organization.cruds", "user/Location.cruds", "user/Practitioner.cruds", "user/PractitionerRole.cruds", "user/HealthcareService.cruds"],
    };

    /// <summary>Roles whose clinical purpose lets them see sensitive labels (HIV, mental health...): treating doctors.</summary>
    private static readonly HashSet<string> TreatingRoles = [StaffRoles.Doctor];

    /// <summary>Roles that act across the province when held at the Department's organization.</summary>
    private static readonly HashSet<string> ProvinceWideRoles = [StaffRoles.DepartmentAdministrator, StaffRoles.StatisticsOfficer, StaffRoles.Auditor, StaffRoles.MpiSteward, StaffRoles.LicensingOfficer];

    /// <summary>Roles that may open a record by break-glass: those who treat emergencies.</summary>
    private static readonly HashSet<string> EmergencyRoles = [StaffRoles.Doctor, StaffRoles.Nurse];

    // Parsed once: the resolver asks on every request.
    private static readonly Dictionary<string, IReadOnlyList<SmartScope>> ParsedScopes =
        ScopesByRole.ToDictionary(r => r.Key, r => (IReadOnlyList<SmartScope>)[.. r.Value.Select(s => SmartScope.TryParse(s)!)], StringComparer.Ordinal);

    public static IReadOnlyList<SmartScope> Scopes(string role) => ParsedScopes.GetValueOrDefault(role, []);

    public static bool SeesSensitive(string role) => TreatingRoles.Contains(role);

    public static bool IsProvinceWide(string role) => ProvinceWideRoles.Contains(role);

    public static bool AggregatesOnly(string role) => role == StaffRoles.StatisticsOfficer;

    public static bool MayBreakGlass(string role) => EmergencyRoles.Contains(role);

    /// <summary>The v3 PurposeOfUse recorded in the audit trail for this role's ordinary work.</summary>
    public static string PurposeOfUse(string role) => role switch
    {
        StaffRoles.Doctor or StaffRoles.Nurse or StaffRoles.Pharmacist or StaffRoles.Vaccinator => "TREAT",
        StaffRoles.StatisticsOfficer => "PUBHLTH",
        StaffRoles.Auditor => "HSYSADMIN",
        StaffRoles.MpiSteward => "HOPERAT",   // v3 PurposeOfUse: healthcare operations (record management)
        _ => "HOPERAT",
    };
}
