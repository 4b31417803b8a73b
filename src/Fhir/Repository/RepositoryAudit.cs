using YTeSo.Fhir.Contracts;
using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Repository;

/// <summary>What an interaction touched, for its audit record.</summary>
internal sealed record AuditFacts(IReadOnlyList<string> ResourceIds, IReadOnlyList<string> PatientIds)
{
    public static readonly AuditFacts None = new([], []);
}

/// <summary>
/// The one place the repository writes the audit trail: exactly one <see cref="AuditRecord"/> per interaction (per entry
/// of a bundle), awaited before the result goes back to the caller, so no answer leaves unaudited (the trail's
/// <see cref="IAuditTrail.RecordAsync"/> completes once the record is durable). Outcomes: success; denied for a 403;
/// failed for any other error, a hidden resource's 404 included (with the requested id and no patient id).
/// </summary>
internal sealed class RepositoryAudit(IAuditTrail trail)
{
    private const int MaxDetail = 300;

    public async Task<T> RunAsync<T>(
        FhirAccess access, string action, string? type, string? requested, string? query, Func<Task<(T Result, AuditFacts Facts)>> work, CancellationToken cancellationToken)
    {
        (T Result, AuditFacts Facts) done;
        try
        {
            done = await work();
        }
        catch (Exception e)
        {
            await FailedAsync(access, action, type, requested, query, e, cancellationToken);
            throw;
        }

        await SucceededAsync(access, action, type, done.Facts, query, cancellationToken);
        return done.Result;
    }

    public ValueTask SucceededAsync(FhirAccess access, string action, string? type, AuditFacts facts, string? query, CancellationToken cancellationToken) =>
        trail.RecordAsync(
            new AuditRecord(
                action, AuditOutcomes.Success, access.Actor, type, facts.ResourceIds, facts.PatientIds, query,
                BreakGlass: facts.PatientIds.Any(access.BreakGlassPatientIds.Contains)),
            cancellationToken);

    public ValueTask FailedAsync(FhirAccess access, string action, string? type, string? requested, string? query, Exception error, CancellationToken cancellationToken)
    {
        var outcome = error is FhirOperationException { Status: 401 or 403 } ? AuditOutcomes.Denied : AuditOutcomes.Failed;
        var detail = error is FhirOperationException or OperationCanceledException ? error.Message : $"{error.GetType().Name}: {error.Message}";
        return trail.RecordAsync(
            new AuditRecord(action, outcome, access.Actor, type, requested is null ? [] : [requested], [], query, Detail: detail.Length > MaxDetail ? detail[..MaxDetail] : detail),

            // A request cancelled by its client is still recorded.
            cancellationToken.IsCancellationRequested ? CancellationToken.None : cancellationToken);
    }
}
