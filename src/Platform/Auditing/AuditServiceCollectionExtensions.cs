using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

using YTeSo.Platform.Persistence;

namespace YTeSo.Platform.Auditing;

/// <summary>Registers the audit trail (called by <c>AddPlatform</c>, so every host that opens the database has it).</summary>
public static class AuditServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IAuditTrail"/>, <see cref="AuditQuery"/> and <see cref="AuditVerifier"/> over the
    /// configured database (<see cref="DatabaseOptions"/>). The writer starts with the first record and, when the
    /// service provider is disposed (host shutdown), commits what is queued before it stops.
    /// </summary>
    public static IServiceCollection AddAuditTrail(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => AuditDatabase.Create(sp.GetRequiredService<DatabaseOptions>()));
        services.TryAddSingleton<AuditStore>();
        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<IAuditTrail>(sp => sp.GetRequiredService<AuditTrail>());
        services.TryAddSingleton(sp => new AuditQuery(sp.GetRequiredService<AuditStore>()));
        services.TryAddSingleton(sp => new AuditVerifier(sp.GetRequiredService<AuditStore>()));
        return services;
    }

    /// <summary>Creates or upgrades the trail's tables (SQLite: <c>audit.db</c>); call at start-up so a host that cannot audit does not start.</summary>
    public static Task InitializeAuditTrailAsync(this IServiceProvider services, CancellationToken cancellationToken = default) =>
        services.GetRequiredService<AuditStore>().InitializeAsync(cancellationToken);
}
