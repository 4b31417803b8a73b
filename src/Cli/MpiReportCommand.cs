using System.Globalization;
using System.Text;

using Spectre.Console;

using YTeSo.Patients;
using YTeSo.Patients.ReportDuplicates;

namespace YTeSo.Cli;

/// <summary>
/// <c>yteso mpi report [--csv FILE]</c>: per facility, its records, persons, records it registered twice, persons also
/// known elsewhere and open review items, as a table and optionally a CSV file for the facilities to work from.
/// </summary>
internal static class MpiReportCommand
{
    public const string CsvHeader = "facility_code,records,persons,duplicates_within_facility,persons_seen_elsewhere,open_review_items";

    private static readonly CultureInfo Vietnamese = CultureInfo.GetCultureInfo("vi-VN");

    /// <summary>UTC+7, no daylight saving (as <c>audit export</c> counts days).</summary>
    private static readonly TimeSpan VietnamTime = TimeSpan.FromHours(7);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var (database, rest) = DatabaseArguments.Parse(args);
        string? csv = null;
        if (rest is ["--csv", var file])
        {
            csv = file;
        }
        else if (rest.Count > 0)
        {
            return Usage.Show(console);
        }

        await using var services = await database.OpenMasterPatientIndexAsync(cancellationToken);
        var report = await services.ReportDuplicatesAsync(cancellationToken);
        var at = report.At.ToOffset(VietnamTime).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        console.MarkupLineInterpolated($"Duplicate report of {DatabaseArguments.Describe(services)}, {at} (Vietnam time), from the MPI's links as they stand: run 'yteso mpi dedupe' first for a complete picture.");

        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("Facility")
            .AddColumn(new TableColumn("Records").RightAligned())
            .AddColumn(new TableColumn("Persons").RightAligned())
            .AddColumn(new TableColumn("Duplicates within").RightAligned())
            .AddColumn(new TableColumn("Rate").RightAligned())
            .AddColumn(new TableColumn("Persons seen elsewhere").RightAligned())
            .AddColumn(new TableColumn("Open review items").RightAligned());
        foreach (var row in report.Facilities)
        {
            AddRow(table, row.FacilityCode.Length == 0 ? "(unknown)" : row.FacilityCode, row);
        }

        table.AddEmptyRow();
        AddRow(table, "All facilities", report.Total);
        console.Write(table);

        if (csv is not null)
        {
            await WriteCsvAsync(csv, report, cancellationToken);
            console.MarkupLineInterpolated($"CSV written to {Path.GetFullPath(csv)} ({report.Facilities.Count} facilities).");
        }

        return 0;
    }

    private static void AddRow(Table table, string facility, FacilityDuplicatesRow row) =>
        table.AddRow(
            Markup.Escape(facility),
            Count(row.Records),
            Count(row.Persons),
            Count(row.DuplicatesWithin),
            row.DuplicateRate.ToString("P1", Vietnamese),
            Count(row.PersonsSeenElsewhere),
            Count(row.OpenReviewItems));

    private static string Count(int value) => value.ToString("N0", Vietnamese);

    /// <summary>
    /// UTF-8 with a byte-order mark (Excel, what the facilities open it in, otherwise reads it as the local code page) and
    /// plain integers, so no decimal or thousands separator depends on the reader's locale. One line per facility; the
    /// province total is left to the sheet.
    /// </summary>
    private static async Task WriteCsvAsync(string path, ReportDuplicatesResponse report, CancellationToken cancellationToken)
    {
        var text = new StringBuilder().Append(CsvHeader).Append("\r\n");
        foreach (var row in report.Facilities)
        {
            // Facility codes are validated 5 letters/digits (or empty): nothing to quote.
            text.Append(CultureInfo.InvariantCulture, $"{row.FacilityCode},{row.Records},{row.Persons},{row.DuplicatesWithin},{row.PersonsSeenElsewhere},{row.OpenReviewItems}\r\n");
        }

        await File.WriteAllTextAsync(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), cancellationToken);
    }
}
