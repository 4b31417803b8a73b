using Spectre.Console;
using YTeSo.Cli;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>Runs <c>yteso</c> commands in-process against a test host's database and captures what they print.</summary>
internal static class YTeSoCli
{
    public static async Task<(int ExitCode, string Output)> ImportAsync(YTeSoApp app, params string[] paths)
    {
        var output = new StringWriter();
        var exitCode = await ImportFhirCommand.RunAsync([.. paths, .. app.CliDatabaseArguments], Console(output), TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }

    public static async Task<(int ExitCode, string Output)> SeedDemoAsync(YTeSoApp app, params string[] args)
    {
        var output = new StringWriter();
        var exitCode = await SeedDemoCommand.RunAsync([.. args, .. app.CliDatabaseArguments], Console(output), TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }

    /// <summary>Any command's <c>RunAsync</c> with the given arguments (a test adds the database options itself).</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        Func<IReadOnlyList<string>, IAnsiConsole, CancellationToken, Task<int>> command, IReadOnlyList<string> args)
    {
        var output = new StringWriter();
        var exitCode = await command(args, Console(output), TestContext.Current.CancellationToken);
        return (exitCode, output.ToString());
    }

    private static IAnsiConsole Console(StringWriter output)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 1000;
        return console;
    }
}
