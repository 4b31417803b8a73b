using System.Data.Common;
using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using YTeSo.Fhir;
using YTeSo.Fhir.Storage;

namespace YTeSo.Bench;

/// <summary>
/// <c>sample</c>: derives the load runs' sample from the database itself, for a dataset whose seed was stopped part
/// way (each citizen is one transaction, so a stopped seed leaves whole citizens). Same shape as the seed's sample.
/// </summary>
internal static class SampleCommand
{
    private const int MaxReadPaths = 50_000;
    private const int MaxCitizens = 2000;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        // The same start-up as the server, so the schema (and its planner statistics) is current before we query.
        await using var services = SeedCommand.Services(arguments);
        await services.InitializeFhirAsync();
        await using var connection = await services.GetRequiredService<FhirDatabase>().OpenAsync(CancellationToken.None);
        var resources = await ScalarAsync(connection, "SELECT COUNT(*) FROM resources");
        var patients = await ScalarAsync(connection, "SELECT COUNT(*) FROM resources WHERE resource_type = 'Patient'");
        var readStride = Math.Max(1, resources / MaxReadPaths);
        var readPaths = new List<string>();
        await foreach (var row in RowsAsync(connection, $"SELECT resource_type, resource_id FROM resources WHERE resource_key % {readStride} = 0 LIMIT {MaxReadPaths}"))
        {
            readPaths.Add($"{row[0]}/{row[1]}");
        }

        var patientStride = Math.Max(1, patients / MaxCitizens);
        var patientRows = new List<object[]>();
        await foreach (var row in RowsAsync(connection, "SELECT resource_id FROM resources WHERE resource_type = 'Patient' ORDER BY resource_key"))
        {
            patientRows.Add(row);
        }

        var citizens = new List<SampledCitizen>();
        foreach (var id in patientRows.Where((_, i) => i % patientStride == 0).Select(r => (string)r[0]).Take(MaxCitizens))
        {
            var cccd = await ScalarTextAsync(connection, $"""
                SELECT t.code FROM idx_token t JOIN resources r ON r.resource_key = t.resource_key
                WHERE r.resource_type = 'Patient' AND r.resource_id = '{id}' AND t.param_id = {await ParamAsync(connection, "Patient", "identifier")} AND t.system = 'https://yteso.vn/fhir/sid/cccd'
                """);
            var encounters = await CountReferringAsync(connection, "Encounter", "subject", id);
            var immunizations = await CountReferringAsync(connection, "Immunization", "patient", id);
            var weightDates = new List<long>();
            await foreach (var row in RowsAsync(connection, $"""
                SELECT d.low FROM idx_reference x
                JOIN idx_token t ON t.resource_key = x.resource_key AND t.param_id = {await ParamAsync(connection, "Observation", "code")} AND t.code = '29463-7'
                JOIN idx_date d ON d.resource_key = x.resource_key AND d.param_id = {await ParamAsync(connection, "Observation", "date")}
                WHERE x.param_id = {await ParamAsync(connection, "Observation", "subject")} AND x.target_type = 'Patient' AND x.target_id = '{id}'
                """))
            {
                weightDates.Add(Convert.ToInt64(row[0], CultureInfo.InvariantCulture));
            }

            weightDates.Sort();
            citizens.Add(new SampledCitizen(id, cccd!, encounters, immunizations, weightDates.Count, Day(weightDates.FirstOrDefault()), Day(weightDates.LastOrDefault())));
        }

        await new BenchSample((int)patients, resources, readPaths, citizens).SaveAsync(arguments.DataDirectory);
        Console.WriteLine($"Sampled {readPaths.Count:N0} read paths and {citizens.Count:N0} citizens of {patients:N0} ({resources:N0} resources) into {arguments.DataDirectory}");
        return 0;
    }

    private static string? Day(long ticks) => ticks == 0 ? null : new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static async Task<int> CountReferringAsync(DbConnection connection, string type, string code, string patientId) =>
        (int)await ScalarAsync(connection, $"SELECT COUNT(*) FROM idx_reference WHERE param_id = {await ParamAsync(connection, type, code)} AND target_type = 'Patient' AND target_id = '{patientId}'");

    private static async Task<long> ParamAsync(DbConnection connection, string type, string code) =>
        await ScalarAsync(connection, $"SELECT param_id FROM search_parameters WHERE resource_type = '{type}' AND code = '{code}'");

    private static async Task<long> ScalarAsync(DbConnection connection, string sql) =>
        Convert.ToInt64(await ScalarTextAsync(connection, sql), CultureInfo.InvariantCulture);

    private static async Task<string?> ScalarTextAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async IAsyncEnumerable<object[]> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var row = new object[reader.FieldCount];
            reader.GetValues(row);
            yield return row;
        }
    }
}
