using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using YTeSo.Access.Authorization;

namespace YTeSo.Access.CitizenHome;

/// <summary>
/// <c>GET /api/citizen/break-glass</c>: who opened the signed-in citizen's record in an emergency, for the later mobile
/// app (the landing page shows the same). Citizens only: staff and systems use <c>/api/access/break-glass</c>.
/// </summary>
internal static class CitizenBreakGlassEndpoint
{
    public static async Task<Results<Ok<IReadOnlyList<CitizenBreakGlassView>>, ProblemHttpResult>> Handle(HttpContext context, CitizenBreakGlassRegister register) =>
        await register.ListAsync(context) is { } openings
            ? TypedResults.Ok(openings)
            : AccessProblems.Forbidden("Only a signed-in citizen can list the openings of their own record.");
}
