using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace YTeSo.Registry.Facilities.FacilityMap;

/// <summary>
/// <c>GET /api/registry/province-boundary</c>: the GeoJSON boundary of the province this installation serves, from
/// the configured folder (<see cref="MapOptions"/>); 404 when it has none, and the map then shows markers only.
/// </summary>
internal static class ProvinceBoundaryEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/registry/province-boundary", Get).WithTags("Registry").WithSummary("The served province's boundary (GeoJSON)");

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Get(MapOptions options) =>
        options.ProvinceFile() is { } file
            ? TypedResults.PhysicalFile(file, "application/geo+json")
            : TypedResults.Problem($"No boundary file for province '{options.ProvinceCode}' in '{options.GeoDirectory}' (settings Registry:ProvinceCode, Registry:GeoDirectory).", statusCode: 404, title: "No province boundary");
}
