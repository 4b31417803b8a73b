using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Identifiers;

namespace YTeSo.UnitTests.Patients;

/// <summary>vn-standards §4: every validator with valid and invalid examples. All numbers are invented.</summary>
public sealed class IdentifierValidatorTests
{
    [Theory]
    [InlineData("001085000123", "001085000123")]
    [InlineData("079 301 004 567", "079301004567")]
    [InlineData("096.199.000.101", "096199000101")]
    public void A_CCCD_of_twelve_digits_with_a_known_province_is_valid(string typed, string expected)
    {
        var check = Cccd.Check(typed);

        Assert.True(check.IsValid);
        Assert.Equal(expected, check.Value);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("00108500012", "has 11")]
    [InlineData("0010850001234", "has 13")]
    [InlineData("00108500012A", "only digits")]
    [InlineData("003085000123", "'003' is not one")]
    [InlineData("101085000123", "'101' is not one")]
    [InlineData("097085000123", "'097' is not one")]
    [InlineData("123456789", "old CMND")]
    public void A_malformed_CCCD_is_rejected_with_a_precise_message(string typed, string expected)
    {
        var check = Cccd.Check(typed);

        Assert.False(check.IsValid);
        Assert.Contains(expected, Assert.Single(check.Problems), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("001085000123", PersonSex.Male, 1985)]
    [InlineData("001185000123", PersonSex.Female, 1985)]
    [InlineData("001205000123", PersonSex.Male, 2005)]
    [InlineData("001312000123", PersonSex.Female, 2012)]
    [InlineData("001400000123", PersonSex.Male, 2100)]
    public void The_fourth_digit_of_a_CCCD_gives_sex_and_century(string cccd, PersonSex sex, int year) =>
        Assert.Equal((sex, year), Cccd.Decode(cccd));

    [Fact]
    public void A_CCCD_whose_sex_digit_disagrees_with_the_recorded_sex_is_flagged()
    {
        var check = Cccd.Check("001085000123", PersonSex.Female, 1985);

        Assert.True(check.IsValid);
        Assert.Contains("says male, but the record says female", Assert.Single(check.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_CCCD_whose_century_digit_disagrees_with_the_birth_year_is_flagged()
    {
        var check = Cccd.Check("001285000123", PersonSex.Male, 1985);

        Assert.Contains("birth year 2085, but the record says 1985", Assert.Single(check.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_CCCD_that_agrees_with_sex_and_birth_year_has_no_warnings() =>
        Assert.Empty(Cccd.Check("001185000123", PersonSex.Female, 1985).Warnings);

    [Fact]
    public void A_CCCD_born_in_the_future_is_rejected() =>
        Assert.False(Cccd.Check("001230000123", currentYear: 2026).IsValid);

    [Fact]
    public void The_birth_registration_province_is_one_of_the_63_old_provinces()
    {
        Assert.Equal(63, OldProvinceCodes.Names.Count);
        Assert.Equal(("079", "Hồ Chí Minh"), Cccd.Province("079301004567"));
        Assert.Equal(("027", "Bắc Ninh"), Cccd.Province("027301004567"));
    }

    [Theory]
    [InlineData("123456789", true)]
    [InlineData(" 123 456 789 ", true)]
    [InlineData("12345678", false)]
    [InlineData("12345678X", false)]
    [InlineData("001085000123", false)]
    public void A_CMND_has_nine_digits(string typed, bool valid) => Assert.Equal(valid, Cmnd.Check(typed).IsValid);

    [Theory]
    [InlineData("DN4010123456789", "DN4010123456789")]
    [InlineData("dn 4 01 0123456789", "DN4010123456789")]
    [InlineData("TE1790123456789", "TE1790123456789")]
    [InlineData("CA5960123456789", "CA5960123456789")]
    public void A_BHYT_card_in_any_case_and_spacing_is_normalised(string typed, string expected) =>
        Assert.Equal(expected, Bhyt.Check(typed).Value);

    [Theory]
    [InlineData("ZZ4010123456789", "'ZZ' is not a known group")]
    [InlineData("DN6010123456789", "benefit level 1-5")]
    [InlineData("DN0010123456789", "benefit level 1-5")]
    [InlineData("DN4030123456789", "'03' is not one")]
    [InlineData("DN4970123456789", "'97' is not one")]
    [InlineData("DN40101234567AB", "10-digit mã số BHXH")]
    [InlineData("DN401012345678", "this one has 14")]
    public void A_malformed_BHYT_card_is_rejected_with_the_position_at_fault(string typed, string expected) =>
        Assert.Contains(expected, Assert.Single(Bhyt.Check(typed).Problems), StringComparison.Ordinal);

    [Fact]
    public void A_ten_digit_card_number_is_accepted_only_under_the_new_card_design()
    {
        Assert.True(Bhyt.Check("0123456789", new DateOnly(2024, 5, 1)).IsValid);
        Assert.False(Bhyt.Check("0123456789", new DateOnly(2019, 5, 1)).IsValid);
    }

    [Fact]
    public void The_BHXH_number_is_the_last_ten_characters_of_a_card() =>
        Assert.Equal("0123456789", Bhyt.SocialInsuranceNumberOf("DN4010123456789"));

    [Theory]
    [InlineData("0123456789", "0123456789")]
    [InlineData("01 2345 6789", "0123456789")]
    [InlineData("DN4010123456789", "0123456789")]
    [InlineData("012345678", null)]
    [InlineData("01234567AB", null)]
    public void A_BHXH_number_has_ten_digits(string typed, string? expected) =>
        Assert.Equal(expected, Bhxh.Check(typed).Value);

    [Theory]
    [InlineData("01001", "BN-2026-0001", true)]
    [InlineData("79A01", "123", true)]
    [InlineData("0100", "123", false)]
    [InlineData("01001", "  ", false)]
    public void A_facility_patient_number_needs_a_five_character_facility(string facility, string value, bool valid) =>
        Assert.Equal(valid, FacilityPatientNumber.Check(facility, value).IsValid);

    [Fact]
    public void Facility_patient_number_systems_carry_the_facility_code()
    {
        var system = IdentifierSystems.FacilityPatientNumber("01001");

        Assert.Equal("https://yteso.vn/fhir/sid/ma-bn/01001", system);
        Assert.Equal("01001", IdentifierSystems.FacilityOfPatientNumberSystem(system));
        Assert.Null(IdentifierSystems.FacilityOfPatientNumberSystem(IdentifierSystems.PersonalId));
    }

    [Theory]
    [InlineData("c1234567", "C1234567", true)]
    [InlineData("X12 34 56", "X123456", false)]
    [InlineData("K9", null, false)]
    [InlineData("C123/4567", null, false)]
    public void A_passport_number_is_letters_and_digits(string typed, string? expected, bool vietnamese)
    {
        var check = PassportNumber.Check(typed);

        Assert.Equal(expected, check.Value);
        Assert.Equal(vietnamese, check.Value is { } value && PassportNumber.LooksVietnamese(value));
    }

    [Theory]
    [InlineData(TemporaryKind.Newborn, "SS-01001-2026120201")]
    [InlineData(TemporaryKind.UnidentifiedEmergency, "CC-01001-2026120201")]
    [InlineData(TemporaryKind.Foreigner, "NN-01001-2026120201")]
    public void A_temporary_identifier_round_trips_its_kind(TemporaryKind kind, string expected)
    {
        var value = TemporaryIdentifier.Create(kind, "01001", "2026120201");

        Assert.Equal(expected, value);
        Assert.True(TemporaryIdentifier.TryParse(value, out var parsed, out var facility, out _));
        Assert.Equal((kind, "01001"), (parsed, facility));
    }

    [Theory]
    [InlineData("XX-01001-1")]
    [InlineData("SS-0100-1")]
    [InlineData("SS-01001-")]
    [InlineData("newborn")]
    public void A_malformed_temporary_identifier_is_rejected(string value) =>
        Assert.False(TemporaryIdentifier.Check(value).IsValid);

    [Theory]
    [InlineData("0912345678", "0912345678")]
    [InlineData("+84 912 345 678", "0912345678")]
    [InlineData("84912345678", "0912345678")]
    [InlineData("0084912345678", "0912345678")]
    [InlineData("0912.345.678", "0912345678")]
    [InlineData("(091) 234-5678", "0912345678")]
    [InlineData("912345678", "0912345678")]
    [InlineData("02623812345", "02623812345")]
    [InlineData("0112345678", null)]
    [InlineData("091234567", null)]
    [InlineData("+1 202 555 0100", null)]
    [InlineData("abc", null)]
    public void Phone_numbers_are_written_in_national_form(string typed, string? expected) =>
        Assert.Equal(expected, PhoneNumber.Normalize(typed));
}
