namespace YTeSo.Registry.Facilities;

/// <summary>One coded value of a YTeSo code system: the code and its Vietnamese and English displays.</summary>
internal sealed record FacilityConcept(string Code, string Display, string English);

/// <summary>
/// The facility profile's vocabulary, in one place (docs/registry.md, "Facilities"): identifier systems, extensions and
/// the YTeSo code systems of facility types, levels and services, with Vietnamese displays.
/// </summary>
internal static class FacilityVocabulary
{
    /// <summary>Mã cơ sở khám bệnh, chữa bệnh (the 5-character MA_CSKCB of the BHYT files), as the demo data uses it.</summary>
    public const string FacilityCodeSystem = "https://yteso.vn/fhir/sid/ma-co-so-kcb";

    /// <summary>The operating licence (giấy phép hoạt động khám bệnh, chữa bệnh): number, with its validity as the identifier period.</summary>
    public const string LicenceSystem = "https://yteso.vn/fhir/sid/giay-phep-hoat-dong";

    public const string TypeSystem = "https://yteso.vn/fhir/CodeSystem/facility-type";

    public const string LevelSystem = "https://yteso.vn/fhir/CodeSystem/facility-level";

    public const string ServiceSystem = "https://yteso.vn/fhir/CodeSystem/facility-service";

    /// <summary>Address extension holding the 5-digit commune code (as the demo data's DemoFhir.Address writes it).</summary>
    public const string CommuneCodeExtension = "https://yteso.vn/fhir/StructureDefinition/commune-code";

    /// <summary>Organization extension (valueCodeableConcept, repeating): a service the facility is licensed to offer.</summary>
    public const string ServiceExtension = "https://yteso.vn/fhir/StructureDefinition/facility-service";

    /// <summary>Organization extension (valuePeriod): the days the facility operates; R4 Organization has only <c>active</c>.</summary>
    public const string ActivePeriodExtension = "https://yteso.vn/fhir/StructureDefinition/active-period";

    /// <summary>Types of facility (Luật Khám bệnh, chữa bệnh 2023 and the Department's own registers).</summary>
    public static readonly IReadOnlyList<FacilityConcept> Types =
    [
        new("benh-vien", "Bệnh viện", "Hospital"),
        new("trung-tam-y-te", "Trung tâm y tế", "Health centre"),
        new("tram-y-te", "Trạm y tế xã, phường", "Commune health station"),
        new("phong-kham", "Phòng khám", "Clinic"),
        new("nha-thuoc", "Nhà thuốc", "Pharmacy"),
        new("diem-tiem-chung", "Điểm tiêm chủng", "Vaccination point"),
        new("co-so-khac", "Cơ sở y tế khác", "Other facility"),
    ];

    /// <summary>Levels of management; since 1 July 2025 there is no district level (regional centres replace it).</summary>
    public static readonly IReadOnlyList<FacilityConcept> Levels =
    [
        new("trung-uong", "Trung ương", "Central"),
        new("tinh", "Tỉnh", "Province"),
        new("khu-vuc", "Khu vực", "Regional"),
        new("xa", "Xã, phường", "Commune"),
        new("tu-nhan", "Tư nhân", "Private"),
    ];

    public static readonly IReadOnlyList<FacilityConcept> Services =
    [
        new("kham-benh", "Khám bệnh", "Outpatient care"),
        new("cap-cuu", "Cấp cứu", "Emergency care"),
        new("noi-tru", "Điều trị nội trú", "Inpatient care"),
        new("xet-nghiem", "Xét nghiệm", "Laboratory"),
        new("chan-doan-hinh-anh", "Chẩn đoán hình ảnh", "Imaging"),
        new("san-khoa", "Sản khoa", "Obstetrics"),
        new("tiem-chung", "Tiêm chủng", "Immunization"),
        new("y-hoc-co-truyen", "Y học cổ truyền", "Traditional medicine"),
        new("phuc-hoi-chuc-nang", "Phục hồi chức năng", "Rehabilitation"),
        new("ban-thuoc", "Bán thuốc", "Dispensing"),
    ];

    /// <summary>
    /// Vietnam's mainland and islands, Hoàng Sa and Trường Sa included (about 8.18°N–23.40°N, 102.14°E–117.83°E),
    /// rounded outwards: a position outside it is a typing error (swapped latitude and longitude, a missing minus sign).
    /// </summary>
    public const double MinLatitude = 8.0, MaxLatitude = 23.5, MinLongitude = 102.0, MaxLongitude = 118.0;

    public static FacilityConcept? Type(string? code) => Types.FirstOrDefault(t => t.Code == code);

    public static FacilityConcept? Level(string? code) => Levels.FirstOrDefault(t => t.Code == code);

    public static FacilityConcept? Service(string? code) => Services.FirstOrDefault(t => t.Code == code);

    public static bool InsideVietnam(double latitude, double longitude) =>
        latitude is >= MinLatitude and <= MaxLatitude && longitude is >= MinLongitude and <= MaxLongitude;

    /// <summary>
    /// What is certain about a facility code: exactly 5 characters, all digits (the BHYT files' MA_CSKCB). The character
    /// set of QĐ 384/QĐ-BYT (2019) was not read (vn-standards), so nothing stricter is assumed; the first two digits
    /// are checked against the province codes by <see cref="FacilityWriteRule"/> when the Registry holds units.
    /// </summary>
    public static string? FormatProblem(string? code) =>
        code is { Length: 5 } && code.All(char.IsAsciiDigit)
            ? null
            : $"the facility code (mã cơ sở KCB) must be exactly 5 digits, not '{code}'";
}
