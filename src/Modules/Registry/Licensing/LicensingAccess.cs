using System.Security.Claims;
using OpenIddict.Abstractions;
using YTeSo.Access.Contracts;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Licensing;

/// <summary>Who may work the Department's side of the licensing procedure.</summary>
internal static class LicensingAccess
{
    /// <summary>A client's scope for the same work (a Department's document-management system, say).</summary>
    public const string Scope = "yteso/licensing";

    /// <summary>
    /// The licensing officer (role <c>licensing-officer</c>, province-wide) or a client with <see cref="Scope"/>, and in
    /// either case the right to write Practitioners, since approving writes the licence onto one.
    /// </summary>
    public static bool MayProcess(ClaimsPrincipal user, FhirAccess access) =>
        (user.HasScope(Scope) || StaffRoles.SessionRole(user) == StaffRoles.LicensingOfficer)
        && access.Allows("Practitioner", FhirInteractions.Create | FhirInteractions.Update | FhirInteractions.Read | FhirInteractions.Search);
}
