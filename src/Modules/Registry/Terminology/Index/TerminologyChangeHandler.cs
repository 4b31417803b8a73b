using Microsoft.Extensions.Hosting;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>
/// Keeps the in-memory index true to the store: any CodeSystem, ValueSet or ConceptMap written (the API, a bundle, an
/// import, the shipped lists) invalidates it, and the next operation rebuilds it. Idempotent, as the outbox requires.
/// </summary>
internal sealed class TerminologyChangeHandler(TerminologyIndex index, IHostApplicationLifetime? host = null) : IResourceChangeHandler
{
    public const string Consumer = "registry-terminology";

    public static readonly string[] ResourceTypes = ["CodeSystem", "ValueSet", "ConceptMap"];

    public Task HandleAsync(IReadOnlyList<ResourceChange> changes, CancellationToken cancellationToken)
    {
        // A command-line import (yteso import icd10) writes from its own process (no host), whose index serves nobody:
        // refusing here leaves the change pending in the outbox for the web host's worker, which refreshes the index that serves.
        if (host is null)
        {
            throw new InvalidOperationException("No terminology index serves requests in this process; the web host's outbox worker hands this change over.");
        }

        index.Invalidate();
        return Task.CompletedTask;
    }
}
