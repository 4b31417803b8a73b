using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using YTeSo.Fhir;
using YTeSo.Patients.DedupePatients;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.LinkPatients;
using YTeSo.Patients.MatchPatients;
using YTeSo.Patients.MergePatients;
using YTeSo.Patients.Persistence;
using YTeSo.Patients.ReportDuplicates;
using YTeSo.Patients.ReviewMatches;
using YTeSo.Patients.UnmergePatients;
using YTeSo.Platform.Persistence;

namespace YTeSo.Patients;

/// <summary>
/// The master patient index (issue 4): Vietnamese identifiers, matching of source Patient records from every facility,
/// golden records linked to their sources, the review queue, merge and unmerge.
/// </summary>
public static class PatientsModule
{
    public static IServiceCollection AddPatients(this IServiceCollection services, IConfiguration configuration)
    {
        var database = DatabaseOptions.From(configuration);
        services.AddModuleDbContext<PatientsDbContext, SqlitePatientsDbContext, PostgresPatientsDbContext>(database, "patients.db", PostgresPatientsDbContext.Schema);
        services.AddSingleton(new MatchEngine(MatchSettings.Default, NameFrequencies.Default));
        services.AddSingleton<MpiLock>();
        services.AddSingleton<CommuneTranslator>();
        services.AddResourceChangeHandler<PatientLinker>(PatientLinker.Consumer, "Patient");   // real-time linking of every Patient written
        services.AddScoped<MergePatientsHandler>();
        services.AddScoped<UnmergePatientsHandler>();
        services.AddScoped<MatchReviewQueue>();                  // the review queue's pages (/mpi/hang-doi)
        services.AddScoped<DedupePatientsHandler>();
        services.AddScoped<ReportDuplicatesHandler>();
        return services;
    }

    /// <summary>Creates or upgrades the MPI tables.</summary>
    public static async Task InitializePatientsAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<PatientsDbContext>().Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Deduplicates every source Patient at once (<c>yteso mpi dedupe</c>; see <see cref="DedupePatientsHandler"/>).</summary>
    public static async Task<DedupePatientsResponse> DedupePatientsAsync(
        this IServiceProvider services, DedupePatientsRequest request, IProgress<DedupePatientsProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DedupePatientsHandler>().HandleAsync(request, progress, cancellationToken);
    }

    /// <summary>The per-facility duplicate report (<c>yteso mpi report</c>; see <see cref="ReportDuplicatesHandler"/>).</summary>
    public static async Task<ReportDuplicatesResponse> ReportDuplicatesAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReportDuplicatesHandler>().HandleAsync(cancellationToken);
    }

    public static IEndpointRouteBuilder MapPatients(this IEndpointRouteBuilder endpoints)
    {
        MatchPatientsEndpoint.Map(endpoints);
        endpoints.MapMergePatients();
        endpoints.MapUnmergePatients();
        endpoints.MapReviewMatches();
        return endpoints;
    }
}
