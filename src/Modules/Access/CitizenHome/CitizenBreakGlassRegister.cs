using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using YTeSo.Access.Authorization;
using YTeSo.Access.Persistence;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.CitizenHome;

/// <summary>One emergency opening of the citizen's record, as the citizen sees it (issue 3: "shown to the citizen").</summary>
/// <param name="Id">The opening's number in the register.</param>
/// <param name="PatientId">Which of the citizen's records was opened.</param>
/// <param name="OpenedBy">The clinician's name as their account shows it.</param>
/// <param name="FacilityId">The FHIR Organization id of the clinician's facility.</param>
/// <param name="FacilityName">The facility's name, or its id when the Organization is not in the repository.</param>
/// <param name="Reason">The clinician's reason, in their words.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="OpenUntil">When the opening ended (or ends).</param>
/// <param name="Reviewed">Whether the Department's privacy officer has reviewed it.</param>
public sealed record CitizenBreakGlassView(long Id, string PatientId, string OpenedBy, string FacilityId, string FacilityName, string Reason, DateTimeOffset OpenedAt, DateTimeOffset OpenUntil, bool Reviewed);

/// <summary>
/// The break-glass register filtered to the signed-in citizen's own records, for the landing page and
/// <c>GET /api/citizen/break-glass</c>. Facility names are read with the citizen's own access (reference data);
/// each listing is audited like the privacy officer's.
/// </summary>
internal sealed class CitizenBreakGlassRegister(AccessDbContext db, IFhirRepository fhir, IFhirAccessResolver resolver, IAuditTrail audit)
{
    /// <summary>The openings, newest first; null when the caller is not a signed-in citizen.</summary>
    public async Task<IReadOnlyList<CitizenBreakGlassView>?> ListAsync(HttpContext context)
    {
        var user = context.User;
        if (user.GetClaim(AccessClaims.Kind) != AccessClaims.Citizen)
        {
            return null;
        }

        var cancellationToken = context.RequestAborted;
        var patientIds = user.FindAll(AccessClaims.Patient).Select(c => c.Value).ToList();
        var grants = await db.BreakGlassGrants.AsNoTracking()
            .Where(g => patientIds.Contains(g.PatientId))
            .OrderByDescending(g => g.GrantedAt)
            .Take(200)
            .ToListAsync(cancellationToken);

        var access = await resolver.ResolveAsync(context, cancellationToken);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var facility in grants.Select(g => g.FacilityId).Where(f => f.Length > 0).Distinct())
        {
            names[facility] = (await fhir.ReadAsync(access, "Organization", facility, cancellationToken) as Organization)?.Name ?? facility;
        }

        await audit.RecordAsync(new AuditRecord(AuditActions.Search, AuditOutcomes.Success, AccessResolver.ActorOf(user, context), "BreakGlassGrant", PatientIds: patientIds, Query: "citizen's own openings"), cancellationToken);
        return [.. grants.Select(g => new CitizenBreakGlassView(
            g.Id, g.PatientId, g.AccountDisplay, g.FacilityId, names.GetValueOrDefault(g.FacilityId, g.FacilityId), g.Reason, g.GrantedAt, g.ExpiresAt, g.ReviewedAt is not null))];
    }
}
