namespace YTeSo.Fhir.DemoData;

/// <summary>A commune-level unit (xã or phường) after the 1 July 2025 reform.</summary>
// LegacyProvinceCode is the pre-2025 province the commune came from; vn-standards §4.2/§8.1: CCCD prefixes
// and BHYT card province digits keep the old 63-province codes.
internal sealed record Commune(string Code, string Type, string ShortName, string LegacyProvinceCode, double Latitude, double Longitude)
{
    public string Name => $"{Type} {ShortName}";
}

internal enum FacilityKind
{
    ProvincialHospital,
    RegionalHealthCentre,
    CommuneStation,
}

internal sealed record Facility(string Code, string Name, FacilityKind Kind, Commune Commune)
{
    public string OrganizationId => $"cs-{Code}";

    public string LocationId => $"dd-{Code}";
}

/// <summary>
/// The demo province, Đắk Lắk (code 66), which on 1 July 2025 absorbed Phú Yên (old code 54).
/// Codes, names and centroids are from the Statistics Office list of 2025 units (vn-standards §8.2);
/// they are embedded so the demo runs without the shared data files.
/// </summary>
internal static class DemoProvince
{
    public const string Code = "66";

    public const string Name = "Tỉnh Đắk Lắk";

    // vn-standards §8.1: old codes that survive in CCCD and BHYT numbers.
    public const string LegacyDakLakCode = "66";

    public const string LegacyPhuYenCode = "54";

    public static readonly IReadOnlyList<Commune> Communes =
    [
        new("24133", "Phường", "Buôn Ma Thuột", LegacyDakLakCode, 12.7089, 108.028),
        new("24121", "Phường", "Tân Lập", LegacyDakLakCode, 12.6647, 108.097),
        new("24154", "Phường", "Thành Nhất", LegacyDakLakCode, 12.657, 107.98),
        new("24163", "Phường", "Tân An", LegacyDakLakCode, 12.7203, 108.11),
        new("24169", "Phường", "Ea Kao", LegacyDakLakCode, 12.6109, 108.048),
        new("24175", "Xã", "Hòa Phú", LegacyDakLakCode, 12.6162, 107.958),
        new("24305", "Phường", "Buôn Hồ", LegacyDakLakCode, 12.8944, 108.251),
        new("24259", "Xã", "Quảng Phú", LegacyDakLakCode, 12.7911, 108.071),
        new("24280", "Xã", "Cư M'gar", LegacyDakLakCode, 12.8706, 108.069),
        new("24373", "Xã", "Ea Kar", LegacyDakLakCode, 12.7996, 108.468),
        new("24490", "Xã", "Krông Pắc", LegacyDakLakCode, 12.7028, 108.301),
        new("24538", "Xã", "Krông Ana", LegacyDakLakCode, 12.4486, 108.013),
        new("24235", "Xã", "Buôn Đôn", LegacyDakLakCode, 12.9312, 107.679),
        new("24184", "Xã", "Ea H'Leo", LegacyDakLakCode, 13.3407, 108.095),
        new("24595", "Xã", "Đắk Liêng", LegacyDakLakCode, 12.3907, 108.091),
        new("22015", "Phường", "Tuy Hòa", LegacyPhuYenCode, 13.0799, 109.289),
        new("22045", "Phường", "Bình Kiến", LegacyPhuYenCode, 13.1366, 109.252),
        new("22051", "Phường", "Sông Cầu", LegacyPhuYenCode, 13.4394, 109.298),
        new("22081", "Xã", "Đồng Xuân", LegacyPhuYenCode, 13.391, 109.094),
        new("22147", "Xã", "Ô Loan", LegacyPhuYenCode, 13.2533, 109.253),
        new("22165", "Xã", "Sơn Hòa", LegacyPhuYenCode, 13.106, 108.991),
        new("22258", "Phường", "Đông Hòa", LegacyPhuYenCode, 12.9607, 109.316),
        new("22319", "Xã", "Phú Hòa 1", LegacyPhuYenCode, 13.0296, 109.176),
    ];

    // Facility codes are demo values: 2-digit province code + 3 digits, like the 5-character MA_CSKCB.
    public static readonly IReadOnlyList<Facility> Facilities = CreateFacilities();

    public static Commune CommuneByCode(string code) => Communes.First(c => c.Code == code);

    public static Facility StationOf(Commune commune) =>
        Facilities.First(f => f.Kind == FacilityKind.CommuneStation && f.Commune == commune);

    public static Facility HospitalFor(Commune commune) =>
        Facilities.First(f => f.Kind == FacilityKind.ProvincialHospital && f.Commune.LegacyProvinceCode == commune.LegacyProvinceCode);

    /// <summary>The nearest regional health centre; with no districts (§8.1) catchments are by distance.</summary>
    public static Facility HealthCentreFor(Commune commune) =>
        Facilities
            .Where(f => f.Kind == FacilityKind.RegionalHealthCentre)
            .MinBy(f => Math.Pow(f.Commune.Latitude - commune.Latitude, 2) + Math.Pow(f.Commune.Longitude - commune.Longitude, 2))!;

    private static List<Facility> CreateFacilities()
    {
        List<Facility> facilities =
        [
            new("66001", "Bệnh viện Đa khoa tỉnh Đắk Lắk", FacilityKind.ProvincialHospital, CommuneByCode("24133")),
            new("66002", "Bệnh viện Đa khoa Phú Yên", FacilityKind.ProvincialHospital, CommuneByCode("22015")),
            new("66003", "Trung tâm Y tế khu vực Buôn Hồ", FacilityKind.RegionalHealthCentre, CommuneByCode("24305")),
            new("66004", "Trung tâm Y tế khu vực Ea Kar", FacilityKind.RegionalHealthCentre, CommuneByCode("24373")),
            new("66005", "Trung tâm Y tế khu vực Krông Pắc", FacilityKind.RegionalHealthCentre, CommuneByCode("24490")),
            new("66006", "Trung tâm Y tế khu vực Sông Cầu", FacilityKind.RegionalHealthCentre, CommuneByCode("22051")),
            new("66007", "Trung tâm Y tế khu vực Sơn Hòa", FacilityKind.RegionalHealthCentre, CommuneByCode("22165")),
        ];
        for (var i = 0; i < Communes.Count; i++)
        {
            var commune = Communes[i];
            var code = $"{Code}{101 + i}";
            facilities.Add(new(code, $"Trạm Y tế {commune.Type.ToLowerInvariant()} {commune.ShortName}", FacilityKind.CommuneStation, commune));
        }

        return facilities;
    }
}
