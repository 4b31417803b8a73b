using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using YTeSo.Fhir;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Registry;
using YTeSo.Registry.Terminology.ImportCodeLists;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso import icd10 &lt;file.csv|file.xlsx&gt; [--version V] [--id ID] [--from yyyy-MM-dd] [--to yyyy-MM-dd]</c>:
/// the Ministry of Health's ICD-10 list (QĐ 4469/QĐ-BYT layout) as one version of the CodeSystem
/// http://hl7.org/fhir/sid/icd-10 in the FHIR store; a real list takes precedence over the shipped sample. Exit code 1
/// when any row is bad (each reported with file and line; nothing is written). A second run with the same file writes
/// nothing. <c>yteso import code-list &lt;file.csv&gt;</c> loads any list in the compact form of the shipped lists.
/// </summary>
internal static class ImportIcd10Command
{
    public static Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken) =>
        RunAsync(args, console, icd10: true, cancellationToken);

    public static Task<int> RunCodeListAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken) =>
        RunAsync(args, console, icd10: false, cancellationToken);

    private static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, bool icd10, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var files = new List<string>();
        for (var i = 0; i < rest.Count; i++)
        {
            if (icd10 && rest[i] is "--version" or "--id" or "--from" or "--to" && i + 1 < rest.Count)
            {
                options[rest[i][2..]] = rest[++i];
            }
            else
            {
                files.Add(rest[i]);
            }
        }

        if (files is not [var file] || !File.Exists(file))
        {
            return Usage.Show(console);
        }

        var configuration = database.ToConfiguration();
        await using var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).AddRegistry(configuration).BuildServiceProvider();
        await services.InitializeFhirAsync(cancellationToken);
        await services.InitializeAuditTrailAsync(cancellationToken);
        var handler = services.GetRequiredService<ImportCodeListsHandler>();
        CodeListImportReport report;
        try
        {
            report = icd10 ? await handler.ImportIcd10Async(file, Version(options), cancellationToken) : await handler.ImportCodeListAsync(file, cancellationToken);
        }
        catch (CodeListFileException e)
        {
            console.MarkupLineInterpolated($"[red]Nothing imported.[/] {e.Problems.Count} problem(s):");
            foreach (var problem in e.Problems)
            {
                console.MarkupLineInterpolated($"  {problem}");
            }

            return 1;
        }

        console.MarkupLineInterpolated($"{report.Url} version [bold]{report.Version}[/] (CodeSystem/{report.ResourceId}): {report.Concepts} concepts ({report.Summary}).");
        console.WriteLine(report.Written ? "Written." : "Unchanged: the stored version already holds this content.");
        console.WriteLine($"Into {DatabaseArguments.Describe(services)}.");
        return 0;
    }

    private static Icd10Version Version(Dictionary<string, string> options)
    {
        var standard = Icd10Version.Moh4469;
        var version = options.GetValueOrDefault("version") ?? standard.Version;
        var id = options.GetValueOrDefault("id")
            ?? (options.ContainsKey("version") ? "icd-10-vn-" + new string([.. version.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) : standard.Id);
        return standard with { Id = id, Version = version, EffectiveFrom = options.GetValueOrDefault("from"), EffectiveTo = options.GetValueOrDefault("to") };
    }
}
