using YTeSo.Registry.Facilities;
using YTeSo.Registry.Facilities.RegisterFacility;

namespace YTeSo.UnitTests.Registry;

/// <summary>The facility profile's pure checks: the code's format, Vietnam's box, and a request's per-field problems.</summary>
public sealed class FacilityRulesTests
{
    [Theory]
    [InlineData("66001", true)]
    [InlineData("01001", true)]
    [InlineData("6600", false)]
    [InlineData("660011", false)]
    [InlineData("66O01", false)]
    [InlineData(" 6600", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_facility_code_is_exactly_five_digits(string? code, bool wellFormed)
    {
        Assert.Equal(wellFormed, FacilityVocabulary.FormatProblem(code) is null);
    }

    [Theory]
    [InlineData(12.71, 108.03, true)]   // Buôn Ma Thuột
    [InlineData(23.36, 105.32, true)]   // Lũng Cú, the northern tip
    [InlineData(8.6, 104.72, true)]     // Mũi Cà Mau
    [InlineData(16.5, 112.0, true)]     // Hoàng Sa
    [InlineData(8.64, 111.92, true)]    // Trường Sa
    [InlineData(108.03, 12.71, false)]  // latitude and longitude swapped
    [InlineData(-12.71, 108.03, false)] // a stray minus sign
    [InlineData(1.35, 103.8, false)]    // Singapore
    public void A_position_is_inside_Vietnam_only_within_its_box(double latitude, double longitude, bool inside)
    {
        Assert.Equal(inside, FacilityVocabulary.InsideVietnam(latitude, longitude));
    }

    [Fact]
    public void A_request_names_each_bad_field_and_a_good_one_has_no_problem()
    {
        var good = new RegisterFacilityRequest { Code = "66301", Name = "Phòng khám Hòa Bình", Type = "phong-kham", CommuneCode = "24133", Latitude = 12.7, Longitude = 108.0 };
        var bad = good with { Code = "6630", Name = " ", Type = "spa", Level = "huyen", CommuneCode = "2413", Longitude = null, Services = ["massage"], ActiveFrom = new(2024, 5, 1), ActiveTo = new(2024, 4, 1) };

        Assert.Empty(good.Problems(null));
        Assert.Equal(["activeTo", "code", "communeCode", "level", "longitude", "name", "services", "type"], bad.Problems(null).Keys.Order(StringComparer.Ordinal));
        Assert.Contains("differs from the code in the address", good.Problems("66302")["code"][0], StringComparison.Ordinal);
        Assert.Empty((good with { Code = null }).Problems("66302"));
    }
}
