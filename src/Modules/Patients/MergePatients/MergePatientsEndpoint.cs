using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Patients.MergePatients;

/// <summary>
/// <c>POST /fhir/Patient/$merge</c> (FHIR R5 OperationDefinition patient-merge, on R4): a literal route, so it wins
/// over the FHIR module's <c>{type}/...</c> routes. Answers Parameters with <c>input</c>, <c>outcome</c> and
/// <c>result</c> (the target as written), plus <c>merge-id</c> for the undo.
/// </summary>
internal static class MergePatientsEndpoint
{
    public static RouteHandlerBuilder MapMergePatients(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost("/fhir/Patient/$merge", HandleAsync).WithTags("FHIR").WithSummary("Merge a source Patient into a target Patient").DisableAntiforgery();

    private static async Task<ContentHttpResult> HandleAsync(HttpContext context, IFhirAccessResolver resolver, MergePatientsHandler handler)
    {
        var cancellationToken = context.RequestAborted;
        try
        {
            var access = await resolver.ResolveAsync(context, cancellationToken);
            MergeSupport.Authorize(context.User, access);
            var input = await MergeSupport.ReadBodyAsync<Parameters>(context.Request, cancellationToken);
            var result = await handler.HandleAsync(access, MergePatientsRequest.From(input), cancellationToken);
            var message = result.Preview
                ? $"Preview: {result.Repointed.Count} resources would be re-pointed; nothing was written."
                : $"Merge {result.MergeId} done: {result.Repointed.Count} resources re-pointed.";
            var outcome = new OperationOutcome
            {
                Issue = [new() { Severity = OperationOutcome.IssueSeverity.Information, Code = OperationOutcome.IssueType.Informational, Diagnostics = message },
                    .. result.Repointed.Select(r => new OperationOutcome.IssueComponent
                    {
                        Severity = OperationOutcome.IssueSeverity.Information,
                        Code = OperationOutcome.IssueType.Informational,
                        Diagnostics = $"{r.Type}/{r.Id}: {string.Join(", ", r.Paths.Select(p => p[..p.IndexOf(' ', StringComparison.Ordinal)]))}",
                    })],
            };
            var answer = new Parameters();
            answer.Parameter.Add(new Parameters.ParameterComponent { Name = "input", Resource = input });
            answer.Parameter.Add(new Parameters.ParameterComponent { Name = "outcome", Resource = outcome });
            answer.Parameter.Add(new Parameters.ParameterComponent { Name = "result", Resource = result.Target });
            if (result.MergeId is { } id)
            {
                answer.Add("merge-id", new Id(id.ToString()));
            }

            return MergeSupport.Fhir(200, answer);
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
