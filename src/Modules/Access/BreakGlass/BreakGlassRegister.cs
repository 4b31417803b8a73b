using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using YTeSo.Access.Authorization;
using YTeSo.Access.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.BreakGlass;

/// <summary>
/// The privacy officer's register of break-glass openings, for the API and the page alike: listing it is audited
/// (it names patients), and a review is a permission change in the trail. Callers check <see cref="PrivacyOfficer"/>.
/// </summary>
internal sealed class BreakGlassRegister(AccessDbContext db, IAuditTrail audit, TimeProvider clock)
{
    public const int MaxListed = 500;

    public async Task<List<BreakGlassView>> ListAsync(HttpContext context, bool unreviewedOnly, string? patientId)
    {
        var query = db.BreakGlassGrants.AsQueryable();
        if (unreviewedOnly)
        {
            query = query.Where(g => g.ReviewedAt == null);
        }

        if (!string.IsNullOrEmpty(patientId))
        {
            query = query.Where(g => g.PatientId == patientId);
        }

        var grants = await query.OrderByDescending(g => g.Id).Take(MaxListed).ToListAsync(context.RequestAborted);
        await audit.RecordAsync(
            new AuditRecord(AuditActions.Search, AuditOutcomes.Success, AccessResolver.ActorOf(context.User, context), "BreakGlassGrant", PatientIds: [.. grants.Select(g => g.PatientId).Distinct()], Query: context.Request.QueryString.Value),
            context.RequestAborted);
        return [.. grants.Select(View)];
    }

    /// <summary>Marks one opening reviewed by the signed-in officer; null when there is no such opening.</summary>
    public async Task<BreakGlassView?> ReviewAsync(HttpContext context, long id)
    {
        var grant = await db.BreakGlassGrants.FindAsync([id], context.RequestAborted);
        if (grant is null)
        {
            return null;
        }

        var actor = AccessResolver.ActorOf(context.User, context);
        grant.ReviewedAt = clock.GetUtcNow();
        grant.ReviewedBy = actor.Display;
        await db.SaveChangesAsync(context.RequestAborted);
        await audit.RecordAsync(new AuditRecord(AuditActions.PermissionChange, AuditOutcomes.Success, actor, "BreakGlassGrant", PatientIds: [grant.PatientId], Detail: $"reviewed break-glass {id}"), context.RequestAborted);
        return View(grant);
    }

    public static BreakGlassView View(BreakGlassGrant g) =>
        new(g.Id, g.AccountId, g.AccountDisplay, g.FacilityId, g.PatientId, g.Reason, g.GrantedAt, g.ExpiresAt, g.ReviewedAt, g.ReviewedBy);
}
