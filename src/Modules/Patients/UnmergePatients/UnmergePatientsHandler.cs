using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Contracts;
using YTeSo.Patients.MergePatients;
using YTeSo.Patients.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Patients.UnmergePatients;

/// <summary>The body of <c>POST /api/patients/merges/{id}/undo</c>: why (recorded in the merge and the audit trail).</summary>
public sealed record UnmergePatientsRequest(string? Reason);

/// <summary>One resource the unmerge wrote: restored exactly, or (changed since the merge) only its recorded paths.</summary>
public sealed record UnmergedResource(string ResourceType, string Id, int Version, bool ChangedSinceMerge, IReadOnlyList<string> Paths);

/// <summary>What the unmerge did.</summary>
public sealed record UnmergePatientsResponse(Guid MergeId, string SourcePatientId, string TargetPatientId, IReadOnlyList<UnmergedResource> Resources, IReadOnlyList<string> Skipped);

/// <summary>
/// Undoes a merge in one repository transaction (docs/mpi.md): a resource still at the version the merge wrote gets its
/// pre-merge content back as a new version; one changed since gets only the recorded paths pointed back at the source.
/// </summary>
internal sealed class UnmergePatientsHandler(
    IFhirRepository fhir, PatientsDbContext db, IAuditTrail audit, IEnumerable<IPatientIdentityListener> listeners, ILogger<UnmergePatientsHandler> logger, TimeProvider clock)
{
    public async Task<UnmergePatientsResponse> HandleAsync(FhirAccess access, Guid mergeId, UnmergePatientsRequest request, CancellationToken cancellationToken)
    {
        var record = await db.Merges.Include(m => m.References).FirstOrDefaultAsync(m => m.Id == mergeId, cancellationToken)
            ?? throw MergeRefusedException.Of(404, OperationOutcome.IssueType.NotFound, $"No merge {mergeId}.");
        if (record.Status != MergeStatus.Completed)
        {
            throw MergeRefusedException.Of(409, OperationOutcome.IssueType.Conflict, record.Status == MergeStatus.Undone
                ? $"Merge {mergeId} was already undone on {record.UndoneAt:O}."
                : $"Merge {mergeId} never completed; there is nothing to undo.");
        }

        var (source, target) = (record.SourcePatientId, record.TargetPatientId);
        var entries = new List<Bundle.EntryComponent>();
        var written = new List<UnmergedResource>();
        var skipped = new List<string>();
        foreach (var merged in record.References.OrderBy(r => r.Ordinal))
        {
            var lines = merged.Paths.Split('\n');
            var paths = lines.Select(l => l[..l.IndexOf(' ', StringComparison.Ordinal)]).ToList();
            if (await fhir.ReadAsync(access, merged.ResourceType, merged.ResourceId, cancellationToken) is not { } current)
            {
                skipped.Add($"{merged.ResourceType}/{merged.ResourceId}: deleted since the merge, left as is");
                continue;
            }

            var version = MergeSupport.VersionOf(current);
            if (version == merged.VersionAfter && await PriorAsync(access, merged.ResourceType, merged.ResourceId, merged.VersionBefore, cancellationToken) is { } prior)
            {
                entries.Add(MergeSupport.Put(prior, version));
                written.Add(new UnmergedResource(merged.ResourceType, merged.ResourceId, version, false, paths));
            }
            else
            {
                var copy = (Resource)current.DeepCopy();
                var restored = PatientReferences.Restore(copy, target, lines);
                if (restored.Count > 0)
                {
                    entries.Add(MergeSupport.Put(copy, version));
                }

                written.Add(new UnmergedResource(merged.ResourceType, merged.ResourceId, version, true, restored));
            }
        }

        entries.Add(await PatientAsync(access, source, record.SourceVersionAfter, record.SourceVersionBefore, p =>
        {
            p.Link.RemoveAll(l => l.Type == Patient.LinkType.ReplacedBy && l.Other?.Reference == $"Patient/{target}");
            p.Active = record.SourceWasActive;
        }, cancellationToken));
        entries.Add(await PatientAsync(access, target, record.TargetVersionAfter, record.TargetVersionBefore,
            p => p.Link.RemoveAll(l => l.Type == Patient.LinkType.Replaces && l.Other?.Reference == $"Patient/{source}"), cancellationToken));
        Bundle response;
        try
        {
            response = await fhir.ProcessBundleAsync(access, new Bundle { Type = Bundle.BundleType.Transaction, Entry = entries }, cancellationToken);
        }
        catch (Exception e)
        {
            await MergeSupport.AuditAsync(audit, access, AuditOutcomes.Failed, $"$unmerge merge={mergeId}", source, target, $"unmerge refused by the repository: {e.Message}", CancellationToken.None);
            throw MergeSupport.Translate(e);
        }

        var versions = response.Entry.Zip(entries).ToDictionary(x => x.Second.Request!.Url!, x => MergeSupport.Version(x.First) ?? 0, StringComparer.Ordinal);
        written = [.. written.Select(w => w with { Version = versions.GetValueOrDefault($"{w.ResourceType}/{w.Id}", w.Version) })];
        record.Status = MergeStatus.Undone;
        record.UndoneAt = clock.GetUtcNow();
        record.UndoneById = access.Actor.Id;
        record.UndoReason = request.Reason;
        await db.SaveChangesAsync(CancellationToken.None);
        await MergeSupport.AuditAsync(audit, access, AuditOutcomes.Success, $"$unmerge merge={mergeId}", source, target,
            $"unmerge {mergeId}: Patient/{source} split from Patient/{target}, {written.Count} resources restored ({written.Count(w => w.ChangedSinceMerge)} changed since); reason: {request.Reason}", CancellationToken.None);
        await MergeSupport.PublishAsync(listeners, logger, new PatientIdentityChanged(PatientIdentityChangeKind.Unmerged, $"Patient/{target}", [source], mergeId, clock.GetUtcNow(), access.Actor.Id), CancellationToken.None);
        return new UnmergePatientsResponse(mergeId, source, target, written, skipped);
    }

    /// <summary>A merged Patient back: its pre-merge content when unchanged since the merge, else only the merge's edits undone.</summary>
    private async Task<Bundle.EntryComponent> PatientAsync(FhirAccess access, string id, int? versionAfter, int versionBefore, Action<Patient> undo, CancellationToken cancellationToken)
    {
        var current = await fhir.ReadAsync(access, "Patient", id, cancellationToken) as Patient
            ?? throw MergeRefusedException.Of(409, OperationOutcome.IssueType.Conflict, $"Patient/{id} was deleted since the merge; undo by hand.");
        var version = MergeSupport.VersionOf(current);
        if (version == versionAfter && await PriorAsync(access, "Patient", id, versionBefore, cancellationToken) is { } prior)
        {
            return MergeSupport.Put(prior, version);
        }

        var copy = (Patient)current.DeepCopy();
        undo(copy);
        return MergeSupport.Put(copy, version);
    }

    /// <summary>The resource's content at <paramref name="version"/>, from the repository's history (never rewritten).</summary>
    private async Task<Resource?> PriorAsync(FhirAccess access, string type, string id, int version, CancellationToken cancellationToken)
    {
        var history = await fhir.HistoryAsync(access, type, id, cancellationToken);
        return history.FirstOrDefault(v => v.Version == version)?.Resource;
    }
}
