using Hl7.Fhir.Model;
using YTeSo.Registry.ImportAdministrativeUnits;

namespace YTeSo.Registry.Terminology.ImportCodeLists;

/// <summary>A code list file that cannot be read; every problem found, each with its file and line.</summary>
internal sealed class CodeListFileException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;
}

/// <summary>
/// The compact form of a code list (the shipped lists in <c>ShippedLists/</c> and <c>yteso import code-list</c>): a few
/// <c># key: value</c> lines naming the version, then RFC 4180 CSV with the columns <c>code</c>, <c>display</c> and
/// optionally <c>parent</c>, <c>certainty</c> (P, S or U as in vn-standards.md), <c>definition</c> and <c>alias</c>
/// (other names, separated by <c>;</c>, searched by $expand as designations). It becomes one CodeSystem version
/// and the ValueSet of all its codes. Keys: id, url, version, name, title, publisher, description, copyright,
/// effective-from and effective-to (yyyy-MM-dd), experimental (true for a sample), valueset-id.
/// </summary>
internal static class CodeListFile
{
    public static (CodeSystem CodeSystem, ValueSet ValueSet) Read(TextReader text, string file)
    {
        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var line = 0;
        while (text.Peek() == '#')
        {
            line++;
            var entry = text.ReadLine()![1..];
            var colon = entry.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                header[entry[..colon].Trim()] = entry[(colon + 1)..].Trim();
            }
        }

        var problems = new List<string>();
        string Require(string key)
        {
            if (header.TryGetValue(key, out var value) && value.Length > 0)
            {
                return value;
            }

            problems.Add($"{file}, line 1: the header line '# {key}: …' is missing");
            return string.Empty;
        }

        var codeSystem = new CodeSystem
        {
            Id = Require("id"),
            Url = Require("url"),
            Version = Require("version"),
            Name = header.GetValueOrDefault("name"),
            Title = header.GetValueOrDefault("title"),
            Status = PublicationStatus.Active,
            Experimental = header.GetValueOrDefault("experimental") == "true",
            Publisher = header.GetValueOrDefault("publisher"),
            Description = header.TryGetValue("description", out var description) ? new Markdown(description) : null,
            Copyright = header.TryGetValue("copyright", out var copyright) ? new Markdown(copyright) : null,
            CaseSensitive = true,
            Content = CodeSystemContentMode.Complete,
            HierarchyMeaning = CodeSystem.CodeSystemHierarchyMeaning.IsA,
        };
        TerminologyResources.SetEffectivePeriod(codeSystem, header.GetValueOrDefault("effective-from"), header.GetValueOrDefault("effective-to"), file, problems);

        var codes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            // Csv counts lines from its own first; the '#' lines above come first in the file.
            foreach (var (row, field) in Csv.Read(text, file, "code", "display"))
            {
                var at = $"{file}, line {row + line}";
                var code = field("code").Trim();
                var display = field("display").Trim();
                if (code.Length == 0 || display.Length == 0)
                {
                    problems.Add($"{at}: code and display are required");
                    continue;
                }

                if (!codes.Add(code))
                {
                    problems.Add($"{at}: code '{code}' appears twice");
                    continue;
                }

                var concept = TerminologyResources.Concept(code, display, field("parent").Trim(), field("definition").Trim());
                if (field("certainty").Trim() is { Length: > 0 } certainty)
                {
                    if (certainty is not ("P" or "S" or "U"))
                    {
                        problems.Add($"{at}: certainty must be P, S or U, not '{certainty}'");
                    }

                    concept.Property.Add(new CodeSystem.ConceptPropertyComponent { Code = TerminologySystems.CertaintyProperty, Value = new Code(certainty) });
                }

                foreach (var alias in field("alias").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    concept.Designation.Add(new CodeSystem.DesignationComponent { Language = "vi", Value = alias });
                }

                codeSystem.Concept.Add(concept);
            }
        }
        catch (AdministrativeUnitFileException e)
        {
            problems.Add(e.Message);
        }

        foreach (var concept in codeSystem.Concept)
        {
            if (TerminologyResources.ParentOf(concept) is { } parent && !codes.Contains(parent))
            {
                problems.Add($"{file}: code '{concept.Code}' names parent '{parent}', which is not in the list");
            }
        }

        if (problems.Count > 0)
        {
            throw new CodeListFileException(problems);
        }

        TerminologyResources.DeclareProperties(codeSystem);
        codeSystem.Count = codeSystem.Concept.Count;
        var valueSet = TerminologyResources.AllCodes(codeSystem, header.GetValueOrDefault("valueset-id") ?? codeSystem.Id);
        codeSystem.ValueSet = valueSet.Url;
        return (codeSystem, valueSet);
    }
}
