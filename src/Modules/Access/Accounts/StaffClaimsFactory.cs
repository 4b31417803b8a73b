using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using YTeSo.Access.Authorization;
using YTeSo.Access.Contracts;
using YTeSo.Access.Persistence;

namespace YTeSo.Access.Accounts;

/// <summary>
/// The claims of a staff session: who, and the one facility and role the session acts with (the first assignment,
/// province-wide roles first). Rights are re-checked against the database on every request by the access resolver.
/// </summary>
internal sealed class StaffClaimsFactory(UserManager<StaffAccount> users, IOptions<IdentityOptions> options, AccessDbContext db)
    : UserClaimsPrincipalFactory<StaffAccount>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(StaffAccount user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(AccessClaims.Kind, AccessClaims.Staff));
        identity.AddClaim(new Claim(OpenIddict.Abstractions.OpenIddictConstants.Claims.Name, user.DisplayName));
        var assignments = await db.Assignments.Where(a => a.AccountId == user.Id).ToListAsync();
        var first = assignments.OrderBy(a => StaffRoles.All.ToList().IndexOf(a.Role)).FirstOrDefault();
        if (first is not null)
        {
            identity.AddClaim(new Claim(AccessClaims.Facility, first.FacilityId));
            identity.AddClaim(new Claim(AccessClaims.Role, first.Role));
        }

        return identity;
    }
}
