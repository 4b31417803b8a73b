using System.Diagnostics;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using Npgsql;

using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;

namespace YTeSo.Bench;

/// <summary>
/// <c>audit</c>: records/s through <see cref="IAuditTrail"/> from N parallel callers, each awaiting its commit as a
/// request handler would, on a fresh trail (a temporary SQLite folder or a new PostgreSQL database, removed after);
/// then the time to verify the whole chain.
/// </summary>
internal static class AuditBenchmark
{
    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var callers = arguments.Int("writers", 50);
        var seconds = arguments.Seconds;
        var folder = Path.Combine(Path.GetTempPath(), "yteso-bench-audit-" + Guid.NewGuid().ToString("N")[..8]);
        var postgres = arguments.IsPostgres
            ? new NpgsqlConnectionStringBuilder(arguments.PostgresConnectionString) { Database = "yteso_bench_audit_" + Path.GetFileName(folder)[^8..] }.ToString()
            : null;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = postgres is null ? "Sqlite" : "Postgres",
            ["Database:DataDirectory"] = folder,
            ["ConnectionStrings:Postgres"] = postgres,
        }).Build();
        try
        {
            await using var services = new ServiceCollection().AddLogging().AddPlatform(configuration).BuildServiceProvider();
            await services.InitializeAuditTrailAsync();
            var trail = services.GetRequiredService<IAuditTrail>();
            Console.WriteLine($"audit on {arguments.Db}, {callers} parallel callers, {arguments.WarmupSeconds} s warm-up + {seconds} s, {Environment.ProcessorCount} cores");

            await DriveAsync(trail, callers, TimeSpan.FromSeconds(arguments.WarmupSeconds));
            var (records, latencies, elapsed) = await DriveAsync(trail, callers, TimeSpan.FromSeconds(seconds));
            latencies.Sort();
            Console.WriteLine($"  records/s {records / elapsed.TotalSeconds:N0}   records {records:N0}");
            Console.WriteLine($"  RecordAsync latency ms p50 {Percentile(latencies, 0.50):N2}   p99 {Percentile(latencies, 0.99):N2}");

            var clock = Stopwatch.StartNew();
            var verification = await services.GetRequiredService<AuditVerifier>().VerifyAsync(null, CancellationToken.None);
            Console.WriteLine($"  verify: {verification.Message} in {clock.Elapsed.TotalSeconds:N1} s ({verification.Records / clock.Elapsed.TotalSeconds:N0} records/s)");
            return verification.Intact ? 0 : 1;
        }
        finally
        {
            if (postgres is not null)
            {
                await IngestBenchmark.DropPostgresDatabaseAsync(postgres);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    private static async Task<(long Records, List<double> LatenciesMs, TimeSpan Elapsed)> DriveAsync(IAuditTrail trail, int callers, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var perCaller = await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            var latencies = new List<double>();
            var actor = new AuditActor($"staff/bench-{caller}", $"Bench caller {caller}", "doctor", "bv-bench", SourceIp: "10.0.0.1", PurposeOfUse: "TREAT");
            while (clock.Elapsed < duration)
            {
                var patient = $"bench-{caller}-{latencies.Count % 1000}";
                var started = Stopwatch.GetTimestamp();
                await trail.RecordAsync(
                    new AuditRecord(AuditActions.Read, AuditOutcomes.Success, actor, "Patient", [$"Patient/{patient}"], [patient]),
                    CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            return latencies;
        })));
        var elapsed = clock.Elapsed;
        var all = perCaller.SelectMany(l => l).ToList();
        return (all.Count, all, elapsed);
    }

    private static double Percentile(List<double> sorted, double fraction) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * fraction))];
}
