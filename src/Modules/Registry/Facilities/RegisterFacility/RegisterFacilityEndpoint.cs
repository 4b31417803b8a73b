using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;
using YTeSo.Registry.Facilities.SearchFacilities;

namespace YTeSo.Registry.Facilities.RegisterFacility;

/// <summary>
/// <c>POST /api/registry/facilities</c> (register) and <c>PUT /api/registry/facilities/{code}</c> (correct): the
/// Organization and Location in one FHIR transaction. 400 with per-field errors for a malformed request, 422 for what
/// the registry refuses (unknown commune, position outside Vietnam, unknown province digits), 409 for a code in use.
/// </summary>
internal static class RegisterFacilityEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/registry/facilities", (RegisterFacilityRequest request, HttpContext context, IFhirAccessResolver resolver, RegisterFacilityHandler handler) => HandleAsync(request, null, context, resolver, handler))
            .WithTags("Registry").WithSummary("Register a facility (Organization + Location)").DisableAntiforgery();
        endpoints.MapPut("/api/registry/facilities/{code}", (string code, RegisterFacilityRequest request, HttpContext context, IFhirAccessResolver resolver, RegisterFacilityHandler handler) => HandleAsync(request, code, context, resolver, handler))
            .WithTags("Registry").WithSummary("Correct a facility").DisableAntiforgery();
    }

    private static async Task<IResult> HandleAsync(RegisterFacilityRequest request, string? code, HttpContext context, IFhirAccessResolver resolver, RegisterFacilityHandler handler)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!FacilityAccess.MayWrite(context.User, access))
        {
            return SearchFacilitiesEndpoint.Forbidden();
        }

        var result = await handler.HandleAsync(access, request, code, context.RequestAborted);
        return result switch
        {
            { Status: 201, Facility: { } created } => TypedResults.Created($"/api/registry/facilities/{created.Code}", created),
            { Status: 200, Facility: { } updated } => TypedResults.Ok(updated),
            { Status: 404 } => TypedResults.NotFound(),
            _ => TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]>(result.Problems)) { Status = result.Status, Title = Title(result.Status) }),
        };
    }

    private static string Title(int status) => status switch
    {
        409 => "The facility code is already in use",
        422 => "The registry refused the facility",
        403 => "Forbidden",
        _ => "The facility is not well formed",
    };
}
