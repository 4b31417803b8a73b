using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Platform.Persistence;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Contracts;
using YTeSo.Registry.ImportAdministrativeUnits;
using YTeSo.Registry.Persistence;
using YTeSo.Registry.Terminology;
using YTeSo.Registry.Terminology.ImportCodeLists;
using YTeSo.Registry.Terminology.Index;
using YTeSo.Registry.Terminology.Operations;
using YTeSo.Registry.Terminology.ShippedLists;

namespace YTeSo.Registry;

/// <summary>
/// Reference data every workflow needs: administrative units before and after the 2025 reform, with the mapping
/// between them (facilities, practitioners, licences and terminologies come next, issue 5).
/// </summary>
public static class RegistryModule
{
    public static IServiceCollection AddRegistry(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddModuleDbContext<RegistryDbContext, SqliteRegistryDbContext, PostgresRegistryDbContext>(database, "registry.db", PostgresRegistryDbContext.Schema);
        services.AddSingleton<AdministrativeUnitDirectory>();
        services.AddSingleton<IAdministrativeUnits>(sp => sp.GetRequiredService<AdministrativeUnitDirectory>());
        services.AddScoped<ImportAdministrativeUnitsHandler>();
        services.AddSingleton<TerminologyIndex>();                                   // terminology (issue 5): the code lists in memory
        services.AddResourceChangeHandler<TerminologyChangeHandler>(TerminologyChangeHandler.Consumer, TerminologyChangeHandler.ResourceTypes);
        services.AddSingleton<TerminologyWriter>();
        services.AddSingleton<AdministrativeUnitCodes>();
        services.AddSingleton<CodeSystemOperations>();
        services.AddSingleton<ValueSetOperations>();
        services.AddSingleton<ConceptMapOperations>();
        services.AddSingleton<ImportCodeListsHandler>();
        services.AddHostedService<ShippedCodeLists>();                               // the shipped lists, written on every start when changed
        return services;
    }

    /// <summary>Creates or upgrades the Registry tables.</summary>
    public static async Task InitializeRegistryAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<RegistryDbContext>().Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Loads administrative units from a folder of published files (see <see cref="ImportAdministrativeUnitsHandler"/>).</summary>
    public static async Task<AdministrativeUnitImportReport> ImportAdministrativeUnitsAsync(this IServiceProvider services, string folder, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ImportAdministrativeUnitsHandler>().HandleAsync(folder, cancellationToken);
    }

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder endpoints)
    {
        SearchAdministrativeUnitsEndpoint.Map(endpoints);
        TerminologyEndpoints.Map(endpoints);
        return endpoints;
    }
}
