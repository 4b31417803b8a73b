using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using Spectre.Console;

using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.DemoData;
using YTeSo.Fhir.Repository;

namespace YTeSo.Cli;

/// <summary><c>yteso seed-demo [--patients N]</c>: loads the synthetic demo province, as the web host does on first start.</summary>
internal static class SeedDemoCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        var patients = 200;
        if (rest is ["--patients", var count] && int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            patients = parsed;
        }
        else if (rest.Count > 0)
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenRepositoryAsync(cancellationToken);
        console.MarkupLineInterpolated($"Loading the synthetic demo province ({patients} citizens) into {DatabaseArguments.Describe(services)}");
        var bundles = await console.Status().StartAsync("loading...", _ =>
            DemoSeeder.LoadAsync(services.GetRequiredService<FhirRepository>(), FhirAccess.System("yteso seed-demo"), new DemoDataOptions(Patients: patients), cancellationToken));
        console.MarkupLineInterpolated($"[bold]{bundles}[/] transaction bundles loaded (reference data and one per citizen). Every person in them is made up.");
        return 0;
    }
}
