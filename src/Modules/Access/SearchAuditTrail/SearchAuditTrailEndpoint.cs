using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Access.Authorization;
using YTeSo.Platform.Auditing;

namespace YTeSo.Access.SearchAuditTrail;

/// <summary>One page of the trail as the API returns it: newest first; pass <see cref="NextBefore"/> as <c>before</c>.</summary>
public sealed record AuditTrailPage(IReadOnlyList<StoredAuditRecord> Records, long? NextBefore);

/// <summary><c>GET /api/access/audit</c>: the page's search for the privacy office's own tools (same rules, same audit).</summary>
internal static class SearchAuditTrailEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/access/audit", SearchAsync).WithTags("Access");

    private static async Task<Results<Ok<AuditTrailPage>, ValidationProblem, ProblemHttpResult>> SearchAsync(
        HttpContext context, AuditTrailSearch search, string? from, string? to, string? actor, string? patient, string? action, string? outcome, bool? breakGlass, long? before, int? count)
    {
        if (!PrivacyOfficer.Is(context.User))
        {
            return AccessProblems.Forbidden("Only the auditor and the Department's administrator read the audit trail.");
        }

        var (filter, bad) = AuditTrailSearch.Filter(new AuditTrailQuery(from, to, actor, patient, action, outcome, breakGlass == true, before));
        if (filter is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [bad!.ToLowerInvariant()] = [$"Cannot read '{bad}': days are dd/MM/yyyy or yyyy-MM-dd; outcomes are success, denied or failed."] });
        }

        var page = await search.SearchAsync(context, filter, before, Math.Clamp(count ?? AuditTrailSearch.PageSize, 1, AuditQuery.MaxCount));
        return TypedResults.Ok(new AuditTrailPage(page.Records, page.NextBefore));
    }
}
