namespace YTeSo.Fhir.DemoData;

/// <summary>A Vietnamese name in its natural order: family, middle, given ("Nguyễn Thị Lan").</summary>
internal sealed record PersonName(string Family, string Middle, string Given)
{
    public string Text => $"{Family} {Middle} {Given}";
}

/// <summary>
/// Draws synthetic names. Parts are combined at random, so any match with a real person is chance.
/// </summary>
internal static class VietnameseNames
{
    // Commonly cited national shares (Nguyễn ~38%, Trần ~12%, Lê ~9.5%, ...). Hoàng/Huỳnh and Vũ/Võ are one
    // name split by dialect; the South-Central Coast and Central Highlands lean to Huỳnh and Võ.
    private static readonly (string Value, double Weight)[] FamilyNames =
    [
        ("Nguyễn", 38.4), ("Trần", 12.1), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 2.5), ("Huỳnh", 2.6),
        ("Phan", 4.5), ("Vũ", 1.6), ("Võ", 2.3), ("Đặng", 2.1), ("Bùi", 2.0), ("Đỗ", 1.4), ("Hồ", 1.3),
        ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Trương", 1.0), ("Đinh", 0.6), ("Lương", 0.4),
        ("Mai", 0.4), ("Đào", 0.4), ("Cao", 0.3), ("Lâm", 0.3), ("Châu", 0.2),
    ];

    private static readonly string[] MaleMiddleNames = ["Hữu", "Minh", "Đức", "Quang", "Công", "Thành", "Xuân", "Ngọc", "Anh", "Gia", "Đình", "Quốc", "Tấn"];

    private static readonly string[] FemaleMiddleNames = ["Ngọc", "Thu", "Thanh", "Kim", "Minh", "Bảo", "Hồng", "Mai", "Phương", "Khánh", "Thùy", "Mỹ"];

    private static readonly string[] MaleGivenNames =
    [
        "An", "Bình", "Cường", "Dũng", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy", "Khánh", "Khoa", "Long",
        "Lộc", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến",
        "Trung", "Tuấn", "Việt", "Vinh", "Bảo", "Khôi", "Phát", "Toàn", "Lâm",
    ];

    private static readonly string[] FemaleGivenNames =
    [
        "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Huyền", "Lan", "Linh", "Loan", "Mai",
        "My", "Ngân", "Ngọc", "Nhung", "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thúy", "Trang", "Trinh",
        "Tuyết", "Uyên", "Vân", "Yến", "Hân", "Vy", "Nhi", "Diệp",
    ];

    public static PersonName Next(Random random, bool female, int birthYear)
    {
        var family = random.PickWeighted(FamilyNames);

        // "Văn" and "Thị" are the classic markers; they are much less common for people born after ~1990.
        var classicShare = birthYear < 1975 ? 0.75 : birthYear < 1995 ? 0.5 : 0.2;
        var middle = random.Chance(classicShare)
            ? (female ? "Thị" : "Văn")
            : random.Pick(female ? FemaleMiddleNames : MaleMiddleNames);

        string given;
        do
        {
            given = random.Pick(female ? FemaleGivenNames : MaleGivenNames);
        }
        while (given == middle);

        return new PersonName(family, middle, given);
    }
}
