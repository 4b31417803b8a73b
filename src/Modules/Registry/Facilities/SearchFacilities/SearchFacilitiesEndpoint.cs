using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Facilities.SearchFacilities;

/// <summary>
/// <c>GET /api/registry/facilities?q=&amp;type=&amp;commune=&amp;province=</c> (q: words of the name typed with or
/// without diacritics, or the code) and <c>GET /api/registry/facilities/{code}</c>. Staff only (<see cref="FacilityAccess"/>).
/// </summary>
internal static class SearchFacilitiesEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/registry/facilities", SearchAsync).WithTags("Registry").WithSummary("Search the facility registry");
        endpoints.MapGet("/api/registry/facilities/{code}", GetAsync).WithTags("Registry").WithSummary("One facility by its code (mã cơ sở KCB)");
    }

    private static async Task<Results<Ok<IReadOnlyList<FacilityResponse>>, ProblemHttpResult>> SearchAsync(
        HttpContext context, IFhirAccessResolver resolver, SearchFacilitiesHandler handler, string? q, string? type, string? commune, string? province, int? count)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!FacilityAccess.MayRead(context.User, access))
        {
            return Forbidden();
        }

        return TypedResults.Ok(await handler.HandleAsync(access, new SearchFacilitiesRequest(q, type, commune, province, count ?? 500), context.RequestAborted));
    }

    private static async Task<Results<Ok<FacilityResponse>, NotFound, ProblemHttpResult>> GetAsync(HttpContext context, IFhirAccessResolver resolver, SearchFacilitiesHandler handler, string code)
    {
        var access = await resolver.ResolveAsync(context, context.RequestAborted);
        if (!FacilityAccess.MayRead(context.User, access))
        {
            return Forbidden();
        }

        return await handler.FindAsync(access, code, context.RequestAborted) is { } found
            ? TypedResults.Ok(FacilityProfile.ToResponse(found.Organization, found.Location))
            : TypedResults.NotFound();
    }

    public static ProblemHttpResult Forbidden() => TypedResults.Problem(
        "The facility registry is for staff: a staff session whose role reads Organization and Location, or a province-wide client; registering needs the Department administrator.",
        statusCode: 403, title: "Forbidden");
}
