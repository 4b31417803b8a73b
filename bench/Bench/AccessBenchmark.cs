using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

using Microsoft.Extensions.DependencyInjection;

using YTeSo.Fhir;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Auditing;

namespace YTeSo.Bench;

/// <summary>
/// <c>access</c>: what the patient filter costs. The read and search mixes of <c>read</c> and <c>search</c> run in
/// process against the repository (the web host has no access resolver of its own until the Access module lands), once
/// as a province-wide caller and once as the staff of the facility that treats each citizen, so both return the same
/// resources; every call is audited in both runs. Run it on a copy of a dataset: the first start backfills
/// <c>patient_access</c> and the audit trail is written beside the data.
/// </summary>
internal static class AccessBenchmark
{
    /// <summary>One operation of a mix: as either caller in process, and its URL and treating facility for <c>--http true</c>.</summary>
    internal sealed record Operation(string Kind, string Url, string Organization, FhirAccess Province, FhirAccess Facility, Func<FhirRepository, FhirAccess, Task<long>> Run);

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        var sample = await BenchSample.LoadAsync(arguments.DataDirectory);
        await using var services = SeedCommand.Services(arguments);
        var clock = Stopwatch.StartNew();
        await services.InitializeFhirAsync();
        await services.InitializeAuditTrailAsync();
        Console.WriteLine($"  start-up (migrations, patient_access backfill on first run): {clock.Elapsed.TotalSeconds:N1} s");
        var repository = services.GetRequiredService<FhirRepository>();
        var facilities = await CareFacilitiesAsync(services.GetRequiredService<FhirStore>());
        var fallback = facilities.Values.First();

        var province = new FhirAccess
        {
            Actor = new AuditActor("bench/province", "bench province-wide"),
            Scopes = new Dictionary<string, FhirInteractions> { ["*"] = FhirInteractions.All },
        };
        FhirAccess Facility(string organization) => new()
        {
            Actor = new AuditActor($"bench/{organization}", "bench facility staff", "doctor", organization),
            Scopes = province.Scopes,
            Patients = new PatientFilter(new HashSet<string> { organization }, new HashSet<string>()),
        };
        var byOrganization = facilities.Values.Distinct().ToDictionary(o => o, Facility);

        var reads = new List<Operation>();
        foreach (var path in sample.ReadPaths.Take(2000))
        {
            var (type, id) = (path.Split('/')[0], path.Split('/')[1]);
            var stored = await repository.ReadCurrentAsync(province, type, id, CancellationToken.None);
            var patients = (await repository.FactsAsync([stored], CancellationToken.None)).PatientIds;
            var patient = patients.Count > 0 ? patients[0] : null;
            var organization = patient is not null && facilities.TryGetValue(patient, out var o) ? o : fallback;
            reads.Add(new("read " + type, path, organization, province, byOrganization[organization], async (r, a) => (await r.ReadCurrentAsync(a, type, id, CancellationToken.None)).Version));
        }

        var searches = new List<Operation>();
        foreach (var (citizen, i) in sample.Citizens.Select((c, i) => (c, i)))
        {
            var organization = facilities.GetValueOrDefault(citizen.PatientId, fallback);
            var facility = byOrganization[organization];
            void Add(string kind, string url) => searches.Add(new(kind, url, organization, province, facility, (r, a) => SearchAsync(r, a, url)));
            Add("Patient?identifier", SearchMixChecks.ByIdentifier(citizen));
            Add("Encounter?subject", SearchMixChecks.Encounters(citizen));
            if (citizen.WeightObservations > 0)
            {
                Add("Observation?code&date&_sort", SearchMixChecks.Weights(citizen));
            }

            if (citizen.Immunizations > 0)
            {
                Add("Immunization?patient", SearchMixChecks.Immunizations(citizen));
            }

            Add("Patient?name", SearchMixChecks.NameUrl(SearchMixChecks.FamilyNames[i % SearchMixChecks.FamilyNames.Length]));
            Add("Condition?code", SearchMixChecks.ConditionUrl(SearchMixChecks.ConditionCodes[i % SearchMixChecks.ConditionCodes.Length]));
        }

        // The facility treating a citizen must see the same record as the province: same totals for the citizen's searches.
        foreach (var op in searches.Where(o => o.Kind is not ("Patient?name" or "Condition?code")).Take(200))
        {
            var (p, f) = (await op.Run(repository, op.Province), await op.Run(repository, op.Facility));
            if (p != f)
            {
                throw new InvalidOperationException($"{op.Kind}: province-wide found {p}, the treating facility {f}.");
            }
        }

        if (arguments.Get("http", "false") == "true")
        {
            // The same operations through the real web host; the in-process services are no longer needed.
            await services.DisposeAsync();
            return await AccessHttpBenchmark.RunAsync(arguments, sample, reads, searches);
        }

        Console.WriteLine($"access overhead on {arguments.Db}, {sample.Resources:N0} resources, {arguments.Connections} parallel callers in process, " +
            $"{arguments.WarmupSeconds} s warm-up + {arguments.Seconds} s per run, {facilities.Values.Distinct().Count()} facilities, {Environment.ProcessorCount} cores");
        // The machine is shared and noisy: alternate the two callers over several rounds (province first in odd rounds,
        // facility first in even ones) and report each round's ratio and the median, not one pair of runs.
        foreach (var (name, mix) in new[] { ("read", reads), ("search", searches) })
        {
            var (overheads, cpuOverheads) = (new List<double>(), new List<double>());
            for (var round = 1; round <= arguments.Rounds; round++)
            {
                var (rates, cpu) = (new Dictionary<bool, double>(), new Dictionary<bool, double>());
                foreach (var facilityScoped in round % 2 == 1 ? new[] { false, true } : [true, false])
                {
                    await MeasureAsync(repository, mix, facilityScoped, arguments.Connections, TimeSpan.FromSeconds(arguments.WarmupSeconds));
                    var (rate, p50, p99, cpuPerOp) = await MeasureAsync(repository, mix, facilityScoped, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds));
                    (rates[facilityScoped], cpu[facilityScoped]) = (rate, cpuPerOp);
                    Console.WriteLine($"  {name,-6} round {round} {(facilityScoped ? "facility-scoped" : "province-wide"),-16} {rate,9:N0}/s   p50 {p50,6:N2} ms   p99 {p99,6:N2} ms   CPU {cpuPerOp * 1000,7:N0} µs/op   load {LoadAverage()}");
                }

                overheads.Add((1 - (rates[true] / rates[false])) * 100);
                cpuOverheads.Add((1 - (cpu[false] / cpu[true])) * 100);
                Console.WriteLine($"  {name,-6} round {round} overhead of the patient filter: {overheads[^1]:N1}% by throughput, {cpuOverheads[^1]:N1}% by CPU per operation");
            }

            Console.WriteLine($"  {name,-6} overhead, median of {overheads.Count} rounds: {Median(overheads):N1}% by throughput (each: {Join(overheads)}), {Median(cpuOverheads):N1}% by CPU per operation (each: {Join(cpuOverheads)})");
            await PairedAsync(repository, name, mix, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds));
        }

        return 0;
    }

    /// <summary>The 1-minute load average (/proc/loadavg), to read a run's figures against what else was running.</summary>
    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static async Task<long> SearchAsync(FhirRepository repository, FhirAccess access, string url)
    {
        var parts = url.Split('?', 2);
        var query = repository.ParseSearch(parts[0], QueryString.Parse(parts[1]), strict: true);
        var outcome = await repository.SearchAsync(access, query, CancellationToken.None);
        return outcome.Total ?? -1;
    }

    internal static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    internal static string Join(List<double> values) => string.Join(", ", values.Select(o => o.ToString("N1", CultureInfo.InvariantCulture)));

    /// <summary>
    /// Throughput and latency, and the process's CPU time per operation: other engineers' builds on the same cores take
    /// throughput away from both callers unevenly, but hardly change what one operation costs this process.
    /// </summary>
    private static async Task<(double Rate, double P50, double P99, double CpuMsPerOp)> MeasureAsync(FhirRepository repository, List<Operation> mix, bool facilityScoped, int callers, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var op = mix[(int)((uint)Interlocked.Increment(ref next) % (uint)mix.Count)];
                var started = Stopwatch.GetTimestamp();
                await op.Run(repository, facilityScoped ? op.Facility : op.Province);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        })));
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds;
        var sorted = latencies.Order().ToArray();
        return (sorted.Length / clock.Elapsed.TotalSeconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)], cpu / sorted.Length);
    }

    /// <summary>
    /// The same operation as both callers back to back (in turn which goes first), so both see the same moment of a
    /// noisy machine: the overhead is 1 - (time province-wide / time facility-scoped) summed over every pair, which is
    /// what the throughput ratio would be on a quiet machine. Also per kind of operation, to show where it goes.
    /// </summary>
    private static async Task PairedAsync(FhirRepository repository, string name, List<Operation> mix, int callers, TimeSpan duration)
    {
        var times = new ConcurrentDictionary<string, (double Province, double Facility, long Count)>(StringComparer.Ordinal);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < duration)
            {
                var n = Interlocked.Increment(ref next);
                var op = mix[(int)((uint)n % (uint)mix.Count)];
                var (first, second) = n % 2 == 0 ? (op.Province, op.Facility) : (op.Facility, op.Province);
                var started = Stopwatch.GetTimestamp();
                await op.Run(repository, first);
                var middle = Stopwatch.GetTimestamp();
                await op.Run(repository, second);
                var (a, b) = (Stopwatch.GetElapsedTime(started, middle).TotalMilliseconds, Stopwatch.GetElapsedTime(middle).TotalMilliseconds);
                var (province, facility) = n % 2 == 0 ? (a, b) : (b, a);
                times.AddOrUpdate(op.Kind, (province, facility, 1), (_, t) => (t.Province + province, t.Facility + facility, t.Count + 1));
            }
        })));
        foreach (var (kind, t) in times.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            Console.WriteLine($"  {name,-6} paired {kind,-28} {t.Count,7:N0} pairs   mean province {t.Province / t.Count,6:N2} ms   facility {t.Facility / t.Count,6:N2} ms");
        }

        var (p, f) = (times.Values.Sum(t => t.Province), times.Values.Sum(t => t.Facility));
        Console.WriteLine($"  {name,-6} paired overhead of the patient filter: {(1 - (p / f)) * 100:N1}% (load {LoadAverage()})");
    }

    /// <summary>One facility treating each patient (the first care relationship stored).</summary>
    private static async Task<Dictionary<string, string>> CareFacilitiesAsync(FhirStore store)
    {
        var facilities = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = await store.Database.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT patient_id, target FROM patient_access WHERE kind = 1 ORDER BY source_key";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            facilities.TryAdd(reader.GetString(0), reader.GetString(1));
        }

        return facilities;
    }
}
