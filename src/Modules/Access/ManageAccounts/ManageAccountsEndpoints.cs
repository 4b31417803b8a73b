using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using YTeSo.Access.Accounts;
using YTeSo.Access.Authorization;
using YTeSo.Access.Contracts;
using YTeSo.Access.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.ManageAccounts;

/// <summary>A staff account to create: its first password and its roles at facilities.</summary>
public sealed record CreateStaffAccountRequest(
    [property: Required, StringLength(64, MinimumLength = 3)] string UserName,
    [property: Required, StringLength(200)] string DisplayName,
    [property: Required] string Password,
    [property: Required, MinLength(1)] IReadOnlyList<StaffRoleAssignment> Assignments);

/// <summary>One role at one facility (FHIR Organization id).</summary>
public sealed record StaffRoleAssignment([property: Required] string FacilityId, [property: Required] string Role);

/// <summary>A staff account as administrators see it (never the password hash).</summary>
public sealed record StaffAccountView(string Id, string UserName, string DisplayName, bool LockedOut, IReadOnlyList<StaffRoleAssignment> Assignments);

/// <summary>
/// <c>/api/access/accounts</c>: Department administrators manage every account; facility administrators only roles at
/// their own facility; a system client needs the <c>yteso/accounts</c> scope (deployment automation). Every change is
/// a permission change in the audit trail.
/// </summary>
internal static class ManageAccountsEndpoints
{
    /// <summary>The scope a deployment client needs to manage accounts.</summary>
    public const string Scope = "yteso/accounts";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var accounts = endpoints.MapGroup("/api/access/accounts").DisableAntiforgery().WithTags("Access");
        accounts.MapPost("/", CreateAsync);
        accounts.MapGet("/{id}", GetAsync);
        accounts.MapPut("/{id}/assignments", ReplaceAssignmentsAsync);
        accounts.MapPost("/{id}/unlock", UnlockAsync);
    }

    private static async Task<Results<Created<StaffAccountView>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        CreateStaffAccountRequest request, HttpContext context, UserManager<StaffAccount> users, AccessDbContext db, IAuditTrail audit)
    {
        // Minimal APIs do not run the validation attributes: a missing field must still be a 400, never a 500.
        IReadOnlyList<StaffRoleAssignment> assignments = request.Assignments ?? [];
        var errors = Validate(assignments);
        if (string.IsNullOrWhiteSpace(request.UserName) || string.IsNullOrWhiteSpace(request.Password) || string.IsNullOrWhiteSpace(request.DisplayName) || assignments.Count == 0)
        {
            errors["account"] = ["userName, displayName, password and at least one assignment are required."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!MayManage(context, assignments.Select(a => a.FacilityId)))
        {
            await AuditAsync(audit, context, AuditOutcomes.Denied, $"create account {request.UserName}");
            return AccessProblems.Forbidden();
        }

        if (await users.FindByNameAsync(request.UserName) is not null)
        {
            return TypedResults.Problem($"The user name '{request.UserName}' is taken.", statusCode: StatusCodes.Status409Conflict, title: "Conflict");
        }

        var account = new StaffAccount { UserName = request.UserName, DisplayName = request.DisplayName };
        var created = await users.CreateAsync(account, request.Password);
        if (!created.Succeeded)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [.. created.Errors.Select(e => e.Description)] });
        }

        db.Assignments.AddRange(assignments.Select(a => new StaffAssignment { AccountId = account.Id, FacilityId = a.FacilityId, Role = a.Role }));
        await db.SaveChangesAsync(context.RequestAborted);
        await AuditAsync(audit, context, AuditOutcomes.Success, $"created account {account.UserName} ({account.Id}) with {Describe(assignments)}");
        return TypedResults.Created($"/api/access/accounts/{account.Id}", await ViewAsync(account, users, db, context.RequestAborted));
    }

    private static async Task<Results<Ok<StaffAccountView>, NotFound, ProblemHttpResult>> GetAsync(string id, HttpContext context, UserManager<StaffAccount> users, AccessDbContext db)
    {
        var account = await users.FindByIdAsync(id);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var view = await ViewAsync(account, users, db, context.RequestAborted);
        return MayManage(context, view.Assignments.Select(a => a.FacilityId)) ? TypedResults.Ok(view) : AccessProblems.Forbidden();
    }

    private static async Task<Results<Ok<StaffAccountView>, NotFound, ValidationProblem, ProblemHttpResult>> ReplaceAssignmentsAsync(
        string id, IReadOnlyList<StaffRoleAssignment> assignments, HttpContext context, UserManager<StaffAccount> users, AccessDbContext db, IAuditTrail audit)
    {
        var account = await users.FindByIdAsync(id);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var errors = Validate(assignments);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var current = await db.Assignments.Where(a => a.AccountId == id).ToListAsync(context.RequestAborted);
        if (!MayManage(context, current.Select(a => a.FacilityId).Concat(assignments.Select(a => a.FacilityId))))
        {
            await AuditAsync(audit, context, AuditOutcomes.Denied, $"change roles of {account.UserName} ({id})");
            return AccessProblems.Forbidden();
        }

        db.Assignments.RemoveRange(current);
        db.Assignments.AddRange(assignments.Select(a => new StaffAssignment { AccountId = id, FacilityId = a.FacilityId, Role = a.Role }));
        await db.SaveChangesAsync(context.RequestAborted);
        await AuditAsync(audit, context, AuditOutcomes.Success, $"roles of {account.UserName} ({id}): {Describe(current.Select(a => new StaffRoleAssignment(a.FacilityId, a.Role)))} -> {Describe(assignments)}");
        return TypedResults.Ok(await ViewAsync(account, users, db, context.RequestAborted));
    }

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> UnlockAsync(string id, HttpContext context, UserManager<StaffAccount> users, AccessDbContext db, IAuditTrail audit)
    {
        var account = await users.FindByIdAsync(id);
        if (account is null)
        {
            return TypedResults.NotFound();
        }

        var facilities = await db.Assignments.Where(a => a.AccountId == id).Select(a => a.FacilityId).ToListAsync(context.RequestAborted);
        if (!MayManage(context, facilities))
        {
            return AccessProblems.Forbidden();
        }

        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await AuditAsync(audit, context, AuditOutcomes.Success, $"unlocked {account.UserName} ({id})");
        return TypedResults.NoContent();
    }

    /// <summary>Department administrators and account-managing clients anywhere; facility administrators at their facility.</summary>
    private static bool MayManage(HttpContext context, IEnumerable<string> facilities)
    {
        var user = context.User;
        if (user.GetClaim(AccessClaims.Kind) == AccessClaims.Client)
        {
            return user.HasScope(Scope);
        }

        return user.GetClaim(AccessClaims.Role) switch
        {
            StaffRoles.DepartmentAdministrator => true,
            StaffRoles.FacilityAdministrator => facilities.All(f => f == user.GetClaim(AccessClaims.Facility)),
            _ => false,
        };
    }

    private static Dictionary<string, string[]> Validate(IEnumerable<StaffRoleAssignment> assignments)
    {
        var unknown = assignments.Where(a => a is null || !StaffRoles.All.Contains(a.Role) || string.IsNullOrWhiteSpace(a.FacilityId)).ToList();
        return unknown.Count == 0
            ? []
            : new Dictionary<string, string[]> { ["assignments"] = [.. unknown.Select(a => $"'{a?.Role}' at '{a?.FacilityId}' is not a role at a facility; roles: {string.Join(", ", StaffRoles.All)}")] };
    }

    private static async Task<StaffAccountView> ViewAsync(StaffAccount account, UserManager<StaffAccount> users, AccessDbContext db, CancellationToken cancellationToken)
    {
        var assignments = await db.Assignments.Where(a => a.AccountId == account.Id).Select(a => new StaffRoleAssignment(a.FacilityId, a.Role)).ToListAsync(cancellationToken);
        return new StaffAccountView(account.Id, account.UserName!, account.DisplayName, await users.IsLockedOutAsync(account), assignments);
    }

    private static string Describe(IEnumerable<StaffRoleAssignment> assignments) => string.Join(", ", assignments.Select(a => $"{a.Role}@{a.FacilityId}"));

    private static ValueTask AuditAsync(IAuditTrail audit, HttpContext context, string outcome, string detail) =>
        audit.RecordAsync(new AuditRecord(AuditActions.PermissionChange, outcome, AccessResolver.ActorOf(context.User, context), Detail: detail), context.RequestAborted);
}
