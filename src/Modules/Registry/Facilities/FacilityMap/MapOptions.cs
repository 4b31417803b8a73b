using Microsoft.Extensions.Configuration;

namespace YTeSo.Registry.Facilities.FacilityMap;

/// <summary>
/// The map's settings (section <c>Registry</c>): <c>ProvinceCode</c>, the province this installation serves (its
/// boundary is drawn); <c>GeoDirectory</c>, a folder of province GeoJSON files named <c>{code}_{name}.geojson</c>
/// (default: <c>../shared/data/geo</c> beside the checkout when it exists; the files are never copied into the
/// repository); <c>MapTileUrl</c>, a tile URL template (<c>/tiles/{z}/{x}/{y}.png</c>), none by default so the map
/// works offline. The page's Content-Security-Policy allows images from the host only, so serve tiles from it.
/// </summary>
internal sealed record MapOptions(string? ProvinceCode, string? GeoDirectory, string? TileUrl)
{
    public static MapOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Registry");
        return new MapOptions(
            section["ProvinceCode"] is { Length: > 0 } code ? code : null,
            section["GeoDirectory"] is { Length: > 0 } folder ? folder : BesideTheCheckout(),
            section["MapTileUrl"] is { Length: > 0 } tiles ? tiles : null);
    }

    /// <summary>The province's boundary file, or null when there is none.</summary>
    public string? ProvinceFile() =>
        ProvinceCode is { Length: 2 } code && code.All(char.IsAsciiDigit) && GeoDirectory is { } folder && Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, $"{code}_*.geojson").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;

    private static string? BesideTheCheckout()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "YTeSo.slnx")))
            {
                var candidate = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "data", "geo"));
                return Directory.Exists(candidate) ? candidate : null;
            }
        }

        return null;
    }
}
