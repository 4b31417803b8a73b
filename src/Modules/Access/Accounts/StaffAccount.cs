using Microsoft.AspNetCore.Identity;

namespace YTeSo.Access.Accounts;

/// <summary>A staff member's sign-in account (ASP.NET Core Identity: password hash, lockout, authenticator key).</summary>
internal sealed class StaffAccount : IdentityUser
{
    /// <summary>Full name as shown in the UI and the audit trail.</summary>
    public string DisplayName { get; set; } = string.Empty;

    /// <summary>The roles this account holds, each at one facility.</summary>
    public List<StaffAssignment> Assignments { get; set; } = [];
}

/// <summary>One role held at one facility (FHIR Organization id). Rights apply at that facility only.</summary>
internal sealed class StaffAssignment
{
    public long Id { get; set; }

    public string AccountId { get; set; } = string.Empty;

    /// <summary>The FHIR Organization id of the facility (or of the Department of Health for province-wide roles).</summary>
    public string FacilityId { get; set; } = string.Empty;

    /// <summary>One of <see cref="Contracts.StaffRoles"/>.</summary>
    public string Role { get; set; } = string.Empty;
}
