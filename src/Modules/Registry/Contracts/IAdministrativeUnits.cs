using System.Text.Json.Serialization;

namespace YTeSo.Registry.Contracts;

/// <summary>The three levels of Vietnamese administrative units; districts exist only before the 2025 reform.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AdministrativeLevel>))]
public enum AdministrativeLevel
{
    Province,
    District,
    Commune,
}

/// <summary>
/// One administrative unit as it was in force. Codes are the statistics office's (2-digit province, 3-digit district,
/// 5-digit commune) and are <b>reused</b> across the reform (new Bắc Ninh is 24, Bắc Giang's old code; new Phường Ba
/// Đình 00004 was Phường Trúc Bạch), so a code means something only together with a date.
/// </summary>
/// <param name="Code">The official code: 2 digits for a province, 3 for a district, 5 for a commune.</param>
/// <param name="Level">Province, district (before the reform only) or commune (xã, phường, thị trấn, đặc khu).</param>
/// <param name="Type">Xã, Phường, Thị trấn, Đặc khu, Quận, Huyện, Thị xã, Thành phố, Tỉnh.</param>
/// <param name="Name">The full name with its type ("Phường Ba Đình", "Tỉnh Đắk Lắk").</param>
/// <param name="ParentCode">The district (legacy communes), or the province (districts, and communes since the reform).</param>
/// <param name="ProvinceCode">The province the unit belongs to (the unit itself for a province).</param>
/// <param name="ValidFrom">First day in force; null when the list does not say (units older than the data).</param>
/// <param name="ValidTo">Last day in force; null while in force.</param>
public sealed record AdministrativeUnit(
    string Code,
    AdministrativeLevel Level,
    string Type,
    string Name,
    string? ParentCode,
    string ProvinceCode,
    DateOnly? ValidFrom,
    DateOnly? ValidTo)
{
    public bool InForceOn(DateOnly day) => (ValidFrom is null || ValidFrom <= day) && (ValidTo is null || day <= ValidTo);
}

/// <summary>
/// A legacy commune and one of the communes it became; <see cref="Divided"/> when it was split across several.
/// <see cref="Legacy"/> is a district for the island districts that had no communes and became special zones whole.
/// </summary>
public sealed record CommuneSuccession(AdministrativeUnit Legacy, AdministrativeUnit Current, bool Divided);

/// <summary>
/// Administrative units before and after the reform of 1 July 2025 (NQ 202/2025/QH15, QĐ 19/2025/QĐ-TTg: 63 provinces
/// with districts become 34 provinces with communes only), and the mapping between them, so an address or a statistic
/// dated before the reform stays readable and can be counted again under today's units.
/// </summary>
public interface IAdministrativeUnits
{
    /// <summary>The unit with this code and level in force on <paramref name="day"/>, or null.</summary>
    Task<AdministrativeUnit?> FindAsync(AdministrativeLevel level, string code, DateOnly day, CancellationToken cancellationToken);

    /// <summary>
    /// The commune(s) a pre-reform commune (5-digit code) became, several when it was split; for a 3-digit code, the
    /// special zone an island district without communes became. Empty when unknown.
    /// </summary>
    Task<IReadOnlyList<CommuneSuccession>> SuccessorsAsync(string legacyCode, CancellationToken cancellationToken);

    /// <summary>The pre-reform communes that make up a commune in force since the reform (whole or in part).</summary>
    Task<IReadOnlyList<CommuneSuccession>> PredecessorsAsync(string communeCode, CancellationToken cancellationToken);

    /// <summary>Units in force on <paramref name="day"/> whose name contains every word of <paramref name="text"/>, typed with or without diacritics.</summary>
    Task<IReadOnlyList<AdministrativeUnit>> SearchAsync(string text, DateOnly day, AdministrativeLevel? level, int max, CancellationToken cancellationToken);
}

/// <summary>Dates of the reform, from the resolutions.</summary>
public static class AdministrativeReform
{
    /// <summary>NQ 202/2025/QH15 and QĐ 19/2025/QĐ-TTg take effect: two tiers, 34 provinces.</summary>
    public static readonly DateOnly TwoTierFrom = new(2025, 7, 1);

    /// <summary>The last day of the three-tier structure.</summary>
    public static readonly DateOnly LastThreeTierDay = TwoTierFrom.AddDays(-1);
}
