using System.IO.Compression;
using System.Xml.Linq;

namespace YTeSo.Registry.Terminology.ImportCodeLists;

/// <summary>
/// The first worksheet of an .xlsx file as rows of cell texts (ECMA-376 SpreadsheetML: shared strings, inline strings,
/// numbers). Read by hand with the zip and XML readers of the framework: the import needs cell values only, and no
/// package is worth its dependencies for that.
/// </summary>
internal static class Spreadsheet
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships";

    /// <summary>Each non-empty row: its 1-based row number and its cells by column (A = 0).</summary>
    public static IEnumerable<(int Row, string[] Cells)> ReadFirstSheet(Stream file)
    {
        using var zip = new ZipArchive(file, ZipArchiveMode.Read);
        var shared = Load(zip, "xl/sharedStrings.xml")?.Root?.Elements(Main + "si").Select(Text).ToList() ?? [];
        var workbook = Load(zip, "xl/workbook.xml") ?? throw new InvalidDataException("not an .xlsx workbook (no xl/workbook.xml)");
        var firstSheet = workbook.Root?.Element(Main + "sheets")?.Elements(Main + "sheet").FirstOrDefault()
            ?? throw new InvalidDataException("the workbook has no sheet");
        var relationId = (string?)firstSheet.Attribute(Relationships + "id");
        var target = Load(zip, "xl/_rels/workbook.xml.rels")?.Root?.Elements(PackageRelationships + "Relationship")
            .FirstOrDefault(r => (string?)r.Attribute("Id") == relationId)?.Attribute("Target")?.Value ?? "worksheets/sheet1.xml";
        var sheet = Load(zip, target.StartsWith('/') ? target[1..] : "xl/" + target) ?? throw new InvalidDataException($"the sheet {target} is missing");
        foreach (var row in sheet.Descendants(Main + "row"))
        {
            var cells = new List<string>();
            foreach (var cell in row.Elements(Main + "c"))
            {
                var column = Column((string?)cell.Attribute("r"), cells.Count);
                while (cells.Count < column)
                {
                    cells.Add(string.Empty);
                }

                var value = (string?)cell.Attribute("t") switch
                {
                    "s" => int.TryParse(cell.Element(Main + "v")?.Value, out var i) && i < shared.Count ? shared[i] : string.Empty,
                    "inlineStr" => Text(cell.Element(Main + "is")),
                    _ => cell.Element(Main + "v")?.Value ?? string.Empty,
                };
                cells.Add(value);
            }

            if (cells.Any(c => c.Length > 0))
            {
                yield return (int.TryParse((string?)row.Attribute("r"), out var number) ? number : 0, [.. cells]);
            }
        }
    }

    private static XDocument? Load(ZipArchive zip, string name)
    {
        var entry = zip.GetEntry(name);
        if (entry is null)
        {
            return null;
        }

        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>A string item: its text runs joined (rich text keeps its words, loses its formatting).</summary>
    private static string Text(XElement? item) => item is null ? string.Empty : string.Concat(item.Descendants(Main + "t").Select(t => t.Value));

    /// <summary>The 0-based column of a reference such as "C12"; the next column when absent.</summary>
    private static int Column(string? reference, int next)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return next;
        }

        var column = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            column = (column * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return column - 1;
    }
}
