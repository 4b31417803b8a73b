namespace YTeSo.Patients.SyntheticPopulation;

/// <summary>Where a family comes from: surname shares and middle-name habits differ between North, Centre and South.</summary>
internal enum Region
{
    North,
    Centre,
    South,
}

/// <summary>
/// Name parts with rough frequencies. The surname shares follow the commonly cited national figures (Nguyễn about 38%,
/// Trần 11%, Lê 9.5%) split by region: Hoàng and Vũ are written Huỳnh and Võ in the South and South-Central Coast
/// (one name, two dialect forms). Parts are combined at random, so a match with a real person is chance.
/// </summary>
internal static class NameTables
{
    // Columns: North, Centre, South.
    private static readonly (string Name, double North, double Centre, double South)[] FamilyNames =
    [
        ("Nguyễn", 36, 38, 39), ("Trần", 11, 12, 12), ("Lê", 8, 12, 9), ("Phạm", 9, 6, 6), ("Hoàng", 5, 3, 0.5),
        ("Huỳnh", 0.2, 2, 5), ("Phan", 3, 6, 5), ("Vũ", 4, 0.8, 0.5), ("Võ", 0.3, 4, 4), ("Đặng", 2.5, 2, 2),
        ("Bùi", 3, 1.5, 1.5), ("Đỗ", 3, 1, 1.2), ("Hồ", 0.5, 3, 1.5), ("Ngô", 1.5, 1.2, 1.3), ("Dương", 1.2, 0.8, 1),
        ("Lý", 0.4, 0.3, 1), ("Trương", 0.6, 1.2, 1.3), ("Đinh", 1, 0.8, 0.5), ("Lương", 0.5, 0.4, 0.4),
        ("Mai", 0.5, 0.4, 0.5), ("Đào", 0.8, 0.3, 0.3), ("Cao", 0.4, 0.5, 0.3), ("Lâm", 0.2, 0.2, 0.8),
        ("Châu", 0.1, 0.3, 0.5), ("Tạ", 0.4, 0.2, 0.2), ("Tô", 0.3, 0.2, 0.3), ("Hà", 0.6, 0.3, 0.2),
        ("Thái", 0.2, 0.4, 0.3), ("Quách", 0.1, 0.1, 0.3), ("Triệu", 0.3, 0.1, 0.1), ("Kiều", 0.2, 0.1, 0.1),
        ("Lưu", 0.3, 0.2, 0.3), ("Khúc", 0.1, 0, 0), ("Doãn", 0.1, 0.05, 0), ("Nghiêm", 0.1, 0.05, 0.02),
        ("Từ", 0.1, 0.1, 0.1), ("Văn", 0.05, 0.1, 0.05), ("Thân", 0.1, 0.05, 0.02), ("La", 0.05, 0.05, 0.2),
    ];

    // "Văn" and "Thị" dominate older generations; newer ones prefer meaningful middle names.
    private static readonly (string Value, double Weight)[] MaleMiddleNames =
    [
        ("Hữu", 6), ("Minh", 10), ("Đức", 8), ("Quang", 6), ("Công", 5), ("Thành", 4), ("Xuân", 3), ("Ngọc", 2),
        ("Anh", 4), ("Gia", 5), ("Đình", 5), ("Quốc", 5), ("Tấn", 3), ("Trọng", 3), ("Thanh", 4), ("Hoàng", 4),
        ("Bảo", 5), ("Nhật", 3), ("Thế", 2), ("Duy", 3), ("Chí", 2), ("Khắc", 1), ("Phúc", 2), ("Hải", 2),
    ];

    private static readonly (string Value, double Weight)[] FemaleMiddleNames =
    [
        ("Ngọc", 10), ("Thu", 5), ("Thanh", 6), ("Kim", 5), ("Minh", 5), ("Bảo", 5), ("Hồng", 4), ("Mai", 3),
        ("Phương", 4), ("Khánh", 4), ("Thùy", 4), ("Mỹ", 3), ("Hoài", 2), ("Thảo", 2), ("Diệu", 2), ("Tuyết", 1),
        ("Bích", 2), ("Quỳnh", 2), ("Hà", 2), ("Yến", 1), ("Như", 3), ("Gia", 3), ("Ánh", 2), ("Lan", 1),
    ];

    // Several names here carry the oa/oe/uy syllables whose tone mark has two accepted placements (Hòa/Hoà, Thủy/Thuỷ).
    private static readonly (string Value, double Weight)[] MaleGivenNames =
    [
        ("An", 4), ("Bình", 4), ("Cường", 3), ("Dũng", 5), ("Đạt", 4), ("Đức", 4), ("Hải", 4), ("Hiếu", 4),
        ("Hoàng", 4), ("Hùng", 5), ("Huy", 6), ("Khánh", 3), ("Khoa", 4), ("Long", 4), ("Lộc", 3), ("Minh", 7),
        ("Nam", 6), ("Nghĩa", 3), ("Phong", 3), ("Phúc", 3), ("Quân", 4), ("Quang", 3), ("Sơn", 4), ("Tài", 3),
        ("Thắng", 3), ("Thành", 4), ("Tiến", 3), ("Trung", 4), ("Tuấn", 6), ("Việt", 3), ("Vinh", 3), ("Bảo", 3),
        ("Khôi", 3), ("Phát", 2), ("Toàn", 3), ("Lâm", 2), ("Hòa", 3), ("Thụy", 1), ("Hóa", 0.5), ("Tùng", 3),
        ("Kiên", 2), ("Duy", 3), ("Thái", 2), ("Hưng", 3), ("Trí", 2), ("Tâm", 2), ("Nhân", 2), ("Thịnh", 2),
        ("Hậu", 2), ("Tú", 2), ("Vũ", 2), ("Đông", 1), ("Thuận", 2), ("Kỳ", 1), ("Sang", 2), ("Tín", 1),
    ];

    private static readonly (string Value, double Weight)[] FemaleGivenNames =
    [
        ("Anh", 6), ("Chi", 3), ("Dung", 3), ("Giang", 3), ("Hà", 4), ("Hạnh", 3), ("Hằng", 4), ("Hoa", 4),
        ("Hương", 6), ("Huyền", 4), ("Lan", 5), ("Linh", 7), ("Loan", 2), ("Mai", 5), ("My", 3), ("Ngân", 3),
        ("Ngọc", 4), ("Nhung", 3), ("Oanh", 2), ("Phương", 5), ("Quỳnh", 3), ("Thảo", 5), ("Thu", 3),
        ("Thúy", 4), ("Thủy", 5), ("Trang", 6), ("Trinh", 2), ("Tuyết", 2), ("Uyên", 3), ("Vân", 3), ("Yến", 3),
        ("Hân", 3), ("Vy", 4), ("Nhi", 4), ("Diệp", 1), ("Hòa", 2), ("Lụa", 0.5), ("Xoan", 0.5), ("Hiền", 4),
        ("Liên", 2), ("Lý", 1), ("Thy", 2), ("Mỹ", 1), ("Nga", 3), ("Tâm", 2), ("Thoa", 2), ("Hoài", 1),
        ("Khuê", 1), ("Duyên", 2), ("Tiên", 2), ("Ngà", 1), ("Trâm", 2), ("Quyên", 2), ("Châu", 1), ("Loan", 1),
    ];

    /// <summary>Pet names ("tên ở nhà") that end up in records of young children, and birth-order names in the South.</summary>
    public static readonly string[] ChildNicknames =
    [
        "Bi", "Bin", "Bống", "Tí", "Tũn", "Su", "Na", "Mít", "Cún", "Ken", "Bơ", "Sóc", "Bông", "Cà Rốt", "Gạo",
        "Bắp", "Xu", "Mèo", "Heo", "Bé",
    ];

    public static readonly string[] AdultNicknames = ["Út", "Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tèo", "Tý"];

    public static string FamilyName(Random random, Region region) =>
        random.PickWeighted(FamilyNames, f => region switch
        {
            Region.North => f.North,
            Region.Centre => f.Centre,
            _ => f.South,
        }).Name;

    public static string MiddleName(Random random, bool female, int birthYear, Region region)
    {
        // Southern men keep "Văn" longer; the share falls for everyone born after about 1990.
        var classic = birthYear < 1975 ? 0.75 : birthYear < 1995 ? 0.5 : 0.15;
        if (!female && region == Region.South)
        {
            classic = Math.Min(0.9, classic + 0.1);
        }

        return random.Chance(classic)
            ? (female ? "Thị" : "Văn")
            : random.PickWeighted(female ? FemaleMiddleNames : MaleMiddleNames, m => m.Weight).Value;
    }

    public static string GivenName(Random random, bool female, string avoid)
    {
        string given;
        do
        {
            given = random.PickWeighted(female ? FemaleGivenNames : MaleGivenNames, g => g.Weight).Value;
        }
        while (given == avoid);

        return given;
    }
}
