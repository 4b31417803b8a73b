using System.Security.Claims;
using YTeSo.Access.Contracts;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Facilities;

/// <summary>
/// Who may use the facility pages and API (docs/registry.md, "Access"). Reading: a staff session whose role may read
/// Organization and Location (not the statistics officer, who sees counts only, nor the auditor), or a province-wide
/// client. Registering and correcting: the Department administrator's session, or a province-wide client allowed to
/// create and update both types. The FHIR API stays open to whoever its scopes allow (facility administrators), with
/// the same write rule. The request's <see cref="FhirAccess"/> decides in every case: the resolver re-checks roles.
/// </summary>
internal static class FacilityAccess
{
    public static bool MayRead(ClaimsPrincipal user, FhirAccess access) =>
        (StaffRoles.SessionRole(user) is not null || access.Patients is null)
        && !access.AggregatesOnly
        && access.Allows("Organization", FhirInteractions.Read | FhirInteractions.Search)
        && access.Allows("Location", FhirInteractions.Read | FhirInteractions.Search);

    public static bool MayWrite(ClaimsPrincipal user, FhirAccess access) =>
        StaffRoles.SessionRole(user) is var role
        && (role == StaffRoles.DepartmentAdministrator || (role is null && access.Patients is null))
        && access.Allows("Organization", FhirInteractions.Create | FhirInteractions.Update | FhirInteractions.Read)
        && access.Allows("Location", FhirInteractions.Create | FhirInteractions.Update | FhirInteractions.Read);
}
