using Hl7.Fhir.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.DemoData;

/// <summary>
/// Loads the synthetic demo province into an empty repository on first start (<c>Demo:SeedOnFirstStart</c>), through
/// the same transaction path as any hospital system, so the demo exercises the real write path.
/// </summary>
public static class DemoSeeder
{
    /// <summary>Seeds when configured and the store holds no resources; returns how many bundles were loaded.</summary>
    public static async Task<int> SeedDemoDataIfEmptyAsync(this IServiceProvider services, IConfiguration configuration, CancellationToken cancellationToken = default)
    {
        if (!configuration.GetValue("Demo:SeedOnFirstStart", false))
        {
            return 0;
        }

        var store = services.GetRequiredService<FhirStore>();
        if ((await store.CountByTypeAsync(null, null, cancellationToken)).Count > 0)
        {
            return 0;
        }

        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("YTeSo.DemoData");
        var patients = configuration.GetValue("Demo:Patients", 200);
        logger.LogInformation("Empty store: loading the synthetic demo province ({Patients} citizens)...", patients);
        var loaded = await LoadAsync(services.GetRequiredService<FhirRepository>(), FhirAccess.System("demo seeding on first start"), new DemoDataOptions(Patients: patients), cancellationToken);
        logger.LogInformation("Demo data loaded: {Bundles} transaction bundles.", loaded);
        return loaded;
    }

    internal static async Task<int> LoadAsync(FhirRepository repository, FhirAccess access, DemoDataOptions options, CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var bundle in new DemoDataGenerator(options).GenerateTransactionBundles())
        {
            var response = await repository.ProcessBundleAsync(access, bundle, returnRepresentation: false, cancellationToken);
            if (response.Type != Bundle.BundleType.TransactionResponse)
            {
                throw new InvalidOperationException("A demo bundle was not processed as a transaction.");
            }

            count++;
        }

        return count;
    }
}
