using System.Diagnostics;
using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.DemoData;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Serialization;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using Bundle = Hl7.Fhir.Model.Bundle;

namespace YTeSo.Bench;

/// <summary>
/// Loads synthetic transaction Bundles into a fresh database and prints resources per second and peak working set.
/// <c>--via transactions</c> posts each Bundle through the repository as POST /fhir does; <c>--via import</c> (the
/// default) goes through the bulk importer that <c>yteso import fhir</c> uses.
/// </summary>
internal static class IngestBenchmark
{
    /// <summary>The public Synthea sample kept beside the repository (../shared/data), never copied into it.</summary>
    private static string SyntheaArchive => Path.GetFullPath(Path.Combine(BenchArguments.RepositoryRoot(), "..", "shared", "data", "synthea-r4-500.tgz"));

    public static async Task<int> RunAsync(string[] args)
    {
        var options = IngestBenchmarkOptions.Parse(args);
        // --keep DIR loads into DIR (SQLite) and leaves it there, for read/search runs on the same data afterwards.
        var dataDirectory = options.Keep ?? Path.Combine(Path.GetTempPath(), "yteso-bench", Guid.NewGuid().ToString("N"));
        var postgres = options.Postgres ? FreshPostgresDatabase() : null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = options.Postgres ? "Postgres" : "Sqlite",
            ["Database:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Postgres"] = postgres,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).BuildServiceProvider();
        try
        {
            await services.InitializeFhirAsync();
            await services.InitializeAuditTrailAsync();
            var bundles = options.Source == "demo" ? DemoBundles(options.Patients, services) : SyntheaBundles(options.Patients);
            Console.WriteLine($"ingest: {options.Source}, {(options.Postgres ? "PostgreSQL" : "SQLite")}, via {options.Via}, {Environment.ProcessorCount} cores");
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var resources = options.Via == "transactions"
                ? await ViaTransactionsAsync(services, bundles)
                : await ViaImportAsync(services, bundles);
            clock.Stop();
            var seconds = clock.Elapsed.TotalSeconds;
            using var process = Process.GetCurrentProcess();
            var cpu = process.TotalProcessorTime - cpuBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{resources:N0} resources in {seconds:F1} s = {resources / seconds:N0} resources/s; peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"process CPU {cpu.TotalSeconds:F1} s = {cpu.TotalMicroseconds / resources:F0} µs per resource (the figure to compare on a busy machine); load average {LoadAverage()}"));
            return 0;
        }
        finally
        {
            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (options.Keep is null && Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            if (postgres is not null)
            {
                await DropPostgresDatabaseAsync(postgres);
            }
        }
    }

    private static async Task<long> ViaTransactionsAsync(IServiceProvider services, IEnumerable<(string Name, string Json)> bundles)
    {
        var repository = services.GetRequiredService<FhirRepository>();
        var serializers = services.GetRequiredService<FhirSerializers>();
        long resources = 0;
        foreach (var (name, json) in bundles)
        {
            var bundle = (Bundle)serializers.ParseJson(json);
            var response = await repository.ProcessBundleAsync(FhirAccess.System("bench ingest"), bundle, returnRepresentation: false, CancellationToken.None);
            if (response.Entry.Any(e => e.Response?.Status?.StartsWith('2') != true))
            {
                throw new InvalidOperationException($"{name}: an entry failed.");
            }

            resources += bundle.Entry.Count;
        }

        return resources;
    }

    private static async Task<long> ViaImportAsync(IServiceProvider services, IEnumerable<(string Name, string Json)> bundles)
    {
        var importer = services.GetRequiredService<YTeSo.Fhir.Ingest.BulkImporter>();
        var sources = bundles.Select(b => new YTeSo.Fhir.Ingest.ImportSource(b.Name, b.Json.Length, () => new MemoryStream(Encoding.UTF8.GetBytes(b.Json))));
        var progress = new YTeSo.Fhir.Ingest.ImportProgress();
        var import = importer.ImportAsync(FhirAccess.System("bench ingest"), sources, progress, CancellationToken.None);
        await ReportRateAsAStoreGrowsAsync(import, progress);
        var report = await import;
        if (report.Rejections.Count > 0 || report.DanglingReferences.Count > 0)
        {
            throw new InvalidOperationException($"The import rejected something: {report.Rejections.Select(r => $"{r.Origin}: {r.Reason}").Concat(report.DanglingReferences.Select(d => d.ToString())).First()}");
        }

        return report.Imported;
    }

    /// <summary>Every 100,000 resources, the rate over the last stretch: how ingest slows as the indexes grow.</summary>
    private static async Task ReportRateAsAStoreGrowsAsync(Task import, YTeSo.Fhir.Ingest.ImportProgress progress)
    {
        const long Stretch = 100_000;
        var clock = Stopwatch.StartNew();
        var (mark, markTime) = (0L, TimeSpan.Zero);
        while (await Task.WhenAny(import, Task.Delay(1000)) != import)
        {
            var resources = progress.Resources;
            if (resources - mark >= Stretch)
            {
                var now = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {resources,11:N0} resources stored: {(resources - mark) / (now - markTime).TotalSeconds,7:N0} resources/s over the last {resources - mark:N0} (load average {LoadAverage()})"));
                (mark, markTime) = (resources, now);
            }
        }
    }

    private static IEnumerable<(string Name, string Json)> SyntheaBundles(int patients)
    {
        using var tar = new TarReader(new GZipStream(File.OpenRead(SyntheaArchive), CompressionMode.Decompress));
        var taken = 0;
        while (taken < patients && tar.GetNextEntry() is { } entry)
        {
            if (entry.DataStream is null || !entry.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                continue;
            }

            using var reader = new StreamReader(entry.DataStream, Encoding.UTF8);
            yield return (entry.Name, reader.ReadToEnd());
            taken++;
        }
    }

    private static IEnumerable<(string Name, string Json)> DemoBundles(int patients, IServiceProvider services)
    {
        var serializers = services.GetRequiredService<FhirSerializers>();
        var number = 0;
        foreach (var bundle in new DemoDataGenerator(new DemoDataOptions(Patients: patients)).GenerateTransactionBundles())
        {
            yield return ($"demo-{number++}.json", serializers.ToJson(bundle));
        }
    }

    /// <summary>Other work on the machine skews wall-clock figures; the 1-minute load average says how much.</summary>
    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

    internal static string FreshPostgresDatabase()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Postgres")
            ?? "Host=127.0.0.1;Username=yteso;Password=yteso;Database=yteso_dev";
        return new Npgsql.NpgsqlConnectionStringBuilder(configured) { Database = "yteso_bench_" + Guid.NewGuid().ToString("N")[..12] }.ToString();
    }

    internal static async Task DropPostgresDatabaseAsync(string connectionString)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        await using var connection = new Npgsql.NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

internal sealed record IngestBenchmarkOptions(bool Postgres, string Source, int Patients, string Via, string? Keep)
{
    public static IngestBenchmarkOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var at = Array.IndexOf(args, name);
            return at >= 0 && at + 1 < args.Length ? args[at + 1] : fallback;
        }

        return new IngestBenchmarkOptions(
            Value("--db", "sqlite") == "postgres",
            Value("--source", "synthea"),
            int.Parse(Value("--patients", "500"), CultureInfo.InvariantCulture),
            Value("--via", "import"),
            Array.IndexOf(args, "--keep") is var at && at >= 0 && at + 1 < args.Length ? Path.GetFullPath(args[at + 1]) : null);
    }
}
