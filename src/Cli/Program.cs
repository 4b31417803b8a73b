using Spectre.Console;

namespace YTeSo.Cli;

/// <summary>The <c>yteso</c> command: one line per subcommand, one file per command.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // Ctrl+C stops between batches: each batch is one database transaction, so nothing is left half-written.
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        return await (args switch
        {
            ["import", "fhir", .. var rest] => ImportFhirCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["import", "admin-units", .. var rest] => ImportAdminUnitsCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["import", "icd10", .. var rest] => ImportIcd10Command.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["import", "code-list", .. var rest] => ImportIcd10Command.RunCodeListAsync(rest, AnsiConsole.Console, stop.Token),
            ["seed-demo", .. var rest] => SeedDemoCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["audit", "verify", .. var rest] => AuditVerifyCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["audit", "head", .. var rest] => AuditHeadCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["audit", "export", .. var rest] => AuditExportCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["mpi", "dedupe", .. var rest] => MpiDedupeCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            ["mpi", "report", .. var rest] => MpiReportCommand.RunAsync(rest, AnsiConsole.Console, stop.Token),
            _ => Task.FromResult(Usage.Show(AnsiConsole.Console)),
        });
    }
}
