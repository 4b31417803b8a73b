using System.Security.Claims;
using OpenIddict.Abstractions;
using YTeSo.Access.Contracts;

namespace YTeSo.Access.Authorization;

/// <summary>
/// Who reads the audit trail and reviews break-glass openings: staff signed in as auditor or as the Department's
/// administrator (docs/security.md §2, §4). Nobody else, and no system client, sees the trail.
/// </summary>
internal static class PrivacyOfficer
{
    public static bool Is(ClaimsPrincipal user) =>
        user.GetClaim(AccessClaims.Kind) == AccessClaims.Staff &&
        user.GetClaim(AccessClaims.Role) is StaffRoles.Auditor or StaffRoles.DepartmentAdministrator;
}
