using YTeSo.Patients.Domain.Names;

namespace YTeSo.UnitTests.Patients;

public sealed class NameNormalizerTests
{
    [Theory]
    [InlineData("Hoà", "Hòa")]
    [InlineData("Hòa", "Hòa")]
    [InlineData("Thuý", "Thúy")]
    [InlineData("Khoá", "Khóa")]
    [InlineData("Thuỳ", "Thùy")]
    [InlineData("Xoè", "Xòe")]
    [InlineData("Hoàng", "Hoàng")]
    [InlineData("Nguyễn", "Nguyễn")]
    [InlineData("Quý", "Quý")]
    [InlineData("Quỳnh", "Quỳnh")]
    [InlineData("Giàng", "Giàng")]
    [InlineData("Trường", "Trường")]
    [InlineData("Huế", "Huế")]
    [InlineData("Ngoài", "Ngoài")]
    public void Tone_marks_are_placed_one_way(string typed, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(typed));

    [Fact]
    public void Decomposed_input_becomes_NFC()
    {
        var decomposed = "Nguyễn Văn Hoà".Normalize(System.Text.NormalizationForm.FormD);

        Assert.Equal("Nguyễn Văn Hòa", NameNormalizer.Normalize(decomposed));
    }

    [Theory]
    [InlineData("  nguyễn   văn  AN ", "Nguyễn Văn An")]
    [InlineData("TRẦN THỊ THU HÀ", "Trần Thị Thu Hà")]
    [InlineData("Lê-Văn, Tám", "Lê Văn Tám")]
    [InlineData("đỗ đức", "Đỗ Đức")]
    [InlineData("", "")]
    public void Case_whitespace_and_punctuation_are_normalised(string typed, string expected) =>
        Assert.Equal(expected, NameNormalizer.Normalize(typed));

    [Fact]
    public void The_fold_drops_marks_and_dd()
    {
        Assert.Equal("nguyen van duc", NameNormalizer.Fold("Nguyễn Văn Đức"));
        Assert.Equal(NameNormalizer.Fold("Hoà"), NameNormalizer.Fold("hòa"));
    }

    [Fact]
    public void A_name_parses_family_middle_given()
    {
        var name = PersonName.Parse("Nguyễn Thị Thu Hà");

        Assert.Equal("nguyễn", name.Family);
        Assert.Equal("thị thu", name.Middle);
        Assert.Equal("hà", name.Given);
        Assert.Equal("thi thu", name.MiddleFolded);
    }

    [Theory]
    [InlineData("Huỳnh", "Hoàng")]
    [InlineData("Võ", "Vũ")]
    [InlineData("Ngyuen", "Nguyễn")]
    [InlineData("Nguễn", "Nguyen")]
    [InlineData("Vy", "Vi")]
    [InlineData("Mỹ", "Mĩ")]
    [InlineData("Phước", "Phúc")]
    public void Regional_spelling_and_typing_variants_share_a_key(string a, string b) =>
        Assert.Equal(PersonName.Parse(a).GivenKey, PersonName.Parse(b).GivenKey);

    [Theory]
    [InlineData("Huy", "Hi")]
    [InlineData("Thanh", "Thịnh")]
    [InlineData("Duy", "Di")]
    public void Different_names_do_not_share_a_key(string a, string b) =>
        Assert.NotEqual(PersonName.Parse(a).GivenKey, PersonName.Parse(b).GivenKey);
}
