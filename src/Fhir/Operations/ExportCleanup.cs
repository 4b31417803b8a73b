using Microsoft.Extensions.Logging;
using YTeSo.Platform.Jobs;

namespace YTeSo.Fhir.Operations;

/// <summary>Hourly: finished exports older than <see cref="FhirOptions.ExportRetentionHours"/> are deleted, files and all.</summary>
internal sealed class ExportCleanup(ExportJobs jobs, FhirOptions options, TimeProvider clock, ILogger<ExportCleanup> logger) : PeriodicJob(clock, logger)
{
    private readonly TimeProvider _clock = clock;

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    public override async Task<string?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var deleted = await jobs.DeleteFinishedAsync(_clock.GetUtcNow().AddHours(-options.ExportRetentionHours), cancellationToken);
        return deleted > 0 ? $"deleted {deleted} finished export jobs older than {options.ExportRetentionHours} h" : null;
    }
}
