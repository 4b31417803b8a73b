using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.MergePatients;

namespace YTeSo.Patients.UnmergePatients;

/// <summary>
/// <c>POST /api/patients/merges/{id}/undo</c>: FHIR publishes no unmerge operation (R5 has only patient-merge), so the
/// undo is the MPI's own API. Refusals are OperationOutcomes like the merge's (409 for a merge already undone).
/// </summary>
internal static class UnmergePatientsEndpoint
{
    public static RouteHandlerBuilder MapUnmergePatients(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/api/patients/merges/{id:guid}/undo", HandleAsync).WithTags("Patients").WithSummary("Undo a merge of two Patient records").DisableAntiforgery();

    private static async Task<Results<Ok<UnmergePatientsResponse>, ContentHttpResult>> HandleAsync(
        Guid id, HttpContext context, IFhirAccessResolver resolver, UnmergePatientsHandler handler)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var access = await resolver.ResolveAsync(context, cancellationToken);
            MergeSupport.Authorize(context.User, access);
            UnmergePatientsRequest? request = null;
            if (context.Request.ContentLength is > 0)
            {
                try
                {
                    request = await context.Request.ReadFromJsonAsync<UnmergePatientsRequest>(cancellationToken);
                }
                catch (System.Text.Json.JsonException e)
                {
                    throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Structure, $"The body is not {{\"reason\": \"...\"}}: {e.Message}");
                }
            }

            return TypedResults.Ok(await handler.HandleAsync(access, id, request ?? new UnmergePatientsRequest(null), cancellationToken));
        }
        catch (MergeRefusedException e)
        {
            return MergeSupport.Fhir(e.Status, e.Outcome);
        }
        catch (Exception e) when (FhirRefusal.TryGet(e, out var status, out var outcome))
        {
            return MergeSupport.Fhir(status, outcome);
        }
    }
}
