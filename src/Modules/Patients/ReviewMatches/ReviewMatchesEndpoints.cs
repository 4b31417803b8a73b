using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Domain;

namespace YTeSo.Patients.ReviewMatches;

/// <summary>One open item in the API: both records reduced to what the matcher compared.</summary>
internal sealed record ReviewItemResponse(long Id, double Probability, string? Rule, string? Conflict, DateTimeOffset CreatedAt, string Patient, string Candidate, PersonRecord? PatientRecord, PersonRecord? CandidateRecord);

/// <summary>The body of a decision: <c>link</c>, <c>not-same</c> or <c>merge</c> (with the surviving Patient id), and why.</summary>
internal sealed record ReviewDecisionRequest(string? Decision, string? Survivor, string? Reason);

/// <summary>
/// The review queue for tools other than the web page (a Department's data-quality team, a script working a backlog):
/// <c>GET /api/patients/review-items</c> and <c>POST /api/patients/review-items/{id}/decision</c>. Same rules as the
/// page (<see cref="MatchReviewQueue"/>): the steward only, every view and decision audited; refusals are ProblemDetails.
/// </summary>
internal static class ReviewMatchesEndpoints
{
    public static IEndpointRouteBuilder MapReviewMatches(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/patients/review-items", ListAsync).WithTags("Patients").WithSummary("Open possible matches of the MPI, most probable first");
        endpoints.MapPost("/api/patients/review-items/{id:long}/decision", DecideAsync).WithTags("Patients").WithSummary("Decide a possible match: link, not the same person, or merge").DisableAntiforgery();
        return endpoints;
    }

    private static async Task<Results<Ok<ReviewItemResponse[]>, ProblemHttpResult>> ListAsync(HttpContext context, IFhirAccessResolver resolver, MatchReviewQueue queue, int? count)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!MatchReviewQueue.MayReview(context.User, access))
        {
            return Forbidden();
        }

        var (items, _) = await queue.OpenAsync(access, Math.Clamp(count ?? 50, 1, 500), context.RequestAborted);
        return TypedResults.Ok(items.Select(i => new ReviewItemResponse(
            i.Id, i.Probability, i.Rule, i.Conflict, i.CreatedAt, $"Patient/{i.PatientId}", $"Patient/{i.CandidateId}", i.Patient, i.Candidate)).ToArray());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DecideAsync(long id, ReviewDecisionRequest request, HttpContext context, IFhirAccessResolver resolver, MatchReviewQueue queue)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!MatchReviewQueue.MayReview(context.User, access))
        {
            return Forbidden();
        }

        ReviewDecision? decision = request.Decision switch
        {
            "link" => ReviewDecision.Link,
            "not-same" => ReviewDecision.NotSame,
            "merge" => ReviewDecision.Merge,
            _ => null,
        };
        if (decision is null)
        {
            return TypedResults.Problem($"decision must be link, not-same or merge, not '{request.Decision}'.", statusCode: 400, title: "Unknown decision");
        }

        try
        {
            await queue.DecideAsync(access, id, decision.Value, request.Survivor, request.Reason, context.RequestAborted);
            return TypedResults.NoContent();
        }
        catch (ReviewRefusedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: e.Invalid ? 400 : 409, title: "The decision was not recorded");
        }
    }

    private static ProblemHttpResult Forbidden() => TypedResults.Problem(
        "The review queue is the MPI steward's: a client with scope yteso/mpi or a staff session in the mpi-steward role, province-wide.",
        statusCode: 403, title: "Forbidden");
}
