using System.Diagnostics;

using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Ingest;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso import fhir &lt;paths...&gt;</c>: loads .json, .ndjson, directories and .tgz archives through the bulk
/// importer, with a progress bar, and ends with what was imported, what was rejected and why, and what dangles.
/// </summary>
internal static class ImportFhirCommand
{
    public const int Rejected = 1;
    public const int Dangling = 2;

    /// <summary>Exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    private const int Interrupted = 130;

    /// <summary>A report is for reading: past this many lines, the rest are counted, not listed.</summary>
    private const int ListedProblems = 50;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, paths) = DatabaseArguments.Parse(args);
        if (paths.Count == 0 || paths.Any(p => p.StartsWith("--", StringComparison.Ordinal)))
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenRepositoryAsync(cancellationToken);
        var sources = ImportSource.FromPaths(paths);
        console.MarkupLineInterpolated($"Importing {sources.Count} file(s) into {DatabaseArguments.Describe(services)}");

        var importer = services.GetRequiredService<BulkImporter>();
        var progress = new ImportProgress();
        ImportReport report;
        try
        {
            report = await ShowProgressAsync(console, sources, progress, importer.ImportAsync(FhirAccess.System("yteso import fhir"), sources, progress, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLineInterpolated($"[yellow]Stopped[/] after {progress.Resources:N0} resources. Batches already committed are kept; run the same import again to finish (stored resources are skipped as unchanged).");
            return Interrupted;
        }

        Print(console, report);
        return report.Rejections.Count > 0 ? Rejected : report.DanglingReferences.Count > 0 ? Dangling : 0;
    }

    private static async Task<ImportReport> ShowProgressAsync(IAnsiConsole console, List<ImportSource> sources, ImportProgress progress, Task<ImportReport> import)
    {
        var totalBytes = Math.Max(1, sources.Sum(s => s.Length));
        var clock = Stopwatch.StartNew();
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("reading", maxValue: totalBytes);
                while (await Task.WhenAny(import, Task.Delay(250)) != import)
                {
                    Update(bar, progress, sources.Count, clock.Elapsed);
                }

                Update(bar, progress, sources.Count, clock.Elapsed);
                bar.Value = totalBytes;
                return await import;
            });
    }

    private static void Update(ProgressTask bar, ImportProgress progress, int files, TimeSpan elapsed)
    {
        bar.Value = progress.BytesRead;
        var rate = elapsed.TotalSeconds > 0 ? progress.Resources / elapsed.TotalSeconds : 0;
        bar.Description = $"{progress.Files}/{files} files, {progress.Resources:N0} resources ({rate:N0}/s), {progress.Rejected} rejected";
    }

    private static void Print(IAnsiConsole console, ImportReport report)
    {
        var seconds = Math.Max(report.Elapsed.TotalSeconds, 0.001);
        console.MarkupLineInterpolated(
            $"[bold]{report.Imported:N0}[/] resources imported, {report.Unchanged:N0} already stored unchanged, from {report.Files} file(s) in {report.Elapsed.TotalSeconds:N1} s ({(report.Imported + report.Unchanged) / seconds:N0} resources/s).");
        if (report.Rejections.Count > 0)
        {
            console.MarkupLineInterpolated($"[red]{report.Rejections.Count} rejected[/] (nothing of them was written):");
            foreach (var rejection in report.Rejections.Take(ListedProblems))
            {
                console.MarkupLineInterpolated($"  [red]{rejection.Origin}[/]: {rejection.Reason}");
            }

            More(console, report.Rejections.Count);
        }

        if (report.DanglingReferences.Count > 0)
        {
            console.MarkupLineInterpolated($"[yellow]{report.DanglingReferences.Count} referenced resource(s) do not exist[/] (the referring resources were imported):");
            foreach (var dangling in report.DanglingReferences.Take(ListedProblems))
            {
                console.MarkupLineInterpolated($"  [yellow]{dangling.Target}[/]: referred to {dangling.Referrers} time(s), first by {dangling.FirstReferrer} ({dangling.Path})");
            }

            More(console, report.DanglingReferences.Count);
        }
    }

    private static void More(IAnsiConsole console, int count)
    {
        if (count > ListedProblems)
        {
            console.MarkupLineInterpolated($"  ... and {count - ListedProblems} more.");
        }
    }
}
