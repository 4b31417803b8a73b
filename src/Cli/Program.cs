using Spectre.Console;

namespace YTeSo.Cli;

/// <summary>The <c>yteso</c> command: one line per subcommand, one file per command.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => args switch
    {
        ["import", "fhir", .. var rest] => ImportFhirCommand.RunAsync(rest, AnsiConsole.Console, CancellationToken.None),
        ["seed-demo", .. var rest] => SeedDemoCommand.RunAsync(rest, AnsiConsole.Console, CancellationToken.None),
        _ => Task.FromResult(Usage.Show(AnsiConsole.Console)),
    };
}
