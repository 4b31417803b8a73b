using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients;
using YTeSo.Patients.Persistence;
using YTeSo.Patients.SyntheticPopulation;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using YTeSo.Registry;

namespace YTeSo.Bench;

/// <summary>
/// <c>mpi-host</c>: the master patient index inside the platform, not the matcher alone. Synthetic Patients (with their
/// duplicates) are created one at a time through the FHIR repository, as <c>POST /fhir/Patient</c> does: each commit
/// hands the change to the real-time linker before the call returns, which matches it against the MPI tables, writes
/// the golden Person and the review queue. <c>--linking off</c> runs the same writes without the Patients module, so
/// the difference is what real-time linking costs a hospital's write. SQLite by default, <c>--db postgres</c>.
/// </summary>
internal static class MpiHostBenchmark
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var people = arguments.Int("people", 10_000);
        var linking = arguments.Get("linking", "on") != "off";
        var postgres = arguments.Get("db", "sqlite") == "postgres" ? IngestBenchmark.FreshPostgresDatabase() : null;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "yteso-bench", Guid.NewGuid().ToString("N"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Database:DataDirectory"] = dataDirectory,
            ["ConnectionStrings:Postgres"] = postgres,
        }).Build();
        var collection = new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).AddRegistry(configuration);
        if (linking)
        {
            collection.AddPatients(configuration);
        }

        var services = collection.BuildServiceProvider();
        try
        {
            await services.InitializeFhirAsync();
            await services.InitializeAuditTrailAsync();
            await services.InitializeRegistryAsync();
            if (linking)
            {
                await services.InitializePatientsAsync();
            }

            var population = PopulationGenerator.Generate(new PopulationOptions { Seed = arguments.Int("seed", 1), People = people, DuplicateRate = 0.3 });
            var records = population.Records().Select(r => r.Patient).ToList();
            new Random(1).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(records));
            Console.WriteLine($"mpi-host: {records.Count:N0} Patient records of {people:N0} people, {(postgres is null ? "SQLite" : "PostgreSQL")}, real-time linking {(linking ? "on" : "off")}, {Environment.ProcessorCount} cores");

            var access = FhirAccess.System("bench mpi-host");
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var stretch = Stopwatch.StartNew();
            var latencies = new double[records.Count];
            for (var i = 0; i < records.Count; i++)
            {
                var started = Stopwatch.GetTimestamp();
                await using (var scope = services.CreateAsyncScope())
                {
                    // One scope per request, as the host gives each HTTP request.
                    await scope.ServiceProvider.GetRequiredService<IFhirRepository>().CreateAsync(access, records[i], CancellationToken.None);
                }

                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if ((i + 1) % 5_000 == 0)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {i + 1,9:N0} written: {5_000 / stretch.Elapsed.TotalSeconds,6:N0} Patients/s over the last 5,000 (load average {IngestBenchmark.LoadAverage()})"));
                    stretch.Restart();
                }
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Array.Sort(latencies);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {records.Count:N0} Patients in {seconds:F1} s = {records.Count / seconds:N0} Patients/s, one writer; latency p50 {latencies[latencies.Length / 2]:F1} ms, p95 {latencies[(int)(latencies.Length * 0.95)]:F1} ms, p99 {latencies[(int)(latencies.Length * 0.99)]:F1} ms; process CPU {cpu.TotalMilliseconds / records.Count:F2} ms per Patient"));
            if (linking)
            {
                await using var scope = services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<PatientsDbContext>();
                var golden = await db.Sources.Select(s => s.GoldenId).Distinct().CountAsync();
                var open = await db.ReviewItems.CountAsync(r => r.Status == "open");
                Console.WriteLine($"  {await db.Sources.CountAsync():N0} sources linked into {golden:N0} golden records ({people:N0} people); {open:N0} open review items");
            }

            {
                // The parts of a link, one at a time: a repository read (one audit record) and an MPI table query.
                await using var scope = services.CreateAsyncScope();
                var repository = scope.ServiceProvider.GetRequiredService<IFhirRepository>();
                var ids = (await repository.SearchAsync(access, "Patient", [new("_count", "200")], CancellationToken.None)).Resources.Select(r => r.Id!).ToList();
                var (readClock, readCpu) = (Stopwatch.StartNew(), Process.GetCurrentProcess().TotalProcessorTime);
                foreach (var id in ids)
                {
                    await repository.ReadAsync(access, "Patient", id, CancellationToken.None);
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  one repository read: {readClock.Elapsed.TotalMilliseconds / ids.Count:F2} ms wall, {(Process.GetCurrentProcess().TotalProcessorTime - readCpu).TotalMilliseconds / ids.Count:F2} ms CPU (audited)"));
            }

            using var process = Process.GetCurrentProcess();
            Console.WriteLine($"  peak working set {process.PeakWorkingSet64 / (1024 * 1024):N0} MB; load average {IngestBenchmark.LoadAverage()}");
            return 0;
        }
        finally
        {
            await services.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dataDirectory))
            {
                Directory.Delete(dataDirectory, recursive: true);
            }

            if (postgres is not null)
            {
                await IngestBenchmark.DropPostgresDatabaseAsync(postgres);
            }
        }
    }
}
