namespace YTeSo.Access.Contracts;

/// <summary>
/// The staff roles of the platform. A role is always held at a facility (a FHIR Organization id); the Department's
/// roles are held at the Department of Health's own Organization and reach the whole province. See docs/security.md.
/// </summary>
public static class StaffRoles
{
    /// <summary>Quản trị Sở Y tế: accounts and clients province-wide, reads every record (no sensitive labels).</summary>
    public const string DepartmentAdministrator = "department-admin";

    /// <summary>Quản trị cơ sở: accounts of their facility; reads their facility's patients.</summary>
    public const string FacilityAdministrator = "facility-admin";

    /// <summary>Bác sĩ: full clinical access to their facility's patients, sensitive labels included (treatment).</summary>
    public const string Doctor = "doctor";

    /// <summary>Điều dưỡng / hộ sinh: clinical reading and writing for their facility's patients, no sensitive labels.</summary>
    public const string Nurse = "nurse";

    /// <summary>Dược sĩ: medications, dispensing, allergies and diagnoses of their facility's patients.</summary>
    public const string Pharmacist = "pharmacist";

    /// <summary>Nhân viên tiêm chủng: immunizations, allergies and screening of their facility's patients.</summary>
    public const string Vaccinator = "vaccinator";

    /// <summary>Cán bộ thống kê: counts only (aggregates), province-wide when held at the Department.</summary>
    public const string StatisticsOfficer = "statistics-officer";

    /// <summary>Kiểm toán / bảo mật: reads the audit trail and the break-glass register; no clinical data.</summary>
    public const string Auditor = "auditor";

    /// <summary>
    /// Cán bộ quản lý định danh (MPI steward): works the master patient index's review queue, links, separates and
    /// merges patient records across the province; reads demographics, changes no clinical content.
    /// </summary>
    public const string MpiSteward = "mpi-steward";

    /// <summary>
    /// Chuyên viên cấp phép (the Department's licensing officer): reviews applications for practice and facility operating
    /// licences, issues them, and keeps the registries of facilities and practitioners; reads no clinical data.
    /// </summary>
    public const string LicensingOfficer = "licensing-officer";

    /// <summary>Every role, in the order the UI lists them.</summary>
    public static readonly IReadOnlyList<string> All =
        [DepartmentAdministrator, FacilityAdministrator, Doctor, Nurse, Pharmacist, Vaccinator, StatisticsOfficer, Auditor, MpiSteward, LicensingOfficer];

    /// <summary>
    /// The role a staff session acts in, or null for a client, a citizen or an anonymous caller. The role is only what
    /// the session chose at sign-in: the access resolver checks on every request that the account still holds it, so
    /// pair this with the request's <c>FhirAccess</c>, never use it alone.
    /// </summary>
    public static string? SessionRole(System.Security.Claims.ClaimsPrincipal user) =>
        user.FindFirst(Authorization.AccessClaims.Kind)?.Value == Authorization.AccessClaims.Staff ? user.FindFirst(Authorization.AccessClaims.Role)?.Value : null;
}
