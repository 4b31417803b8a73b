using Hl7.Fhir.Model;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Terminology.ImportCodeLists;

/// <summary>What an import of a code list wrote: the version, its size and whether anything changed.</summary>
internal sealed record CodeListImportReport(string Url, string Version, string ResourceId, int Concepts, string Summary, bool Written);

/// <summary>
/// <c>yteso import icd10</c> and <c>yteso import code-list</c>: a file is read and checked whole first (nothing is
/// written when any row is bad, <see cref="CodeListFileException"/>), then written as one CodeSystem version with a fixed
/// id, unchanged content skipped, so a second import of the same file writes nothing.
/// </summary>
internal sealed class ImportCodeListsHandler(TerminologyWriter writer)
{
    public async Task<CodeListImportReport> ImportIcd10Async(string path, Icd10Version version, CancellationToken cancellationToken)
    {
        var codeSystem = Icd10File.Read(path, version);
        var (chapters, blocks, categories, codes) = Icd10File.Count(codeSystem);
        var report = await writer.WriteAsync(FhirAccess.System("yteso import icd10"), [codeSystem], cancellationToken);
        return new CodeListImportReport(codeSystem.Url!, codeSystem.Version!, codeSystem.Id!, codeSystem.Concept.Count,
            $"{chapters} chapters, {blocks} blocks, {categories} categories, {codes} codes", report.Written > 0);
    }

    public async Task<CodeListImportReport> ImportCodeListAsync(string path, CancellationToken cancellationToken)
    {
        CodeSystem codeSystem;
        ValueSet valueSet;
        using (var reader = new StreamReader(path))
        {
            (codeSystem, valueSet) = CodeListFile.Read(reader, Path.GetFileName(path));
        }

        var report = await writer.WriteAsync(FhirAccess.System("yteso import code-list"), [codeSystem, valueSet], cancellationToken);
        return new CodeListImportReport(codeSystem.Url!, codeSystem.Version!, codeSystem.Id!, codeSystem.Concept.Count,
            $"{codeSystem.Concept.Count} codes; value set {valueSet.Url}", report.Written > 0);
    }
}
