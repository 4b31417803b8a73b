using System.Collections.Concurrent;
using System.Diagnostics;

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
    private sealed record Operation(string Kind, FhirAccess Province, FhirAccess Facility, Func<FhirRepository, FhirAccess, Task<long>> Run);

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
            reads.Add(new("read " + type, province, byOrganization[organization], async (r, a) => (await r.ReadCurrentAsync(a, type, id, CancellationToken.None)).Version));
        }

        var searches = new List<Operation>();
        foreach (var (citizen, i) in sample.Citizens.Select((c, i) => (c, i)))
        {
            var facility = byOrganization[facilities.GetValueOrDefault(citizen.PatientId, fallback)];
            void Add(string kind, string url) => searches.Add(new(kind, province, facility, (r, a) => SearchAsync(r, a, url)));
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

        Console.WriteLine($"access overhead on {arguments.Db}, {sample.Resources:N0} resources, {arguments.Connections} parallel callers in process, " +
            $"{arguments.WarmupSeconds} s warm-up + {arguments.Seconds} s per run, {facilities.Values.Distinct().Count()} facilities, {Environment.ProcessorCount} cores");
        // The machine is shared and noisy: alternate the two callers over several rounds (province first in odd rounds,
        // facility first in even ones) and report each round's ratio and the median, not one pair of runs.
        foreach (var (name, mix) in new[] { ("read", reads), ("search", searches) })
        {
            var overheads = new List<double>();
            for (var round = 1; round <= arguments.Rounds; round++)
            {
                var rates = new Dictionary<bool, double>();
                foreach (var facilityScoped in round % 2 == 1 ? new[] { false, true } : [true, false])
                {
                    await MeasureAsync(repository, mix, facilityScoped, arguments.Connections, TimeSpan.FromSeconds(arguments.WarmupSeconds));
                    var (rate, p50, p99) = await MeasureAsync(repository, mix, facilityScoped, arguments.Connections, TimeSpan.FromSeconds(arguments.Seconds));
                    rates[facilityScoped] = rate;
                    Console.WriteLine($"  {name,-6} round {round} {(facilityScoped ? "facility-scoped" : "province-wide"),-16} {rate,9:N0}/s   p50 {p50,6:N2} ms   p99 {p99,6:N2} ms   load {LoadAverage()}");
                }

                overheads.Add((1 - (rates[true] / rates[false])) * 100);
                Console.WriteLine($"  {name,-6} round {round} overhead of the patient filter: {overheads[^1]:N1}%");
            }

            Console.WriteLine($"  {name,-6} overhead, median of {overheads.Count} rounds: {overheads.Order().ElementAt(overheads.Count / 2):N1}% (each: {string.Join(", ", overheads.Select(o => o.ToString("N1", System.Globalization.CultureInfo.InvariantCulture)))})");
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

    private static async Task<(double Rate, double P50, double P99)> MeasureAsync(FhirRepository repository, List<Operation> mix, bool facilityScoped, int callers, TimeSpan duration)
    {
        var latencies = new ConcurrentBag<double>();
        var next = -1;
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
        var sorted = latencies.Order().ToArray();
        return (sorted.Length / clock.Elapsed.TotalSeconds, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
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
