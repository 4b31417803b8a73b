using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>
/// The terminology operations on the FHIR API (issue 5), type and instance level, GET with query parameters and POST
/// with a Parameters body (FHIR R4 operations.html#request). The caller needs read access to the resource type the
/// operation belongs to; reference data is not patient data, so no patient filter applies. Answers are FHIR JSON.
/// </summary>
internal static class TerminologyEndpoints
{
    private delegate Task<OperationAnswer> Operation(IServiceProvider services, OperationInput input, string? id, CancellationToken cancellationToken);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        MapOperation(endpoints, "CodeSystem", "lookup", instance: false, (sp, input, _, ct) => sp.GetRequiredService<CodeSystemOperations>().LookupAsync(input, ct));
        MapOperation(endpoints, "CodeSystem", "validate-code", instance: true, (sp, input, id, ct) => sp.GetRequiredService<CodeSystemOperations>().ValidateCodeAsync(input, id, ct));
        MapOperation(endpoints, "ValueSet", "expand", instance: true, (sp, input, id, ct) => sp.GetRequiredService<ValueSetOperations>().ExpandAsync(input, id, ct));
        MapOperation(endpoints, "ValueSet", "validate-code", instance: true, (sp, input, id, ct) => sp.GetRequiredService<ValueSetOperations>().ValidateCodeAsync(input, id, ct));
        MapOperation(endpoints, "ConceptMap", "translate", instance: true, (sp, input, id, ct) => sp.GetRequiredService<ConceptMapOperations>().TranslateAsync(input, id, ct));
    }

    private static void MapOperation(IEndpointRouteBuilder endpoints, string type, string name, bool instance, Operation operation)
    {
        var path = $"/fhir/{type}/${name}";
        endpoints.MapMethods(path, ["GET", "POST"], (HttpContext context) => HandleAsync(context, type, name, null, operation)).DisableAntiforgery();
        if (instance)
        {
            endpoints.MapMethods($"/fhir/{type}/{{id}}/${name}", ["GET", "POST"], (HttpContext context, string id) => HandleAsync(context, type, name, id, operation)).DisableAntiforgery();
        }
    }

    private static async Task HandleAsync(HttpContext context, string type, string name, string? id, Operation operation)
    {
        var cancellationToken = context.RequestAborted;
        var services = context.RequestServices;
        var json = services.GetRequiredService<IFhirJson>();
        var access = await services.GetRequiredService<IFhirAccessResolver>().ResolveAsync(context, cancellationToken);
        if (!access.Allows(type, FhirInteractions.Read))
        {
            await WriteAsync(context, json, OperationAnswer.Error(403, OperationOutcome.IssueType.Forbidden, $"${name} needs read access to {type} (scope {type}.r)."));
            return;
        }

        OperationInput input;
        if (HttpMethods.IsPost(context.Request.Method))
        {
            try
            {
                using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(cancellationToken);
                input = string.IsNullOrWhiteSpace(body) ? OperationInput.Empty
                    : json.Parse(body) is Parameters parameters ? OperationInput.From(parameters)
                    : throw new FhirFormatException([$"The body of ${name} must be a Parameters resource."]);
            }
            catch (FhirFormatException e)
            {
                await WriteAsync(context, json, OperationAnswer.BadRequest(e.Problems));
                return;
            }
        }
        else
        {
            input = OperationInput.From(context.Request.Query);
        }

        await WriteAsync(context, json, await operation(services, input, id, cancellationToken));
    }

    private static async Task WriteAsync(HttpContext context, IFhirJson json, OperationAnswer answer)
    {
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/fhir+json; charset=utf-8";
        await context.Response.WriteAsync(json.Serialize(answer.Body), context.RequestAborted);
    }
}
