using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using YTeSo.Access.Persistence;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace YTeSo.Access.Authorization;

/// <summary>
/// Turns the authenticated principal of a request into the <see cref="FhirAccess"/> the repository enforces. Staff
/// roles and break-glass grants are read fresh from the database on every request, so a removed role or an expired
/// grant stops working at once, not when the session or token runs out.
/// </summary>
internal sealed class AccessResolver(AccessDbContext db, TimeProvider clock) : IFhirAccessResolver
{
    private static readonly IReadOnlySet<string> None = new HashSet<string>();

    public async ValueTask<FhirAccess> ResolveAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var principal = context.User;
        var actor = ActorOf(principal, context);
        return principal.GetClaim(AccessClaims.Kind) switch
        {
            AccessClaims.Client => ForClient(principal, actor),
            AccessClaims.Citizen => ForCitizen(principal, actor),
            AccessClaims.Staff => await ForStaffAsync(principal, actor, cancellationToken),
            _ => Nothing(actor),
        };
    }

    /// <summary>The audit trail's view of who is calling.</summary>
    public static AuditActor ActorOf(ClaimsPrincipal principal, HttpContext context)
    {
        var kind = principal.GetClaim(AccessClaims.Kind) ?? "anonymous";
        var subject = principal.GetClaim(Claims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? "anonymous";
        var role = principal.GetClaim(AccessClaims.Role);
        return new AuditActor(
            $"{kind}/{subject}",
            principal.GetClaim(Claims.Name) ?? principal.FindFirstValue(ClaimTypes.Name) ?? subject,
            role,
            principal.GetClaim(AccessClaims.Facility),
            // A token's "client_id" (OpenIddict's oi_prst presenter) names the app; sessions of the web UI have none.
            principal.GetClaim(Claims.Private.Presenter) ?? principal.GetClaim(Claims.ClientId) ?? (kind == AccessClaims.Client ? subject : null),
            context.Connection.RemoteIpAddress?.ToString(),
            kind == AccessClaims.Citizen ? "PATRQT" : role is null ? "HOPERAT" : RolePermissions.PurposeOfUse(role));
    }

    private static FhirAccess ForClient(ClaimsPrincipal principal, AuditActor actor)
    {
        var facility = principal.GetClaim(AccessClaims.Facility);
        return new FhirAccess
        {
            Actor = actor,
            Scopes = SmartScope.ToTable(TokenScopes(principal, SmartScope.System)),
            Patients = string.IsNullOrEmpty(facility) ? null : new PatientFilter(new HashSet<string> { facility }, None),
            PermittedSensitivity = principal.GetClaim(AccessClaims.SeesSensitive) == "true" ? SecurityLabels.Sensitive : None,
        };
    }

    private static FhirAccess ForCitizen(ClaimsPrincipal principal, AuditActor actor)
    {
        // A citizen reads their own record, sensitive parts included: the labels protect them from others, not from themselves.
        // A citizen may hold several records (the same CCCD registered at several facilities): one claim per record.
        var patients = principal.FindAll(AccessClaims.Patient).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        var scopes = principal.HasScope(Scopes.OpenId) || principal.GetScopes().Length > 0
            ? TokenScopes(principal, SmartScope.Patient)
            : [SmartScope.TryParse("patient/*.rs")!];
        return new FhirAccess
        {
            Actor = actor,
            Scopes = SmartScope.ToTable(scopes),
            Patients = new PatientFilter(None, patients),
            PermittedSensitivity = SecurityLabels.Sensitive,
        };
    }

    private async Task<FhirAccess> ForStaffAsync(ClaimsPrincipal principal, AuditActor actor, CancellationToken cancellationToken)
    {
        var accountId = principal.GetClaim(Claims.Subject) ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var facility = actor.FacilityId;
        var role = actor.Role;
        var holdsRole = accountId is not null && facility is not null && role is not null &&
            await db.Assignments.AnyAsync(a => a.AccountId == accountId && a.FacilityId == facility && a.Role == role, cancellationToken);
        if (!holdsRole)
        {
            return Nothing(actor);
        }

        // A SMART app acting for the user gets what it asked for, never more than the role allows.
        var roleScopes = RolePermissions.Scopes(role!);
        var tokenScopes = TokenScopes(principal, SmartScope.User);
        var launchPatient = principal.GetClaim(AccessClaims.Patient);
        var patientScopes = TokenScopes(principal, SmartScope.Patient);
        var isToken = principal.GetScopes().Length > 0;
        var scopes = !isToken ? roleScopes
            : patientScopes.Count > 0 && launchPatient is not null
                ? SmartScope.Grant(patientScopes.Select(s => s with { Context = SmartScope.User }), roleScopes)
                : SmartScope.Grant(tokenScopes, roleScopes);

        var now = clock.GetUtcNow();
        var grants = await db.BreakGlassGrants
            .Where(g => g.AccountId == accountId && g.ExpiresAt > now)
            .Select(g => g.PatientId)
            .ToListAsync(cancellationToken);
        var breakGlass = grants.ToHashSet(StringComparer.Ordinal);

        PatientFilter? patients;
        if (isToken && patientScopes.Count > 0 && launchPatient is not null)
        {
            // patient/ scopes: only the launch patient. The launch itself was only created for a patient the user could see.
            patients = new PatientFilter(None, new HashSet<string> { launchPatient });
        }
        else
        {
            patients = RolePermissions.IsProvinceWide(role!) ? null : new PatientFilter(new HashSet<string> { facility! }, breakGlass);
        }

        return new FhirAccess
        {
            Actor = actor,
            Scopes = SmartScope.ToTable(scopes),
            Patients = patients,
            BreakGlassPatientIds = breakGlass,
            PermittedSensitivity = RolePermissions.SeesSensitive(role!) ? SecurityLabels.Sensitive : None,
            AggregatesOnly = RolePermissions.AggregatesOnly(role!),
        };
    }

    private static List<SmartScope> TokenScopes(ClaimsPrincipal principal, string context) =>
        [.. principal.GetScopes().Select(SmartScope.TryParse).OfType<SmartScope>().Where(s => s.Context == context)];

    /// <summary>An authenticated principal with no usable role: may call nothing clinical.</summary>
    private static FhirAccess Nothing(AuditActor actor) => new()
    {
        Actor = actor,
        Scopes = new Dictionary<string, FhirInteractions>(),
        Patients = new PatientFilter(None, None),
    };
}
