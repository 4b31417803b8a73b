using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using YTeSo.Platform.Auditing;

namespace YTeSo.Platform.Persistence;

/// <summary>Registers the database provider switch.</summary>
public static class PersistenceServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DatabaseOptions"/> from configuration (<c>Database</c>, <c>ConnectionStrings:Postgres</c>),
    /// registers the clock and the audit trail (<see cref="AuditServiceCollectionExtensions.AddAuditTrail"/>).
    /// </summary>
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(DatabaseOptions.From(configuration));
        services.AddSingleton(TimeProvider.System);
        services.AddAuditTrail();
        return services;
    }
}
