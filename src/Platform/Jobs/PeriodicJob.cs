using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace YTeSo.Platform.Jobs;

/// <summary>
/// Housekeeping that runs in the host at a fixed interval (first run one interval after start): expired tokens,
/// finished export files. A failed run is logged and tried again at the next tick; it never stops the host. The work
/// itself is a plain method the tests call directly, so nothing depends on waiting for a timer.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>Time between runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run; returns a short summary for the log (null when there was nothing to do).</summary>
    public abstract Task<string?> RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (await RunOnceAsync(stoppingToken) is { } summary)
                    {
                        LogRan(logger, GetType().Name, summary);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, e, GetType().Name);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // the host is stopping
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Job}: {Summary}")]
    private static partial void LogRan(ILogger logger, string job, string summary);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Job} failed; it runs again at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception, string job);
}
