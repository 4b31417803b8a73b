using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Fhir.Changes;

/// <summary>
/// Hands recorded changes to their handlers: right after a write commits (so an HIS that creates a Patient finds it
/// linked when the answer arrives), and from the background worker for whatever is still pending (a handler failed, the
/// process died between commit and hand-over, or a bulk import wrote the changes). Acknowledged only after the handler
/// succeeds; see <see cref="IResourceChangeHandler"/>.
/// </summary>
internal sealed class ChangeDispatcher(ChangeOutbox outbox, IServiceScopeFactory scopes, ILogger<ChangeDispatcher> logger) : IDisposable
{
    private readonly SemaphoreSlim _wake = new(0);

    /// <summary>After a commit: the handlers run now; a failure is logged and left to the worker.</summary>
    public async Task DispatchAsync(IReadOnlyList<ResourceChange> changes, CancellationToken cancellationToken)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var subscription in outbox.Subscriptions)
        {
            var mine = changes.Where(c => subscription.ResourceTypes.Contains(c.ResourceType)).ToList();
            if (mine.Count == 0)
            {
                continue;
            }

            try
            {
                await HandleAsync(subscription, mine, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Change handler {Consumer} failed on {Count} changes; the background worker retries them.", subscription.Consumer, mine.Count);
                Wake();
            }
        }
    }

    /// <summary>Asks the worker to look for pending changes now (after a bulk import, or a failed hand-over).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Drains what is pending for every consumer; returns how many changes were handled.</summary>
    public async Task<int> DrainAsync(CancellationToken cancellationToken)
    {
        var handled = 0;
        foreach (var subscription in outbox.Subscriptions)
        {
            while (true)
            {
                var pending = await outbox.PendingAsync(subscription.Consumer, 200, cancellationToken);
                if (pending.Count == 0)
                {
                    break;
                }

                await HandleAsync(subscription, pending, cancellationToken);
                handled += pending.Count;
            }
        }

        return handled;
    }

    public void Dispose() => _wake.Dispose();

    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => await _wake.WaitAsync(timeout, cancellationToken);

    private async Task HandleAsync(ResourceChangeSubscription subscription, IReadOnlyList<ResourceChange> changes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var handler = (IResourceChangeHandler)scope.ServiceProvider.GetRequiredService(subscription.HandlerType);
        await handler.HandleAsync(changes, cancellationToken);
        await outbox.AcknowledgeAsync(subscription.Consumer, changes, cancellationToken);
    }
}

/// <summary>Retries pending changes: at start (what a crash or an import left behind), when woken, and every few seconds.</summary>
internal sealed class ChangeWorker(ChangeDispatcher dispatcher, FhirOptions options, ILogger<ChangeWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await dispatcher.DrainAsync(stoppingToken);
                await dispatcher.WaitAsync(options.ChangeRetryInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Pending resource changes could not be handled; retrying in {Delay}.", options.ChangeRetryInterval);
                await Task.Delay(options.ChangeRetryInterval, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
