using Hl7.Fhir.Model;

namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>
/// One generated source Patient with its ground truth: who it really is, the household they live in, and what was done
/// to the data when this record was written.
/// </summary>
internal sealed record SourceRecord(
    Patient Patient,
    string PersonId,
    string HouseholdId,
    string FacilityCode,
    Distortion Distortions,
    PersonRelation Relation,
    string? RelatedPersonId);

/// <summary>What a facility got wrong, or differently, when it registered the person (several can apply).</summary>
[Flags]
internal enum Distortion
{
    None = 0,
    Typo = 1 << 0,
    NoDiacritics = 1 << 1,
    WrongToneMark = 1 << 2,
    ToneMarkPlacement = 1 << 3,
    SpellingVariant = 1 << 4,
    SwappedNameOrder = 1 << 5,
    MissingMiddleName = 1 << 6,
    Nickname = 1 << 7,
    YearOnlyBirthDate = 1 << 8,
    DayMonthSwapped = 1 << 9,
    LegacyCommune = 1 << 10,
    ChangedPhone = 1 << 11,
    MissingCccd = 1 << 12,
    RenewedBhytCard = 1 << 13,
    NewbornTemporary = 1 << 14,
}

/// <summary>A hard non-match the person is part of: somebody else who looks very much like them.</summary>
internal enum PersonRelation
{
    None,

    /// <summary>A twin: same birth date, surname, address and phone.</summary>
    Twin,

    /// <summary>A parent and child with the same full name, address and often phone (the "Jr." case).</summary>
    Namesake,
}
