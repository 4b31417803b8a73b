using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.Domain.Names;

namespace YTeSo.UnitTests.Patients;

public sealed class ComparisonTests
{
    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dwayne", "duane", 0.84)]
    [InlineData("dixon", "dicksonx", 0.813)]
    [InlineData("nguyen", "nguyen", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    public void Jaro_winkler_gives_the_textbook_values(string a, string b, double expected) =>
        Assert.Equal(expected, JaroWinkler.Similarity(a, b), 3);

    [Theory]
    [InlineData("Nguyễn Văn An", "Nguyễn Văn An", "exact", "exact", "exact")]
    [InlineData("Nguyễn Văn An", "Nguyen Van An", "exact-folded", "exact-folded", "exact")]
    [InlineData("Huỳnh Thị Hoà", "Hoàng Thị Hòa", "variant", "exact", "exact")]
    [InlineData("Ngyuen Văn Bình", "Nguyễn Văn Bình", "variant", "exact", "exact")]
    [InlineData("Trần Văn Hùng", "Trần Văn Hưng", "exact", "exact", "fuzzy")]
    [InlineData("Trần Văn Phương", "Trần Văn Phuơng", "exact", "exact", "fuzzy")]
    [InlineData("Lê Thị Thu Hà", "Lê Thu Hà", "exact", "variant", "exact")]
    [InlineData("Lê Hà", "Lê Thị Hà", "exact", "missing", "exact")]
    [InlineData("Phạm Thị Quyên", "Phạm Thỵ Quyên", "exact", "variant", "exact")]
    [InlineData("Phạm Văn Bình", "Phạm Văn Minh", "exact", "exact", "different")]
    [InlineData("Phạm Văn Nam", "Phạm Văn Nma", "exact", "exact", "fuzzy")]
    [InlineData("Phạm Văn Đạt", "Phạm Văn Đtả", "exact", "exact", "fuzzy")]
    [InlineData("Phạm Văn Nam", "Phạm Văn Lam", "exact", "exact", "different")]
    [InlineData("Phạm Văn Tuấn", "Phạm Văn Bé", "exact", "exact", "nickname")]
    // The same words in another order compare as written in one order; family and given swapped with another change are a variant.
    [InlineData("An Văn Nguyễn", "Nguyễn Văn An", "exact", "exact", "exact")]
    [InlineData("Van An Nguyen", "Nguyễn Văn An", "exact-folded", "exact", "exact-folded")]
    [InlineData("An Nguyễn", "Nguyễn Văn An", "variant", "missing", "variant")]
    public void Names_are_compared_part_by_part(string a, string b, string family, string middle, string given)
    {
        MatchEngine.CompareNames(PersonName.Parse(a), PersonName.Parse(b), out var f, out var m, out var g);

        Assert.Equal((family, middle, given), (MatchNames.Name(f), MatchNames.Name(m), MatchNames.Name(g)));
    }

    [Theory]
    [InlineData(1980, 5, 12, 1980, 5, 12, "exact")]
    [InlineData(1980, 5, 12, 1980, 5, null, "month")]
    [InlineData(1980, 5, 12, 1980, null, null, "year")]
    [InlineData(1980, 5, 12, 1980, 5, 13, "typo")]
    [InlineData(1980, 5, 12, 1980, 12, 5, "typo")]
    [InlineData(1980, 5, 12, 1981, 5, 12, "typo")]
    [InlineData(1980, 5, 12, 1990, 5, 12, "typo")]
    [InlineData(1980, 5, 12, 1982, null, null, "near")]
    [InlineData(1980, 5, 12, 1986, null, null, "different")]
    [InlineData(1980, 5, 12, 1980, 8, 30, "different")]
    [InlineData(1950, 1, 1, 1950, 1, 1, "year")]
    public void Birth_dates_compare_with_partial_and_estimated_dates(int y1, int? m1, int? d1, int y2, int? m2, int? d2,
        string expected) =>
        Assert.Equal(expected, MatchNames.Name(FieldComparers.BirthDate(new PartialDate(y1, m1, d1), new PartialDate(y2, m2, d2))));

    [Fact]
    public void An_unknown_birth_date_is_missing() =>
        Assert.Equal(MatchLevel.Missing, FieldComparers.BirthDate(null, new PartialDate(1980)));

    [Theory]
    [InlineData(PersonSex.Male, PersonSex.Male, "equal")]
    [InlineData(PersonSex.Male, PersonSex.Female, "different")]
    [InlineData(PersonSex.Unknown, PersonSex.Female, "missing")]
    public void Sex_is_equal_different_or_missing(PersonSex a, PersonSex b, string expected) =>
        Assert.Equal(expected, MatchNames.Name(FieldComparers.Sex(a, b)));

    [Fact]
    public void Phones_and_communes_agree_when_the_sets_overlap()
    {
        Assert.Equal(MatchLevel.Equal, FieldComparers.Overlap(["0912345678", "0987654321"], ["0987654321"]));
        Assert.Equal(MatchLevel.Different, FieldComparers.Overlap(["00097"], ["00100"]));
        Assert.Equal(MatchLevel.Missing, FieldComparers.Overlap([], ["00100"]));
    }

    [Fact]
    public void Identifiers_are_equal_different_or_missing()
    {
        Assert.Equal(MatchLevel.Equal, FieldComparers.Identifier("001085000123", "001085000123"));
        Assert.Equal(MatchLevel.Different, FieldComparers.Identifier("001085000123", "001085000124"));
        Assert.Equal(MatchLevel.Missing, FieldComparers.Identifier(null, "001085000124"));
    }

    [Fact]
    public void Facility_numbers_compare_only_within_one_facility()
    {
        FacilityNumber[] a = [new("01001", "BN1"), new("01002", "X7")];

        Assert.Equal(MatchLevel.Equal, FieldComparers.FacilityNumbers(a, [new("01002", "X7")]));
        Assert.Equal(MatchLevel.Different, FieldComparers.FacilityNumbers(a, [new("01001", "BN2")]));
        Assert.Equal(MatchLevel.Missing, FieldComparers.FacilityNumbers(a, [new("79001", "BN1")]));
    }

    [Fact]
    public void A_shared_common_family_name_weighs_less_than_a_rare_one()
    {
        var frequencies = NameFrequencies.Default;

        Assert.True(frequencies.FamilyShare("Nguyễn") > 0.3);
        Assert.True(frequencies.FamilyShare("Huỳnh") == frequencies.FamilyShare("Hoàng"));
        Assert.True(frequencies.GivenShare("Anh") > 10 * frequencies.GivenShare("Khuê"));
    }

    [Fact]
    public void Frequencies_counted_on_records_reflect_the_records()
    {
        PersonRecord[] records =
        [
            new() { Key = "Patient/1", FullName = "Đinh Văn Sáu" },
            new() { Key = "Patient/2", FullName = "Đinh Thị Sáu" },
            new() { Key = "Patient/3", FullName = "Lò Văn Pao" },
            new() { Key = "Patient/4", FullName = "Đinh Văn Pao" },
        ];

        var frequencies = NameFrequencies.From(records);

        Assert.Equal(0.75, frequencies.FamilyShare("Dinh"), 6);
        Assert.Equal(0.5, frequencies.GivenShare("Sau"), 6);
        Assert.Equal(0.75, frequencies.MiddleShare("Văn"), 6);
        Assert.Equal(0.2, frequencies.FamilyShare("Nguyễn"), 6);
    }
}
