using YTeSo.Registry.Contracts;

namespace YTeSo.Registry.AdministrativeUnits;

/// <summary>One administrative unit as stored (see <see cref="AdministrativeUnit"/> for the meaning of each field).</summary>
internal sealed class AdministrativeUnitRow
{
    public long Id { get; set; }

    public string Code { get; set; } = string.Empty;

    /// <summary><see cref="AdministrativeLevel"/> by name (province, district, commune).</summary>
    public string Level { get; set; } = string.Empty;

    public string Type { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string? ParentCode { get; set; }

    public string ProvinceCode { get; set; } = string.Empty;

    public DateOnly? ValidFrom { get; set; }

    public DateOnly? ValidTo { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public AdministrativeUnit ToUnit() =>
        new(Code, Enum.Parse<AdministrativeLevel>(Level, ignoreCase: true), Type, Name, ParentCode, ProvinceCode, ValidFrom, ValidTo);
}

/// <summary>
/// A pre-reform commune and one commune it became (legacy-to-2025 mapping). Island districts that had no communes
/// (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, ...) became special zones (đặc khu) whole: their row names the district.
/// </summary>
internal sealed class CommuneSuccessionRow
{
    public long Id { get; set; }

    /// <summary>"commune", or "district" for a district without communes.</summary>
    public string LegacyLevel { get; set; } = "commune";

    public string LegacyCode { get; set; } = string.Empty;

    public string CurrentCode { get; set; } = string.Empty;

    /// <summary>The legacy commune was split across several current ones.</summary>
    public bool Divided { get; set; }
}
