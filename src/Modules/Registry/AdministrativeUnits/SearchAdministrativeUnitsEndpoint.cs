using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using YTeSo.Registry.Contracts;

namespace YTeSo.Registry.AdministrativeUnits;

/// <summary>A unit with what it became and what it was made of, for address pickers and for converting old addresses.</summary>
public sealed record AdministrativeUnitDetail(AdministrativeUnit Unit, IReadOnlyList<CommuneSuccession> BecameCommunes, IReadOnlyList<CommuneSuccession> MadeFrom);

/// <summary>
/// <c>GET /api/registry/admin-units?q=dak lak&amp;on=2024-05-01&amp;level=commune</c> (names typed with or without
/// diacritics; <c>on</c> defaults to today) and <c>GET /api/registry/admin-units/{level}/{code}?on=…</c>.
/// </summary>
internal static class SearchAdministrativeUnitsEndpoint
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/registry/admin-units").WithTags("Registry");
        group.MapGet("/", SearchAsync);
        group.MapGet("/{level}/{code}", GetAsync);
    }

    private static async Task<Results<Ok<IReadOnlyList<AdministrativeUnit>>, ValidationProblem>> SearchAsync(
        IAdministrativeUnits units, TimeProvider clock, string? q, string? on, string? level, int? count, CancellationToken cancellationToken)
    {
        if (!TryDay(on, clock, out var day) || !TryLevel(level, out var parsed))
        {
            return Invalid();
        }

        return TypedResults.Ok(await units.SearchAsync(q ?? string.Empty, day, parsed, Math.Clamp(count ?? 20, 1, 200), cancellationToken));
    }

    private static async Task<Results<Ok<AdministrativeUnitDetail>, NotFound, ValidationProblem>> GetAsync(
        IAdministrativeUnits units, TimeProvider clock, string level, string code, string? on, CancellationToken cancellationToken)
    {
        if (!TryDay(on, clock, out var day) || !TryLevel(level, out var parsed) || parsed is not { } known)
        {
            return Invalid();
        }

        if (await units.FindAsync(known, code, day, cancellationToken) is not { } unit)
        {
            return TypedResults.NotFound();
        }

        var became = unit.Level == AdministrativeLevel.Commune && unit.ValidTo is not null ? await units.SuccessorsAsync(code, cancellationToken) : [];
        var madeFrom = unit.Level == AdministrativeLevel.Commune && unit.ValidTo is null ? await units.PredecessorsAsync(code, cancellationToken) : [];
        return TypedResults.Ok(new AdministrativeUnitDetail(unit, became, madeFrom));
    }

    private static bool TryDay(string? text, TimeProvider clock, out DateOnly day)
    {
        if (string.IsNullOrEmpty(text))
        {
            day = DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(TimeSpan.FromHours(7)).DateTime); // today in Vietnam
            return true;
        }

        return DateOnly.TryParseExact(text, ["yyyy-MM-dd", "dd/MM/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static bool TryLevel(string? text, out AdministrativeLevel? level)
    {
        level = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (Enum.TryParse<AdministrativeLevel>(text, ignoreCase: true, out var parsed) && !int.TryParse(text, out _))
        {
            level = parsed;
            return true;
        }

        return false;
    }

    private static ValidationProblem Invalid() => TypedResults.ValidationProblem(new Dictionary<string, string[]>
    {
        ["query"] = ["on is a day (yyyy-MM-dd or dd/MM/yyyy); level is province, district or commune."],
    });
}
