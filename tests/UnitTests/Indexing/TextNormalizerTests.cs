using YTeSo.Platform.Text;

namespace YTeSo.UnitTests.Indexing;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Nguyễn Văn An", "nguyen van an")]
    [InlineData("ĐẶNG  Thị   Hoà", "dang thi hoa")]
    [InlineData("Hòa", "hoa")]
    [InlineData("  Lê ", "le")]
    public void Folding_removes_marks_case_and_extra_spaces(string input, string expected)
    {
        Assert.Equal(expected, TextNormalizer.Fold(input));
    }

    [Fact]
    public void Two_spellings_of_the_same_tone_mark_placement_have_one_exact_form()
    {
        var composed = "Ho\u00e0";
        var decomposed = "Hoa\u0300";

        Assert.Equal(TextNormalizer.Exact(composed), TextNormalizer.Exact(decomposed));
    }
}
