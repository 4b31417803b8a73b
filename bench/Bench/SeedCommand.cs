using System.Diagnostics;
using System.Threading.Channels;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.DemoData;
using YTeSo.Fhir.Repository;
using YTeSo.Platform.Auditing;
using YTeSo.Platform.Persistence;
using Task = System.Threading.Tasks.Task;

namespace YTeSo.Bench;

/// <summary>
/// <c>seed</c>: loads the deterministic synthetic province (DemoData) once into a dataset folder (SQLite) or database
/// (PostgreSQL) through the ordinary transaction path, and writes the sample the load runs draw from.
/// </summary>
internal static class SeedCommand
{
    private const string BodyWeightLoinc = "29463-7";
    private const int MaxSampledCitizens = 2000;
    private const int MaxReadPaths = 50_000;

    public static async Task<int> RunAsync(BenchArguments arguments)
    {
        if (File.Exists(Path.Combine(arguments.DataDirectory, BenchSample.FileName)))
        {
            Console.Error.WriteLine($"{arguments.DataDirectory} already holds a dataset; use another --data or delete it.");
            return 1;
        }

        await using var services = Services(arguments);
        await services.InitializeFhirAsync();
        await services.InitializeAuditTrailAsync();
        var repository = services.GetRequiredService<FhirRepository>();

        var stride = Math.Max(1, arguments.Patients / MaxSampledCitizens);
        var sample = new BenchSample(arguments.Patients, 0, [], []);
        var bundles = Channel.CreateBounded<(int Index, Bundle Bundle)>(64);
        var resources = 0L;
        var clock = Stopwatch.StartNew();
        var generated = new DemoDataGenerator(new DemoDataOptions(Patients: arguments.Patients)).GenerateTransactionBundles();

        // The reference bundle (facilities, practitioners) first and alone: every citizen refers to it.
        var reference = generated.First();
        await repository.ProcessBundleAsync(FhirAccess.System("bench seed"), reference, returnRepresentation: false, CancellationToken.None);
        resources += reference.Entry.Count;
        var producer = Task.Run(async () =>
        {
            var index = 0;
            foreach (var bundle in generated.Skip(1))
            {
                await bundles.Writer.WriteAsync((index++, bundle));
            }

            bundles.Writer.Complete();
        });
        var writers = Enumerable.Range(0, arguments.Writers).Select(_ => Task.Run(async () =>
        {
            await foreach (var (index, bundle) in bundles.Reader.ReadAllAsync())
            {
                var response = await repository.ProcessBundleAsync(FhirAccess.System("bench seed"), bundle, returnRepresentation: false, CancellationToken.None);
                var total = Interlocked.Add(ref resources, bundle.Entry.Count);
                if (index % stride == 0)
                {
                    lock (sample)
                    {
                        Remember(sample, bundle, response);
                    }
                }

                if (index > 0 && index % 2000 == 0)
                {
                    Console.WriteLine($"{index:N0} citizens, {total:N0} resources, {total / clock.Elapsed.TotalSeconds:N0} resources/s");
                }
            }
        })).ToList();
        await producer;
        await Task.WhenAll(writers);
        var seconds = clock.Elapsed.TotalSeconds;
        await (sample with { Resources = resources }).SaveAsync(arguments.DataDirectory);
        Console.WriteLine($"Seeded {arguments.Patients:N0} citizens = {resources:N0} resources in {seconds:N0} s ({resources / seconds:N0} resources/s) into {arguments.DataDirectory}");
        return 0;
    }

    /// <summary>The repository's services on the dataset's database, without the web host.</summary>
    public static ServiceProvider Services(BenchArguments arguments)
    {
        var settings = arguments.ServerSettings().ToDictionary(s => s.Key.Replace("__", ":", StringComparison.Ordinal), s => (string?)s.Value);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddPlatform(configuration).AddFhir(configuration).BuildServiceProvider();
    }

    private static void Remember(BenchSample sample, Bundle request, Bundle response)
    {
        if (request.Entry[0].Resource is not Patient patient)
        {
            return;
        }

        var paths = response.Entry.Select(e => string.Join('/', e.Response!.Location!.Split('/').Take(2))).ToList();
        if (sample.ReadPaths.Count < MaxReadPaths)
        {
            sample.ReadPaths.AddRange(paths);
        }

        var weights = request.Entry.Select(e => e.Resource).OfType<Observation>()
            .Where(o => o.Code.Coding.Any(c => c.Code == BodyWeightLoinc))
            .Select(o => ((FhirDateTime)o.Effective!).Value![..10])
            .Order(StringComparer.Ordinal)
            .ToList();
        sample.Citizens.Add(new SampledCitizen(
            paths[0].Split('/')[1],
            patient.Identifier.First(i => i.System == "https://yteso.vn/fhir/sid/cccd").Value!,
            request.Entry.Count(e => e.Resource is Encounter),
            request.Entry.Count(e => e.Resource is Immunization),
            weights.Count,
            weights.FirstOrDefault(),
            weights.LastOrDefault()));
    }
}
