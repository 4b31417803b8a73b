using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using YTeSo.Fhir;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Registry;
using YTeSo.Registry.ImportAdministrativeUnits;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso import admin-units &lt;folder&gt;</c>: the administrative units before and after the 2025 reform and the
/// mapping between them, from the published files. Idempotent; prints what changed. Exit code 1 when a file is bad
/// (nothing is written then).
/// </summary>
internal static class ImportAdminUnitsCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        if (rest is not [var folder] || !Directory.Exists(folder))
        {
            return Usage.Show(console);
        }

        var configuration = database.ToConfiguration();
        // The units are also published as FHIR Locations, so the command opens the FHIR store and its audit trail too.
        await using var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).AddRegistry(configuration).BuildServiceProvider();
        await services.InitializeFhirAsync(cancellationToken);
        await services.InitializeAuditTrailAsync(cancellationToken);
        await services.InitializeRegistryAsync(cancellationToken);
        AdministrativeUnitImportReport report;
        try
        {
            report = await services.ImportAdministrativeUnitsAsync(folder, cancellationToken);
        }
        catch (Exception e) when (e is AdministrativeUnitFileException or FileNotFoundException)
        {
            console.MarkupLineInterpolated($"[red]Nothing imported.[/] {e.Message}");
            return 1;
        }

        console.MarkupLineInterpolated($"In force since 01/07/2025: [bold]{report.Provinces}[/] provinces, [bold]{report.Communes}[/] communes.");
        console.MarkupLineInterpolated($"Before the reform: {report.LegacyProvinces} provinces, {report.LegacyDistricts} districts, {report.LegacyCommunes} communes; {report.Successions} old-to-new commune links.");
        console.MarkupLineInterpolated($"Added {report.Added}, changed {report.Changed}, unchanged {report.Unchanged}; {report.NotInFiles} stored rows are not in these files (kept).");
        console.MarkupLineInterpolated($"FHIR Location: {report.Locations.Written} written, {report.Locations.Unchanged} unchanged.");
        foreach (var change in report.Changes)
        {
            console.MarkupLineInterpolated($"  changed: {change}");
        }

        return 0;
    }
}
