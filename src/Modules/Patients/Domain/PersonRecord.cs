namespace YTeSo.Patients.Domain;

/// <summary>
/// One source Patient reduced to what identifies a person, as the matcher compares it. Values are already cleaned:
/// identifiers validated (invalid ones are left out), phones in national form, communes translated to today's units.
/// It is serialised into the MPI's own tables, so it stays a plain record of strings and numbers.
/// </summary>
public sealed record PersonRecord
{
    /// <summary>The source record, <c>Patient/{id}</c>.</summary>
    public required string Key { get; init; }

    /// <summary>The facility that sent it (5-character mã cơ sở KCB), when known.</summary>
    public string? FacilityCode { get; init; }

    /// <summary>The 12-digit số định danh cá nhân (CCCD), when structurally valid.</summary>
    public string? PersonalId { get; init; }

    /// <summary>The old 9-digit CMND, a legacy identifier.</summary>
    public string? LegacyId { get; init; }

    /// <summary>The 10-digit mã số BHXH, given alone or taken from a BHYT card.</summary>
    public string? SocialInsuranceNumber { get; init; }

    /// <summary>The 15-character BHYT card numbers the person held, over time.</summary>
    public IReadOnlyList<string> InsuranceCards { get; init; } = [];

    public string? Passport { get; init; }

    /// <summary>Patient numbers (MA_BN) scoped by the facility that issued them.</summary>
    public IReadOnlyList<FacilityNumber> FacilityNumbers { get; init; } = [];

    /// <summary>The full name as recorded, NFC, in Vietnamese order (family, middle, given): "Nguyễn Văn An".</summary>
    public string FullName { get; init; } = "";

    public PartialDate? BirthDate { get; init; }

    public PersonSex Sex { get; init; }

    /// <summary>Phone numbers in national form (0 followed by 9 digits).</summary>
    public IReadOnlyList<string> Phones { get; init; } = [];

    /// <summary>Commune codes of today's units (5 digits, after the 1 July 2025 reform); older codes translated.</summary>
    public IReadOnlyList<string> Communes { get; init; } = [];

    /// <summary>Birth order for twins and other multiple births (Patient.multipleBirth), when recorded.</summary>
    public int? BirthOrder { get; init; }

    /// <summary>
    /// A temporary identity (newborn without a name yet, unidentified emergency, foreigner without documents): never
    /// linked automatically, only by a reviewer or a merge.
    /// </summary>
    public bool IsTemporary { get; init; }
}

/// <summary>A patient number (MA_BN) and the facility that issued it.</summary>
public sealed record FacilityNumber(string FacilityCode, string Value);

/// <summary>
/// A birth date that may be known only to the year or month (MoH formats write unknown parts as <c>00</c>/<c>0000</c>:
/// "19800000" is "born in 1980").
/// </summary>
public readonly record struct PartialDate(int Year, int? Month = null, int? Day = null);

public enum PersonSex
{
    Unknown,
    Male,
    Female,
    Other,
}
