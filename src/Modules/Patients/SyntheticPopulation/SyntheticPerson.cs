namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>A generated person as they really are; source records are written from it, with or without distortions.</summary>
internal sealed class SyntheticPerson
{
    public required string Id { get; init; }

    public required string HouseholdId { get; init; }

    public required string Family { get; init; }

    public required string Middle { get; init; }

    public required string Given { get; init; }

    public required bool Female { get; init; }

    public required DateOnly BirthDate { get; init; }

    public required string PersonalId { get; init; }

    public required string Bhxh { get; init; }

    public BhytCard? Card { get; set; }

    /// <summary>The card held the year before, with another beneficiary group (same BHXH number).</summary>
    public BhytCard? PreviousCard { get; set; }

    /// <summary>Their own mobile, or for a child the parent's that facilities write down.</summary>
    public string? Phone { get; init; }

    /// <summary>A number they used before (for a child, the other parent's).</summary>
    public string? OtherPhone { get; init; }

    public required LegacyCommune Commune { get; init; }

    public required string CurrentCommune { get; init; }

    public required string AddressLine { get; init; }

    public PersonRelation Relation { get; set; }

    public string? RelatedPersonId { get; set; }

    /// <summary>1 or 2 for twins (Patient.multipleBirthInteger).</summary>
    public int? BirthOrder { get; set; }

    /// <summary>For a newborn: the mother's full name, which the birth hospital's temporary record carries.</summary>
    public string? MotherName { get; init; }

    public string FullName => $"{Family} {Middle} {Given}";

    public int AgeOn(DateOnly day) => day.Year - BirthDate.Year - (day < BirthDate.AddYears(day.Year - BirthDate.Year) ? 1 : 0);
}

/// <summary>A health facility that registers patients: its 5-character mã cơ sở KCB and what kind of place it is.</summary>
internal sealed record Facility(string Code, string Name, FacilityKind Kind, string? Commune);

internal enum FacilityKind
{
    CommuneStation,
    Hospital,
    PrivateClinic,
}
