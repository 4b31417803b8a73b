using System.IO.Compression;
using System.Text;
using Hl7.Fhir.Model;
using YTeSo.Platform.Text;
using YTeSo.Registry.Terminology;
using YTeSo.Registry.Terminology.ImportCodeLists;
using YTeSo.Registry.Terminology.Index;
using YTeSo.Registry.Terminology.ShippedLists;

namespace YTeSo.UnitTests.Registry;

/// <summary>The $expand filter (words typed with or without diacritics), versions chosen by date, and the list readers.</summary>
public sealed class TerminologyIndexTests
{
    private const string VisitTypes = "https://yteso.vn/fhir/CodeSystem/ma-loai-kcb";

    [Theory]
    [InlineData("dai thao duong", true)]
    [InlineData("Đái tháo đường", true)]
    [InlineData("DAI THAO", true)]
    [InlineData("thao dai", true)]
    [InlineData("insu", true)]
    [InlineData("e11", true)]
    [InlineData("E11.9", true)]
    [InlineData("e12", false)]
    [InlineData("ao thao duong", false)]
    [InlineData("dai thao duong typ 2", false)]
    public void Every_word_of_the_filter_must_start_a_word_of_the_display_or_the_code(string filter, bool matches)
    {
        var concept = Concept("E11.9", "Đái tháo đường không phụ thuộc insulin, không có biến chứng");

        Assert.Equal(matches, ConceptFilter.Parse(filter).Matches(concept.FoldedCode, concept.Words));
    }

    [Fact]
    public void A_hyphenated_name_and_an_alias_are_found_by_their_parts()
    {
        var concept = Concept("23", "Bru-Vân Kiều");
        var filter = ConceptFilter.Parse("van kieu");

        Assert.True(filter.Matches(concept.FoldedCode, concept.Words));
        Assert.True(ConceptFilter.Parse("bru-van").Matches(concept.FoldedCode, concept.Words));
        Assert.Equal(["bru", "van", "kieu"], ConceptFilter.Words(TextNormalizer.Fold("Bru-Vân Kiều")));
    }

    [Fact]
    public void The_version_in_force_on_the_day_answers_and_a_named_version_wins()
    {
        var snapshot = Snapshot(ShippedCodeLists.Read().OfType<CodeSystem>());

        var july = snapshot.CodeSystem(VisitTypes, null, new DateOnly(2026, 7, 31), out _);
        var august = snapshot.CodeSystem(VisitTypes, null, new DateOnly(2026, 8, 1), out _);
        var named = snapshot.CodeSystem(VisitTypes, "824/QĐ-BYT-PL1", new DateOnly(2026, 9, 1), out _);
        var missing = snapshot.CodeSystem(VisitTypes, "1/2000", new DateOnly(2026, 9, 1), out var problem);

        Assert.Equal(("824/QĐ-BYT-PL1", 10), (july!.Version, july.Concepts.Count));
        Assert.Equal(("1804/QĐ-BYT", 16), (august!.Version, august.Concepts.Count));
        Assert.Equal("KCB từ xa", august.ByCode["14"].Display);
        Assert.False(july.ByCode.ContainsKey("14"));
        Assert.Equal("824/QĐ-BYT-PL1", named!.Version);
        Assert.Null(missing);
        Assert.Contains("no version '1/2000'", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_imported_icd10_list_is_preferred_to_the_shipped_sample_and_a_list_not_yet_in_force_is_not()
    {
        var sample = ShippedCodeLists.Read().OfType<CodeSystem>().Single(c => c.Url == TerminologySystems.Icd10);
        var full = (CodeSystem)sample.DeepCopy();
        full.Id = "icd-10-vn-full";
        full.Version = "full";
        full.Experimental = false;
        var future = (CodeSystem)full.DeepCopy();
        future.Id = "icd-10-vn-future";
        future.Version = "future";
        future.SetExtension(TerminologySystems.EffectivePeriodExtension, new Period { Start = "2030-01-01" });

        var onlySample = Snapshot([sample]).CodeSystem(TerminologySystems.Icd10, null, new DateOnly(2026, 12, 3), out _);
        var both = Snapshot([sample, full, future]).CodeSystem(TerminologySystems.Icd10, null, new DateOnly(2026, 12, 3), out _);
        var later = Snapshot([sample, full, future]).CodeSystem(TerminologySystems.Icd10, null, new DateOnly(2030, 1, 1), out _);

        Assert.True(onlySample!.Resource.Experimental);
        Assert.Equal("full", both!.Version);
        Assert.Equal("future", later!.Version);
    }

    [Fact]
    public void Every_shipped_list_reads_and_the_sample_holds_the_codes_the_platform_needs()
    {
        var resources = ShippedCodeLists.Read();
        var icd10 = resources.OfType<CodeSystem>().Single(c => c.Url == TerminologySystems.Icd10);
        var index = IndexedCodeSystem.Of(icd10);

        Assert.Equal(54, resources.OfType<CodeSystem>().Single(c => c.Id == "dan-toc-gso").Concept.Count);
        Assert.All(resources.OfType<CodeSystem>(), c => Assert.Contains(resources.OfType<ValueSet>(), v => v.Url == c.ValueSet));
        Assert.Equal(resources.Count, resources.Select(r => (r.TypeName, r.Id)).Distinct().Count());
        foreach (var (code, parent) in new[] { ("I10", "I10-I15"), ("E11.9", "E11"), ("E11", "E10-E14"), ("E10-E14", "IV"), ("U07.1", "U07"), ("A83.0", "A83") })
        {
            Assert.Equal(parent, index.ByCode[code].Parent);
        }
    }

    [Fact]
    public void An_icd10_workbook_is_read_like_the_csv_with_its_columns_found_by_header_name()
    {
        using var workbook = Workbook(
            ["Danh mục ICD-10"],
            ["Tên bệnh", "Mã bệnh", "Mã loại", "Mã nhóm chính", "Mã chương", "Disease name"],
            ["Tăng huyết áp vô căn (nguyên phát)", "I10", "I10", "I10-I15", "IX", "Essential (primary) hypertension"],
            ["Suy tim sung huyết", "I50.0", "I50", "I30-I52", "IX", "Congestive heart failure"]);

        var codeSystem = Icd10File.Read(workbook, "icd10.xlsx", Icd10Version.Moh4469);
        var index = IndexedCodeSystem.Of(codeSystem);

        Assert.Equal("Tăng huyết áp vô căn (nguyên phát)", index.ByCode["I10"].Display);
        Assert.Equal("I50", index.ByCode["I50.0"].Parent);
        Assert.Equal("I30-I52", index.ByCode["I50"].Parent);
        Assert.Equal("IX", index.ByCode["I30-I52"].Parent);
        Assert.Equal((1, 2, 2, 2), Icd10File.Count(codeSystem));
    }

    [Fact]
    public void A_code_list_with_a_bad_row_names_each_problem_with_its_line()
    {
        var text = "# id: x\n# url: https://example.org/x\n# version: 1\n# effective-from: 2026-13-01\ncode,display,parent,certainty\n1,Một,,P\n1,Một lần nữa,,P\n2,,,P\n3,Ba,9,Q\n";

        var error = Assert.Throws<CodeListFileException>(() => CodeListFile.Read(new StringReader(text), "x.csv"));

        Assert.Contains("x.csv: effective-from must be a date yyyy-MM-dd, not '2026-13-01'", error.Problems);
        Assert.Contains("x.csv, line 7: code '1' appears twice", error.Problems);
        Assert.Contains("x.csv, line 8: code and display are required", error.Problems);
        Assert.Contains("x.csv, line 9: certainty must be P, S or U, not 'Q'", error.Problems);
        Assert.Contains("x.csv: code '3' names parent '9', which is not in the list", error.Problems);
    }

    private static IndexedConcept Concept(string code, string display) =>
        IndexedCodeSystem.Of(new CodeSystem { Url = "https://example.org/cs", Concept = [new CodeSystem.ConceptDefinitionComponent { Code = code, Display = display }] }).ByCode[code];

    private static TerminologySnapshot Snapshot(IEnumerable<CodeSystem> codeSystems) =>
        new(0, [.. codeSystems.Select(IndexedCodeSystem.Of)], [], []);

    /// <summary>A minimal .xlsx (one sheet, inline strings), as a spreadsheet program writes it.</summary>
    private static MemoryStream Workbook(params string[][] rows)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            Entry(zip, "xl/workbook.xml", """<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="ICD" sheetId="1" r:id="rId1"/></sheets></workbook>""");
            Entry(zip, "xl/_rels/workbook.xml.rels", """<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>""");
            var sheet = new StringBuilder("""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>""");
            for (var r = 0; r < rows.Length; r++)
            {
                sheet.Append($"<row r=\"{r + 1}\">");
                for (var c = 0; c < rows[r].Length; c++)
                {
                    sheet.Append($"<c r=\"{(char)('A' + c)}{r + 1}\" t=\"inlineStr\"><is><t>{System.Security.SecurityElement.Escape(rows[r][c])}</t></is></c>");
                }

                sheet.Append("</row>");
            }

            Entry(zip, "xl/worksheets/sheet1.xml", sheet.Append("</sheetData></worksheet>").ToString());
        }

        stream.Position = 0;
        return stream;
    }

    private static void Entry(ZipArchive zip, string name, string xml)
    {
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(xml);
    }
}
