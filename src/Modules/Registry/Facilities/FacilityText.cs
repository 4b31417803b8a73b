using System.Globalization;

namespace YTeSo.Registry.Facilities;

/// <summary>How the pages show the vocabulary and dates: Vietnamese displays unless the user chose English; dd/MM/yyyy.</summary>
internal static class FacilityText
{
    public static string Display(FacilityConcept concept) =>
        CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en" ? concept.English : concept.Display;

    public static string Day(DateOnly day) => day.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>Marker colours by facility type (distinct for colour-blind readers in the main pairs; the legend names each).</summary>
    public static readonly IReadOnlyDictionary<string, string> Colours = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["benh-vien"] = "#c62828",
        ["trung-tam-y-te"] = "#1565c0",
        ["tram-y-te"] = "#2e7d32",
        ["phong-kham"] = "#6a1b9a",
        ["nha-thuoc"] = "#ef6c00",
        ["diem-tiem-chung"] = "#00838f",
        ["co-so-khac"] = "#546e7a",
    };
}
