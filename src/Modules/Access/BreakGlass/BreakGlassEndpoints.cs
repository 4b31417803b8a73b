using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using YTeSo.Access.Authorization;
using YTeSo.Access.Persistence;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.BreakGlass;

/// <summary>An emergency request to open one patient's record: the reason is mandatory and kept.</summary>
public sealed record BreakGlassRequest([property: Required] string PatientId, [property: Required, StringLength(1000, MinimumLength = 10)] string Reason);

/// <summary>An opening as the clinician, the privacy officer and later the citizen see it.</summary>
public sealed record BreakGlassView(long Id, string AccountId, string AccountDisplay, string FacilityId, string PatientId, string Reason, DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ReviewedAt, string? ReviewedBy);

/// <summary>
/// Break-glass (<c>/api/access/break-glass</c>): a doctor or nurse opens a record outside their facility scope in an
/// emergency, for <c>Security:BreakGlassMinutes</c>; every read under it is flagged in the audit trail; the
/// Department's privacy officer (auditor role) lists and reviews the openings.
/// </summary>
internal static class BreakGlassEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/access/break-glass").DisableAntiforgery().WithTags("Access");
        group.MapPost("/", OpenAsync);
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:long}/review", ReviewAsync);
    }

    private static async Task<Results<Created<BreakGlassView>, ProblemHttpResult, ValidationProblem>> OpenAsync(
        BreakGlassRequest request, HttpContext context, AccessDbContext db, IFhirRepository fhir, IAuditTrail audit, AccessOptions options, TimeProvider clock)
    {
        var user = context.User;
        var actor = AccessResolver.ActorOf(user, context);
        if (string.IsNullOrWhiteSpace(request.PatientId))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["patientId"] = ["Name the patient (Patient id)."] });
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Trim().Length < 10)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = ["Give the emergency reason (at least 10 characters)."] });
        }

        if (user.GetClaim(AccessClaims.Kind) != AccessClaims.Staff || user.GetClaim(AccessClaims.Role) is not { } role || !RolePermissions.MayBreakGlass(role))
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.BreakGlass, AuditOutcomes.Denied, actor, "Patient", PatientIds: [request.PatientId], BreakGlass: true, Detail: request.Reason), context.RequestAborted);
            return AccessProblems.Forbidden();
        }

        // Whether the patient exists is itself personal data; the check runs as the platform, its audit record names the
        // account it ran for, and the attempt is audited either way.
        if (await fhir.ReadAsync(FhirAccess.System($"break-glass check for {actor.Id}"), "Patient", request.PatientId, context.RequestAborted) is null)
        {
            await audit.RecordAsync(new AuditRecord(AuditActions.BreakGlass, AuditOutcomes.Failed, actor, "Patient", PatientIds: [request.PatientId], BreakGlass: true, Detail: request.Reason), context.RequestAborted);
            return TypedResults.Problem($"No patient Patient/{request.PatientId}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
        }

        var now = clock.GetUtcNow();
        var grant = new BreakGlassGrant
        {
            AccountId = user.GetClaim(OpenIddictConstants.Claims.Subject) ?? user.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value,
            AccountDisplay = actor.Display,
            FacilityId = actor.FacilityId ?? string.Empty,
            PatientId = request.PatientId,
            Reason = request.Reason.Trim(),
            GrantedAt = now,
            ExpiresAt = now.AddMinutes(options.BreakGlassMinutes),
        };
        db.BreakGlassGrants.Add(grant);
        await db.SaveChangesAsync(context.RequestAborted);
        await audit.RecordAsync(new AuditRecord(AuditActions.BreakGlass, AuditOutcomes.Success, actor with { PurposeOfUse = "ETREAT" }, "Patient", [$"Patient/{request.PatientId}"], [request.PatientId], BreakGlass: true, Detail: grant.Reason), context.RequestAborted);
        return TypedResults.Created($"/api/access/break-glass/{grant.Id}", BreakGlassRegister.View(grant));
    }

    private static async Task<Results<Ok<List<BreakGlassView>>, ProblemHttpResult>> ListAsync(HttpContext context, BreakGlassRegister register, bool? unreviewed, string? patient) =>
        PrivacyOfficer.Is(context.User)
            ? TypedResults.Ok(await register.ListAsync(context, unreviewed == true, patient))
            : AccessProblems.Forbidden();

    private static async Task<Results<Ok<BreakGlassView>, NotFound, ProblemHttpResult>> ReviewAsync(long id, HttpContext context, BreakGlassRegister register)
    {
        if (!PrivacyOfficer.Is(context.User))
        {
            return AccessProblems.Forbidden();
        }

        return await register.ReviewAsync(context, id) is { } reviewed ? TypedResults.Ok(reviewed) : TypedResults.NotFound();
    }
}
