using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace YTeSo.Access.Authorization;

/// <summary>Refusals of the Access APIs as RFC 9457 problem details, so a caller learns why, not just "403".</summary>
internal static class AccessProblems
{
    public static ProblemHttpResult Forbidden(string detail = "Your role or scope does not allow this action.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
}
