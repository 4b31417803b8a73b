using System.Globalization;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Contracts;

namespace YTeSo.Registry.ImportAdministrativeUnits;

/// <summary>A line of an administrative-unit file that cannot be read: the file, the 1-based line and why.</summary>
public sealed class AdministrativeUnitFileException(string file, int line, string reason)
    : Exception($"{file}, line {line}: {reason}")
{
    public string File { get; } = file;

    public int Line { get; } = line;
}

/// <summary>
/// Readers for the published lists (written by hand: three CSV layouts, no package reads them). Columns are found by
/// their header names, so a reordered export still reads; codes are padded to their official width (the mapping file
/// stores them as numbers: "1", "4.0").
/// </summary>
internal static class AdministrativeUnitFiles
{
    /// <summary>
    /// The two-tier list in force since 1 July 2025 (province, ward, wardType, provinceCode, wardCode, wardLat,
    /// wardLon, as in communes-2025-with-location.csv): 34 provinces and their communes.
    /// </summary>
    public static List<AdministrativeUnitRow> ReadCurrent(TextReader text, string file)
    {
        var rows = new List<AdministrativeUnitRow>();
        var provinces = new Dictionary<string, AdministrativeUnitRow>(StringComparer.Ordinal);
        foreach (var (line, field) in Csv.Read(text, file, "province", "ward", "wardType", "provinceCode", "wardCode"))
        {
            var provinceCode = Code(field("provinceCode"), 2, file, line);
            var provinceName = Required(field("province"), "province", file, line);
            if (!provinces.ContainsKey(provinceCode))
            {
                provinces[provinceCode] = Unit(AdministrativeLevel.Province, provinceCode, ProvinceType(provinceName), provinceName, null, provinceCode, AdministrativeReform.TwoTierFrom, null);
            }

            var commune = Unit(AdministrativeLevel.Commune, Code(field("wardCode"), 5, file, line), Required(field("wardType"), "wardType", file, line), Required(field("ward"), "ward", file, line), provinceCode, provinceCode, AdministrativeReform.TwoTierFrom, null);
            commune.Latitude = Coordinate(field("wardLat"));
            commune.Longitude = Coordinate(field("wardLon"));
            rows.Add(commune);
        }

        return [.. provinces.Values, .. rows];
    }

    /// <summary>
    /// The statistics office's three-tier list (Mã, Tên, Cấp, Mã QH, Quận Huyện, Mã TP, Tỉnh / Thành Phố): communes
    /// with their districts and provinces, in force until the reform.
    /// </summary>
    public static List<AdministrativeUnitRow> ReadLegacy(TextReader text, string file)
    {
        var units = new Dictionary<(string, string), AdministrativeUnitRow>();
        var end = AdministrativeReform.LastThreeTierDay;
        foreach (var (line, field) in Csv.Read(text, file, "Mã", "Tên", "Cấp", "Mã QH", "Quận Huyện", "Mã TP", "Tỉnh / Thành Phố"))
        {
            var province = Code(field("Mã TP"), 2, file, line);
            var district = Code(field("Mã QH"), 3, file, line);
            var provinceName = Required(field("Tỉnh / Thành Phố"), "Tỉnh / Thành Phố", file, line);
            var districtName = Required(field("Quận Huyện"), "Quận Huyện", file, line);
            units.TryAdd(("province", province), Unit(AdministrativeLevel.Province, province, ProvinceType(provinceName), provinceName, null, province, null, end));
            units.TryAdd(("district", district), Unit(AdministrativeLevel.District, district, LeadingType(districtName, ["Thành phố", "Thị xã", "Quận", "Huyện"]), districtName, province, province, null, end));
            var code = Code(field("Mã"), 5, file, line);
            if (!units.TryAdd(("commune", code), Unit(AdministrativeLevel.Commune, code, Required(field("Cấp"), "Cấp", file, line), Required(field("Tên"), "Tên", file, line), district, province, null, end)))
            {
                throw new AdministrativeUnitFileException(file, line, $"commune code {code} appears twice");
            }
        }

        return [.. units.Values];
    }

    /// <summary>
    /// The legacy-to-2025 commune mapping (wardCode, newWardCode, isDividedWard; districtCode, district, districtType
    /// and provinceCode for the island districts without communes): one row per pair, and those districts as units,
    /// since the commune list cannot name them.
    /// </summary>
    public static (List<CommuneSuccessionRow> Successions, List<AdministrativeUnitRow> Districts) ReadSuccessions(TextReader text, string file)
    {
        var rows = new Dictionary<(string, string, string), CommuneSuccessionRow>();
        var districts = new Dictionary<string, AdministrativeUnitRow>(StringComparer.Ordinal);
        foreach (var (line, field) in Csv.Read(text, file, "provinceCode", "districtCode", "district", "wardCode", "newWardCode", "isDividedWard"))
        {
            var current = Code(field("newWardCode"), 5, file, line);
            var divided = field("isDividedWard") switch
            {
                "True" or "true" or "1" => true,
                "False" or "false" or "0" => false,
                var other => throw new AdministrativeUnitFileException(file, line, $"isDividedWard must be True or False, not '{other}'"),
            };
            var (level, legacy) = ("commune", string.Empty);
            if (field("wardCode").Trim().Length > 0)
            {
                legacy = Code(field("wardCode"), 5, file, line);
            }
            else
            {
                // A district with no communes (an island district) became one special zone.
                (level, legacy) = ("district", Code(field("districtCode"), 3, file, line));
                var province = Code(field("provinceCode"), 2, file, line);
                var name = Required(field("district"), "district", file, line);
                districts.TryAdd(legacy, Unit(AdministrativeLevel.District, legacy, field("districtType").Trim(), name, province, province, null, AdministrativeReform.LastThreeTierDay));
            }

            rows.TryAdd((level, legacy, current), new CommuneSuccessionRow { LegacyLevel = level, LegacyCode = legacy, CurrentCode = current, Divided = divided });
        }

        return ([.. rows.Values], [.. districts.Values]);
    }

    private static AdministrativeUnitRow Unit(AdministrativeLevel level, string code, string type, string name, string? parent, string province, DateOnly? from, DateOnly? to) =>
        new() { Level = level.ToString().ToLowerInvariant(), Code = code, Type = type, Name = name, ParentCode = parent, ProvinceCode = province, ValidFrom = from, ValidTo = to };

    /// <summary>A numeric code at its official width: "1" → "01", "4.0" → "00004"; anything else is an error.</summary>
    private static string Code(string text, int width, string file, int line)
    {
        var trimmed = text.Trim();
        if (trimmed.EndsWith(".0", StringComparison.Ordinal))
        {
            trimmed = trimmed[..^2];
        }

        if (trimmed.Length == 0 || trimmed.Length > width || !trimmed.All(char.IsAsciiDigit))
        {
            throw new AdministrativeUnitFileException(file, line, $"'{text}' is not a code of at most {width} digits");
        }

        return trimmed.PadLeft(width, '0');
    }

    private static string Required(string text, string column, string file, int line) =>
        text.Trim() is { Length: > 0 } value ? value : throw new AdministrativeUnitFileException(file, line, $"{column} is empty");

    private static string ProvinceType(string name) => name.StartsWith("Thành phố", StringComparison.Ordinal) ? "Thành phố" : "Tỉnh";

    private static string LeadingType(string name, string[] types) => types.FirstOrDefault(t => name.StartsWith(t + " ", StringComparison.Ordinal)) ?? string.Empty;

    private static double? Coordinate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}

/// <summary>RFC 4180 CSV: comma-separated, fields in double quotes may hold commas, quotes ("") and line breaks.</summary>
internal static class Csv
{
    /// <summary>Rows after the header with a lookup by column name; the named columns must be in the header.</summary>
    public static IEnumerable<(int Line, Func<string, string> Field)> Read(TextReader text, string file, params string[] required)
    {
        var line = 0;
        var header = NextRecord(text, ref line, file) ?? throw new AdministrativeUnitFileException(file, 1, "the file is empty");
        var columns = header.Select((name, i) => (Name: name.Trim().TrimStart('\uFEFF'), i)).GroupBy(c => c.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            throw new AdministrativeUnitFileException(file, 1, $"missing column(s) {string.Join(", ", missing)}; the header has {string.Join(", ", columns.Keys)}");
        }

        while (true)
        {
            var start = line + 1;
            var record = NextRecord(text, ref line, file);
            if (record is null)
            {
                yield break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // a blank line
            }

            if (record.Count != header.Count)
            {
                throw new AdministrativeUnitFileException(file, start, $"{record.Count} fields where the header has {header.Count}");
            }

            yield return (start, name => columns.TryGetValue(name, out var i) ? record[i] : string.Empty);
        }
    }

    private static List<string>? NextRecord(TextReader text, ref int line, string file)
    {
        var first = text.ReadLine();
        if (first is null)
        {
            return null;
        }

        line++;
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var current = first;
        var i = 0;
        var quoted = false;
        while (true)
        {
            if (i == current.Length)
            {
                if (!quoted)
                {
                    fields.Add(field.ToString());
                    return fields;
                }

                current = text.ReadLine() ?? throw new AdministrativeUnitFileException(file, line, "a quoted field is not closed");
                line++;
                field.Append('\n');
                i = 0;
                continue;
            }

            var c = current[i++];
            if (quoted)
            {
                if (c == '"' && i < current.Length && current[i] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"' && field.Length == 0)
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }
    }
}
