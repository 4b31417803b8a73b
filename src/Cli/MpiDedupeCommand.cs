using System.Collections.Concurrent;

using Spectre.Console;

using YTeSo.Patients;
using YTeSo.Patients.DedupePatients;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso mpi dedupe [--dry-run]</c>: links every Patient in the database at once (the MPI's batch deduplication),
/// with a progress display per stage and a summary of what changed. The work is the Patients module's
/// (<see cref="PatientsModule.DedupePatientsAsync"/>); this is the shell around it.
/// </summary>
internal static class MpiDedupeCommand
{
    /// <summary>Exit code after Ctrl+C (128 + SIGINT, as shells report it).</summary>
    private const int Interrupted = 130;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        var dryRun = rest.Remove("--dry-run");
        if (rest.Count > 0)
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenMasterPatientIndexAsync(cancellationToken);
        console.MarkupLineInterpolated($"Deduplicating the Patients in {DatabaseArguments.Describe(services)}{(dryRun ? " (dry run: nothing is written)" : "")}");
        var progress = new StageProgress();
        DedupePatientsResponse response;
        try
        {
            response = await ShowProgressAsync(console, progress, services.DedupePatientsAsync(new DedupePatientsRequest(dryRun), progress, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            console.MarkupLine("[yellow]Stopped.[/] Batches already committed are kept; run the command again to finish.");
            return Interrupted;
        }

        Print(console, response);
        return 0;
    }

    private static async Task<T> ShowProgressAsync<T>(IAnsiConsole console, StageProgress progress, Task<T> work)
    {
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bars = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                while (await Task.WhenAny(work, Task.Delay(200)) != work)
                {
                    progress.Show(context, bars, finished: false);
                }

                progress.Show(context, bars, finished: true);
                return await work;
            });
    }

    private static void Print(IAnsiConsole console, DedupePatientsResponse r)
    {
        var would = r.DryRun ? "would be " : "";
        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        void Row(string label, long value) => table.AddRow(Markup.Escape(label), value.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Row("Source records", r.Records);
        Row("  new to the MPI", r.SourcesAdded);
        Row("  newer version read again", r.SourcesRefreshed);
        Row("  removed (Patient deleted or merged)", r.SourcesRemoved);
        Row("Pairs compared", r.Comparisons);
        Row("Persons (golden records)", r.Persons);
        Row("  with two or more records", r.Clusters);
        Row($"Links {would}changed (moved to another golden record)", r.LinksChanged);
        Row($"Origin or weight {would}updated", r.OriginsChanged);
        Row("Automatic links overruled by reviewers' decisions", r.OverruledLinks);
        Row(r.DryRun ? "Golden records to recompose" : "Golden records written", r.GoldenWritten);
        Row($"Golden records {would}deleted", r.GoldenDeleted);
        Row($"Review items {would}queued", r.ReviewItemsQueued);
        Row($"Open review items {would}closed as obsolete", r.ReviewItemsObsoleted);
        if (!r.DryRun)
        {
            Row("Left to the real-time linker (changed meanwhile)", r.SkippedChangedMeanwhile);
        }

        console.Write(table);
        if (r.Changes.Count > 0)
        {
            console.MarkupLine(r.DryRun ? "Changes it would make:" : "Changes made:");
            foreach (var change in r.Changes)
            {
                console.MarkupLineInterpolated($"  Patient/{change.PatientId}: {change.FromGoldenId ?? "(not linked)"} ({change.FromOrigin ?? "-"}) -> {change.ToGoldenId} ({change.ToOrigin})");
            }

            if (r.ChangeCount > r.Changes.Count)
            {
                console.MarkupLineInterpolated($"  ... and {r.ChangeCount - r.Changes.Count:N0} more.");
            }
        }

        if (r.NothingChanged)
        {
            console.MarkupLineInterpolated($"[green]Nothing to change[/]: the MPI already agrees with the batch deduplication ({r.Elapsed.TotalSeconds:N1} s).");
        }
        else
        {
            console.MarkupLineInterpolated($"[bold]{(r.DryRun ? "Dry run, nothing written" : "Done")}[/] in {r.Elapsed.TotalSeconds:N1} s.");
        }
    }

    /// <summary>
    /// Keeps the latest report of each stage, in the order the stages start; the display thread draws one bar per stage
    /// and completes a stage's bar when the next one starts (the deduplicator does not report every step's end).
    /// </summary>
    private sealed class StageProgress : IProgress<DedupePatientsProgress>
    {
        private readonly ConcurrentDictionary<string, DedupePatientsProgress> _latest = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _order = new();

        public void Report(DedupePatientsProgress value)
        {
            if (_latest.TryAdd(value.Stage, value))
            {
                _order.Enqueue(value.Stage);
            }
            else
            {
                _latest[value.Stage] = value;
            }
        }

        public void Show(ProgressContext context, Dictionary<string, ProgressTask> bars, bool finished)
        {
            var stages = _order.ToArray();
            for (var i = 0; i < stages.Length; i++)
            {
                var latest = _latest[stages[i]];
                if (!bars.TryGetValue(stages[i], out var bar))
                {
                    bars[stages[i]] = bar = context.AddTask(stages[i], maxValue: 1);
                }

                bar.MaxValue = Math.Max(1, latest.Total);
                bar.Value = finished || i < stages.Length - 1 ? bar.MaxValue : latest.Done;
            }
        }
    }
}
