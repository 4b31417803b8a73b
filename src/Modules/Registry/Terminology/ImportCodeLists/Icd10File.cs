using System.Text;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using YTeSo.Platform.Text;
using YTeSo.Registry.ImportAdministrativeUnits;

namespace YTeSo.Registry.Terminology.ImportCodeLists;

/// <summary>Which ICD-10 version a file becomes: its resource id, version and validity.</summary>
internal sealed record Icd10Version(string Id, string Version, string? EffectiveFrom, string? EffectiveTo, bool Sample)
{
    /// <summary>QĐ 4469/QĐ-BYT (28/10/2020) issues the Vietnamese ICD-10 list in use; its date of effect is not recorded here [U].</summary>
    public static Icd10Version Moh4469 { get; } = new("icd-10-vn-4469-2020", "4469/QĐ-BYT-2020", null, null, false);
}

/// <summary>
/// Reads the Ministry of Health's ICD-10 list (the layout of QĐ 4469/QĐ-BYT 2020: chapter, block, 3-character category
/// and 4-character code, each with a Vietnamese and an English name), as CSV or .xlsx, into one CodeSystem version of
/// <c>http://hl7.org/fhir/sid/icd-10</c> with the hierarchy as <c>parent</c> properties (code → category → block →
/// chapter). Columns are found by their header names, compared folded, with the names seen in the Ministry's files and
/// plain English ones (vn-standards.md has no primary copy of the header row [U]: extend <see cref="Columns"/> if a file
/// names them otherwise). Every bad row is reported with its file and line; a file with any bad row yields nothing.
/// </summary>
internal static partial class Icd10File
{
    /// <summary>Canonical column → the header names accepted for it (folded).</summary>
    private static readonly Dictionary<string, string[]> Columns = new(StringComparer.Ordinal)
    {
        ["chapter"] = ["ma chuong", "chuong", "chapter", "chapter code"],
        ["chapter-vi"] = ["ten chuong", "chapter name vi"],
        ["chapter-en"] = ["chapter name", "ten chuong tieng anh", "chapter name en"],
        ["block"] = ["ma nhom chinh", "ma nhom", "block", "block code"],
        ["block-vi"] = ["ten nhom chinh", "ten nhom", "block name vi"],
        ["block-en"] = ["main group name i", "main group name", "block name", "block name en"],
        ["category"] = ["ma loai", "category", "category code"],
        ["category-vi"] = ["ten loai", "category name vi"],
        ["category-en"] = ["type name", "category name", "category name en"],
        ["code"] = ["ma benh", "ma", "code", "disease code"],
        ["name-vi"] = ["ten benh", "ten", "name vi", "vietnamese name"],
        ["name-en"] = ["disease name", "ten tieng anh", "name en", "english name"],
    };

    private static readonly string[] RequiredColumns = ["code", "name-vi"];

    public static CodeSystem Read(string path, Icd10Version version)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path), version);
    }

    public static CodeSystem Read(Stream stream, string file, Icd10Version version)
    {
        var problems = new List<string>();
        IEnumerable<(int Line, Func<string, string> Field)> rows;
        try
        {
            rows = file.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) ? SpreadsheetRows(stream, file) : CsvRows(stream, file);
            return Build(rows, file, version, problems);
        }
        catch (Exception e) when (e is AdministrativeUnitFileException or InvalidDataException or System.Xml.XmlException)
        {
            problems.Add(e is AdministrativeUnitFileException ? e.Message : $"{file}: {e.Message}");
            throw new CodeListFileException(problems);
        }
    }

    private static CodeSystem Build(IEnumerable<(int Line, Func<string, string> Field)> rows, string file, Icd10Version version, List<string> problems)
    {
        var concepts = new Dictionary<string, CodeSystem.ConceptDefinitionComponent>(StringComparer.Ordinal);
        var order = new List<CodeSystem.ConceptDefinitionComponent>();
        var leaves = new HashSet<string>(StringComparer.Ordinal);
        var counts = new int[3];
        void Add(string code, string? vi, string? en, string? parent, int kind)
        {
            if (concepts.ContainsKey(code))
            {
                return;
            }

            var concept = TerminologyResources.Concept(code, string.IsNullOrEmpty(vi) ? en ?? code : vi, parent, null);
            if (!string.IsNullOrEmpty(en))
            {
                concept.Designation.Add(new CodeSystem.DesignationComponent { Language = "en", Value = en });
            }

            concepts[code] = concept;
            order.Add(concept);
            if (kind >= 0)
            {
                counts[kind]++;
            }
        }

        foreach (var (line, field) in rows)
        {
            var at = $"{file}, line {line}";
            var code = Clean(field("code"));
            var name = field("name-vi").Trim();
            var category = Clean(field("category"));
            if (code.Length == 0 && name.Length == 0)
            {
                continue;
            }

            if (!CodePattern().IsMatch(code))
            {
                problems.Add($"{at}: '{field("code")}' is not an ICD-10 code (a letter, two digits, optionally a dot and one or two characters)");
                continue;
            }

            if (name.Length == 0)
            {
                problems.Add($"{at}: code {code} has no Vietnamese name");
                continue;
            }

            if (category.Length > 0 && category != code[..3])
            {
                problems.Add($"{at}: code {code} is listed under category {category}, not {code[..3]}");
                continue;
            }

            if (!leaves.Add(code))
            {
                problems.Add($"{at}: code {code} appears twice");
                continue;
            }

            var chapter = field("chapter").Trim();
            var block = Clean(field("block"));
            if (chapter.Length > 0)
            {
                Add(chapter, field("chapter-vi").Trim(), field("chapter-en").Trim(), null, 0);
            }

            if (block.Length > 0)
            {
                Add(block, field("block-vi").Trim(), field("block-en").Trim(), chapter.Length > 0 ? chapter : null, 1);
            }

            var categoryParent = block.Length > 0 ? block : chapter.Length > 0 ? chapter : null;
            if (code.Length == 3)
            {
                // A category without subdivisions is itself the code (I10).
                if (concepts.TryGetValue(code, out var existing))
                {
                    existing.Display = name;
                }
                else
                {
                    Add(code, name, field("name-en").Trim(), categoryParent, 2);
                }

                continue;
            }

            var categoryVi = field("category-vi").Trim();
            Add(code[..3], categoryVi.Length > 0 ? categoryVi : null, field("category-en").Trim(), categoryParent, 2);
            Add(code, name, field("name-en").Trim(), code[..3], -1);
        }

        if (problems.Count > 0)
        {
            throw new CodeListFileException(problems);
        }

        if (leaves.Count == 0)
        {
            throw new CodeListFileException([$"{file}: no ICD-10 codes found"]);
        }

        var codeSystem = new CodeSystem
        {
            Id = version.Id,
            Url = TerminologySystems.Icd10,
            Version = version.Version,
            Name = "ICD10VN",
            Title = version.Sample ? "ICD-10 (mẫu: một phần danh mục của Bộ Y tế)" : "ICD-10 (danh mục của Bộ Y tế, QĐ 4469/QĐ-BYT)",
            Status = PublicationStatus.Active,
            Experimental = version.Sample,
            Publisher = version.Sample ? "YTeSo (mẫu tự soạn)" : "Bộ Y tế",
            Description = new Markdown(version.Sample
                ? "A sample of ICD-10 codes the platform needs (chronic and notifiable diseases), Vietnamese names written for YTeSo; import the Ministry's full list with `yteso import icd10` (docs/terminology.md)."
                : $"Imported from {file}: the Ministry of Health's Vietnamese ICD-10 list."),
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            HierarchyMeaning = CodeSystem.CodeSystemHierarchyMeaning.IsA,
            ValueSet = TerminologySystems.Icd10AllValueSet,
            Concept = order,
            Count = order.Count,
        };
        TerminologyResources.SetEffectivePeriod(codeSystem, version.EffectiveFrom, version.EffectiveTo, file, problems);
        if (problems.Count > 0)
        {
            throw new CodeListFileException(problems);
        }

        TerminologyResources.DeclareProperties(codeSystem);
        return codeSystem;
    }

    /// <summary>How many chapters, blocks, categories and codes the list holds (for the import report).</summary>
    public static (int Chapters, int Blocks, int Categories, int Codes) Count(CodeSystem codeSystem)
    {
        var parents = codeSystem.Concept.Select(TerminologyResources.ParentOf).OfType<string>().ToHashSet(StringComparer.Ordinal);
        int chapters = 0, blocks = 0, categories = 0, codes = 0;
        foreach (var concept in codeSystem.Concept)
        {
            if (CodePattern().IsMatch(concept.Code ?? string.Empty))
            {
                if (concept.Code!.Length == 3)
                {
                    categories++;
                }

                if (!parents.Contains(concept.Code))
                {
                    codes++;
                }
            }
            else if (TerminologyResources.ParentOf(concept) is null)
            {
                chapters++;
            }
            else
            {
                blocks++;
            }
        }

        return (chapters, blocks, categories, codes);
    }

    /// <summary>A code as written in the list, without the dagger and asterisk of dual classification (A17.0†, G01*).</summary>
    private static string Clean(string text) => text.Trim().TrimEnd('†', '*', '+').Trim().ToUpperInvariant();

    [GeneratedRegex(@"^[A-Z][0-9]{2}(\.[0-9A-Z]{1,2})?$", RegexOptions.CultureInvariant)]
    private static partial Regex CodePattern();

    private static IEnumerable<(int Line, Func<string, string> Field)> CsvRows(Stream stream, string file)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var header = reader.ReadLine() ?? throw new CodeListFileException([$"{file}, line 1: the file is empty"]);
        var canonical = Canonical(header.Split(',').Select(h => h.Trim().Trim('"')).ToList(), file);
        using var rest = new StringReader(string.Join(',', canonical) + "\n" + reader.ReadToEnd());
        return [.. Csv.Read(rest, file, "code", "name-vi")];
    }

    private static IEnumerable<(int Line, Func<string, string> Field)> SpreadsheetRows(Stream stream, string file)
    {
        var rows = Spreadsheet.ReadFirstSheet(stream).ToList();
        if (rows.Count == 0)
        {
            throw new CodeListFileException([$"{file}: the first sheet is empty"]);
        }

        // The Ministry's workbook may open with a title row: the header is the first row naming the code column.
        var headerIndex = rows.FindIndex(r => r.Cells.Any(c => Columns["code"].Contains(TextNormalizer.Fold(c))));
        if (headerIndex < 0)
        {
            throw new CodeListFileException([$"{file}: no header row names the code column ({string.Join(", ", Columns["code"])})"]);
        }

        var canonical = Canonical([.. rows[headerIndex].Cells], file);
        var index = canonical.Select((name, i) => (name, i)).GroupBy(c => c.name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        return rows.Skip(headerIndex + 1).Select(r => (r.Row, (Func<string, string>)(name => index.TryGetValue(name, out var i) && i < r.Cells.Length ? r.Cells[i] : string.Empty)));
    }

    /// <summary>The header with known names replaced by canonical ones; the code and Vietnamese name columns are required.</summary>
    private static List<string> Canonical(List<string> header, string file)
    {
        var canonical = header.Select(h =>
        {
            var folded = TextNormalizer.Fold(h.TrimStart('\uFEFF'));
            return Columns.FirstOrDefault(c => c.Value.Contains(folded)).Key ?? "?" + h;
        }).ToList();
        var missing = RequiredColumns.Where(c => !canonical.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new CodeListFileException([$"{file}, line 1: no column for {string.Join(" and ", missing.Select(m => $"{m} ({string.Join(" / ", Columns[m])})"))}; the header has {string.Join(", ", header)}"]);
        }

        return canonical;
    }
}
