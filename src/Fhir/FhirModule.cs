using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using YTeSo.Fhir.Access;
using YTeSo.Fhir.Api;
using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Indexing;
using YTeSo.Fhir.Ingest;
using YTeSo.Fhir.Operations;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Persistence;

namespace YTeSo.Fhir;

/// <summary>The FHIR R4 clinical data repository: storage, search, REST API and bulk operations.</summary>
public static class FhirModule
{
    /// <summary>Registers the repository and its storage for the configured database provider.</summary>
    public static IServiceCollection AddFhir(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirOptions>().Bind(configuration.GetSection(FhirOptions.Section));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<FhirOptions>>().Value);
        services.AddSingleton<SearchParameterCatalog>();
        services.AddSingleton<PatientAccessExtractor>();
        services.AddSingleton<IndexExtractor>();
        services.AddSingleton<PatientCompartment>();
        services.AddSingleton<AccessSql>();
        services.AddSingleton<RepositoryAudit>();
        services.AddSingleton<PatientAccessBackfill>();
        services.AddSingleton(sp => FhirDatabase.Create(sp.GetRequiredService<DatabaseOptions>()));
        services.AddSingleton<Changes.ChangeOutbox>();
        services.AddSingleton<IResourceChangeFeed>(sp => sp.GetRequiredService<Changes.ChangeOutbox>());
        services.AddSingleton<Changes.ChangeDispatcher>();
        services.AddHostedService<Changes.ChangeWorker>();
        services.AddSingleton<FhirStore>();
        services.AddSingleton<FhirSerializers>();
        services.AddSingleton<IFhirJson>(sp => sp.GetRequiredService<FhirSerializers>());
        services.AddSingleton<SearchQueryParser>();
        services.AddSingleton<SearchSqlBuilder>();
        services.AddSingleton<SearchEngine>();
        services.AddSingleton<ResourceWriter>();
        services.AddSingleton<FhirRepository>();
        services.AddSingleton<IFhirRepository>(sp => sp.GetRequiredService<FhirRepository>());
        services.AddSingleton<FhirResponse>();
        services.AddSingleton<RequestBodyReader>();
        services.AddSingleton<CapabilityStatementBuilder>();
        services.AddSingleton<ExportJobs>();
        services.AddSingleton<ExportCleanup>();
        services.AddHostedService(sp => sp.GetRequiredService<ExportCleanup>());
        services.AddSingleton<ImportUnitPreparer>();
        services.AddSingleton<BulkImporter>();
        return services;
    }

    /// <summary>
    /// Subscribes <typeparamref name="THandler"/> (scoped) to writes of <paramref name="resourceTypes"/>: see
    /// <see cref="IResourceChangeHandler"/>. <paramref name="consumer"/> names its pending changes in the outbox, so keep it stable.
    /// </summary>
    public static IServiceCollection AddResourceChangeHandler<THandler>(this IServiceCollection services, string consumer, params string[] resourceTypes)
        where THandler : class, IResourceChangeHandler
    {
        services.AddScoped<THandler>();
        services.AddSingleton(new ResourceChangeSubscription(consumer, new HashSet<string>(resourceTypes, StringComparer.Ordinal), typeof(THandler)));
        return services;
    }

    /// <summary>Adds a business rule checked before every create or update of its resource types: see <see cref="IResourceWriteRule"/>.</summary>
    public static IServiceCollection AddResourceWriteRule<TRule>(this IServiceCollection services)
        where TRule : class, IResourceWriteRule
    {
        services.AddSingleton<TRule>();
        services.AddSingleton<IResourceWriteRule>(sp => sp.GetRequiredService<TRule>());
        return services;
    }

    /// <summary>Creates or upgrades the store's schema; call once at start-up before serving requests.</summary>
    public static async Task InitializeFhirAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        var options = services.GetRequiredService<DatabaseOptions>();
        if (options.Provider == DatabaseProvider.Postgres)
        {
            await PostgresDatabase.EnsureExistsAsync(options.PostgresConnectionString!, cancellationToken);
        }

        var (applied, hadResources) = await services.GetRequiredService<FhirStore>().InitializeAsync(cancellationToken);
        if (hadResources && applied.Any(m => m.Contains("CREATE TABLE patient_access", StringComparison.Ordinal)))
        {
            await services.GetRequiredService<PatientAccessBackfill>().RunAsync(cancellationToken);
        }

        await services.GetRequiredService<ExportJobs>().FailInterruptedAsync(cancellationToken);
    }

    /// <summary>Maps the FHIR REST API under <paramref name="prefix"/> (normally <c>/fhir</c>).</summary>
    public static IEndpointRouteBuilder MapFhir(this IEndpointRouteBuilder endpoints, string prefix = "/fhir")
    {
        FhirEndpoints.Map(endpoints, prefix);
        return endpoints;
    }
}
