using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Text;

namespace YTeSo.Registry.Facilities.SearchFacilities;

/// <summary>What to look for: words of the name (with or without diacritics) or a code, a type, a commune, a province.</summary>
public sealed record SearchFacilitiesRequest(string? Q = null, string? Type = null, string? Commune = null, string? Province = null, int Max = 500);

/// <summary>
/// Finds registry facilities (Organizations with a facility code) with their Location. A province has a few thousand
/// facilities, so every facility is read through the repository (one search with <c>_revinclude</c>, paged) and the
/// words are matched here, folded as the FHIR store folds strings, anywhere in the name; FHIR's own <c>name</c>
/// search matches only the start of the name.
/// </summary>
internal sealed class SearchFacilitiesHandler(IFhirRepository fhir)
{
    private const int PageSize = 500;

    public async Task<IReadOnlyList<FacilityResponse>> HandleAsync(FhirAccess access, SearchFacilitiesRequest request, CancellationToken cancellationToken)
    {
        var words = TextNormalizer.Fold(request.Q).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var all = await AllAsync(access, request.Type, cancellationToken);
        return
        [
            .. all
                .Where(f => request.Commune is not { Length: > 0 } commune || f.CommuneCode == commune)
                .Where(f => request.Province is not { Length: > 0 } province || f.ProvinceCode == province)
                .Where(f => words.Length == 0 || f.Code == request.Q?.Trim() || words.All(w => TextNormalizer.Fold(f.Name).Contains(w, StringComparison.Ordinal)))
                .OrderBy(f => f.Code, StringComparer.Ordinal)
                .Take(Math.Clamp(request.Max, 1, 5000)),
        ];
    }

    /// <summary>The facility with this code: the active Organization first, else the latest one stored.</summary>
    public async Task<(Organization Organization, Location? Location)?> FindAsync(FhirAccess access, string code, CancellationToken cancellationToken)
    {
        var page = await fhir.SearchAsync(access, "Organization", [Pair("identifier", $"{FacilityVocabulary.FacilityCodeSystem}|{code}"), Pair("_revinclude", "Location:organization"), Pair("_count", "20")], cancellationToken);
        var organization = page.Resources.OfType<Organization>().OrderBy(o => o.Active == false ? 1 : 0).FirstOrDefault();
        if (organization is null)
        {
            return null;
        }

        return (organization, LocationOf(organization, page.Included));
    }

    private async Task<List<FacilityResponse>> AllAsync(FhirAccess access, string? type, CancellationToken cancellationToken)
    {
        List<KeyValuePair<string, string>> parameters =
        [
            Pair("identifier", $"{FacilityVocabulary.FacilityCodeSystem}|"),
            Pair("_revinclude", "Location:organization"),
            Pair("_count", PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ];
        if (type is { Length: > 0 })
        {
            parameters.Add(Pair("type", $"{FacilityVocabulary.TypeSystem}|{type}"));
        }

        var facilities = new List<FacilityResponse>();
        IReadOnlyList<KeyValuePair<string, string>>? next = parameters;
        while (next is not null)
        {
            var page = await fhir.SearchAsync(access, "Organization", next, cancellationToken);
            facilities.AddRange(page.Resources.OfType<Organization>().Select(o => FacilityProfile.ToResponse(o, LocationOf(o, page.Included))));
            next = page.NextPageParameters;
        }

        return facilities;
    }

    private static Location? LocationOf(Organization organization, IReadOnlyList<Resource> included) =>
        included.OfType<Location>().FirstOrDefault(l => l.ManagingOrganization?.Reference == $"Organization/{organization.Id}" && FacilityProfile.ClaimsToBeFacility(l));

    private static KeyValuePair<string, string> Pair(string key, string value) => new(key, value);
}
