using YTeSo.Registry.ImportAdministrativeUnits;

namespace YTeSo.UnitTests.Registry;

/// <summary>The published administrative-unit files as the importer reads them (small synthetic samples).</summary>
public sealed class AdministrativeUnitFilesTests
{
    private const string CurrentHeader = "province,ward,provinceShort,wardShort,wardType,provinceCode,provinceLat,provinceLon,wardCode,wardLat,wardLon,wardAreaKm2";

    [Fact]
    public void The_current_list_yields_its_provinces_and_communes_with_codes_padded_to_their_official_width()
    {
        var rows = AdministrativeUnitFiles.ReadCurrent(new StringReader($"""
            {CurrentHeader}
            Tỉnh Mẫu,Xã Một,Mẫu,Một,Xã,6,12.1,108.1,97,12.5,108.5,20.1
            Tỉnh Mẫu,"Phường Hai, Bắc",Mẫu,Hai,Phường,6,12.1,108.1,104,12.6,108.6,3.2
            """), "current.csv");

        var province = Assert.Single(rows, r => r.Level == "province");
        Assert.Equal(("06", "Tỉnh", "Tỉnh Mẫu"), (province.Code, province.Type, province.Name));
        var communes = rows.Where(r => r.Level == "commune").ToList();
        Assert.Equal(["00097", "00104"], communes.Select(c => c.Code));
        Assert.Equal("Phường Hai, Bắc", communes[1].Name);
        Assert.All(communes, c => Assert.Equal("06", c.ParentCode));
        Assert.Equal(12.5, communes[0].Latitude);
        Assert.All(rows, r => Assert.Equal(new DateOnly(2025, 7, 1), r.ValidFrom));
    }

    [Fact]
    public void The_three_tier_list_yields_provinces_districts_and_communes_ending_the_day_before_the_reform()
    {
        // The statistics office's export starts with a byte-order mark.
        var rows = AdministrativeUnitFiles.ReadLegacy(new StringReader("\uFEFF" + """
            Mã,Tên,Tên Tiếng Anh,Cấp,Mã QH,Quận Huyện,Mã TP,Tỉnh / Thành Phố
            00001,Phường Một,,Phường,001,Quận Mẫu,01,Thành phố Mẫu
            00002,Thị trấn Hai,,Thị trấn,002,Huyện Thử,01,Thành phố Mẫu
            """), "legacy.csv");

        Assert.Equal(["district", "district", "province"], rows.Where(r => r.Level != "commune").Select(r => r.Level).Order(StringComparer.Ordinal));
        Assert.Equal("Thành phố", rows.Single(r => r.Level == "province").Type);
        Assert.Equal(["Huyện", "Quận"], rows.Where(r => r.Level == "district").Select(r => r.Type).Order(StringComparer.Ordinal));
        Assert.Equal("002", rows.Single(r => r.Code == "00002").ParentCode);
        Assert.All(rows, r => Assert.Equal(new DateOnly(2025, 6, 30), r.ValidTo));
    }

    [Fact]
    public void The_mapping_reads_codes_stored_as_numbers_and_the_split_flag()
    {
        var (rows, districts) = AdministrativeUnitFiles.ReadSuccessions(new StringReader("""
            provinceCode,districtCode,districtType,district,wardCode,newWardCode,isDividedWard
            1,1,Quận,Quận Mẫu,1.0,00097,False
            1,1,Quận,Quận Mẫu,7.0,00097,True
            1,1,Quận,Quận Mẫu,7.0,00098,True
            31,318,Huyện,Huyện Đảo Mẫu,,11948,False
            """), "map.csv");

        Assert.Equal(
            [("commune", "00001", "00097", false), ("commune", "00007", "00097", true), ("commune", "00007", "00098", true), ("district", "318", "11948", false)],
            rows.Select(r => (r.LegacyLevel, r.LegacyCode, r.CurrentCode, r.Divided)));
        var island = Assert.Single(districts); // a district without communes: only the mapping names it
        Assert.Equal(("318", "Huyện Đảo Mẫu", "31"), (island.Code, island.Name, island.ProvinceCode));
    }

    [Theory]
    [InlineData("province,ward,wardType,provinceCode\nA,B,Xã,1\n", "current.csv, line 1: missing column(s) wardCode")]
    [InlineData(CurrentHeader + "\nTỉnh Mẫu,Xã Một,Mẫu,Một,Xã,6,12.1,108.1,97,12.5\n", "current.csv, line 2: 10 fields where the header has 12")]
    [InlineData(CurrentHeader + "\nTỉnh Mẫu,Xã Một,Mẫu,Một,Xã,6,12.1,108.1,9x7,12.5,108.5,1\n", "current.csv, line 2: '9x7' is not a code of at most 5 digits")]
    [InlineData(CurrentHeader + "\nTỉnh Mẫu,,Mẫu,Một,Xã,6,12.1,108.1,97,12.5,108.5,1\n", "current.csv, line 2: ward is empty")]
    [InlineData(CurrentHeader + "\nTỉnh Mẫu,\"Xã Một,Mẫu,Một,Xã,6,12.1,108.1,97,12.5,108.5,1\n", "current.csv, line 2: a quoted field is not closed")]
    [InlineData("", "current.csv, line 1: the file is empty")]
    public void A_bad_file_is_refused_naming_the_line_and_the_reason(string text, string message)
    {
        var error = Assert.Throws<AdministrativeUnitFileException>(() => AdministrativeUnitFiles.ReadCurrent(new StringReader(text), "current.csv"));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
