using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace YTeSo.Registry.Facilities.FacilityMap;

/// <summary>
/// <c>GET /co-so/ban-do/ranh-gioi</c>: the GeoJSON boundary of the province this installation serves, from
/// the configured folder (<see cref="MapOptions"/>); 404 when it has none, and the map then shows markers only. A page
/// route, not under /api, because the map page fetches it with the staff session (API paths take bearer tokens only);
/// a public boundary, so any signed-in caller may have it.
/// </summary>
internal static class ProvinceBoundaryEndpoint
{
    public const string Route = "/co-so/ban-do/ranh-gioi";

    public static void Map(IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet(Route, Get).WithTags("Registry").WithSummary("The served province's boundary (GeoJSON)");

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> Get(MapOptions options) =>
        options.ProvinceFile() is { } file
            ? TypedResults.PhysicalFile(file, "application/geo+json")
            : TypedResults.Problem($"No boundary file for province '{options.ProvinceCode}' in '{options.GeoDirectory}' (settings Registry:ProvinceCode, Registry:GeoDirectory).", statusCode: 404, title: "No province boundary");
}
