namespace YTeSo.Patients.Domain.Identifiers;

/// <summary>
/// FHIR <c>Identifier.system</c> URIs of the identifiers the MPI reads (docs/mpi.md, "Identifiers"). The first four are
/// the ones the demo data already writes (src/Fhir/DemoData/DemoFhirSystems.cs) and must not change.
/// </summary>
public static class IdentifierSystems
{
    public const string Base = "https://yteso.vn/fhir/sid/";

    /// <summary>Số định danh cá nhân / CCCD, 12 digits.</summary>
    public const string PersonalId = Base + "cccd";

    /// <summary>The old chứng minh nhân dân, 9 digits (legacy; a 12-digit CMND is a số định danh).</summary>
    public const string LegacyId = Base + "cmnd";

    /// <summary>Mã thẻ BHYT, 15 characters.</summary>
    public const string InsuranceCard = Base + "bhyt";

    /// <summary>Mã số BHXH, 10 digits, lifelong.</summary>
    public const string SocialInsurance = Base + "bhxh";

    /// <summary>Mã cơ sở KCB (facility code, 5 characters); identifies Organizations, not patients.</summary>
    public const string FacilityCode = Base + "ma-co-so-kcb";

    /// <summary>Passport number (Vietnamese or foreign).</summary>
    public const string Passport = Base + "passport";

    /// <summary>Prefix of the per-facility patient number systems: <c>…/sid/ma-bn/{facilityCode}</c>.</summary>
    public const string FacilityPatientNumberPrefix = Base + "ma-bn/";

    /// <summary>Temporary identities (newborn, unidentified emergency, foreigner without documents).</summary>
    public const string Temporary = Base + "temporary";

    public static string FacilityPatientNumber(string facilityCode) => FacilityPatientNumberPrefix + facilityCode;

    /// <summary>The facility code of a <c>…/sid/ma-bn/{facilityCode}</c> system, or null for any other system.</summary>
    public static string? FacilityOfPatientNumberSystem(string? system) =>
        system is not null && system.StartsWith(FacilityPatientNumberPrefix, StringComparison.Ordinal)
            && system.Length > FacilityPatientNumberPrefix.Length
            ? system[FacilityPatientNumberPrefix.Length..]
            : null;
}
