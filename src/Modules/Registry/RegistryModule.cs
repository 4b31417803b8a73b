using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Platform.Persistence;
using YTeSo.Registry.AdministrativeUnits;
using YTeSo.Registry.Contracts;
using YTeSo.Registry.Facilities;
using YTeSo.Registry.Facilities.FacilityMap;
using YTeSo.Registry.Facilities.RegisterFacility;
using YTeSo.Registry.Facilities.SearchFacilities;
using YTeSo.Registry.ImportAdministrativeUnits;
using YTeSo.Registry.Licensing;
using YTeSo.Registry.Persistence;
using YTeSo.Registry.Practitioners;
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
        services.AddScoped<AdministrativeUnitLocations>();               // the units as FHIR Location, written by the import
        services.AddResourceWriteRule<FacilityWriteRule>();              // the facility profile, checked on every FHIR write
        services.AddScoped<SearchFacilitiesHandler>();
        services.AddScoped<RegisterFacilityHandler>();
        services.AddSingleton(MapOptions.From(configuration));
        services.AddResourceWriteRule<PractitionerRules>();       // a practice licence number has one holder
        services.AddResourceWriteRule<PractitionerRoleRules>();   // no overlapping roles of one practitioner at one facility
        services.AddOptions<LicensingOptions>().Bind(configuration.GetSection(LicensingOptions.Section));
        services.AddScoped<LicensingWorkflow>();                  // licence applications: submit, request info, approve, reject (/giay-phep)
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
        SearchFacilitiesEndpoint.Map(endpoints);
        RegisterFacilityEndpoint.Map(endpoints);
        ProvinceBoundaryEndpoint.Map(endpoints);
        endpoints.MapPractitioners();
        endpoints.MapLicensing();
        TerminologyEndpoints.Map(endpoints);
        return endpoints;
    }
}
