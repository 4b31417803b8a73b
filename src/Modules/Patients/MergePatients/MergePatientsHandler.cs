using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Contracts;
using YTeSo.Patients.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Patients.MergePatients;

/// <summary>What a merge did (or, in a preview, would do).</summary>
internal sealed record MergeResult(Guid? MergeId, Patient Target, IReadOnlyList<(string Type, string Id, IReadOnlyList<string> Paths)> Repointed, bool Preview);

/// <summary>
/// Merges a source Patient into a target in one repository transaction (docs/mpi.md "Merge and unmerge"): every
/// resource referencing the source is re-pointed, the source becomes inactive and replaced-by the target, the target
/// replaces the source; every PUT carries If-Match on the version read, so a concurrent change fails the whole merge.
/// </summary>
internal sealed class MergePatientsHandler(
    IFhirRepository fhir, PatientsDbContext db, IAuditTrail audit, IEnumerable<IPatientIdentityListener> listeners, ILogger<MergePatientsHandler> logger, TimeProvider clock)
{
    /// <summary>One transaction re-points at most this many resources; larger merges are refused (422), not half done.</summary>
    public const int MaxReferrers = 10_000;

    public async Task<MergeResult> HandleAsync(FhirAccess access, MergePatientsRequest request, CancellationToken cancellationToken)
    {
        var sourceId = await ResolveAsync(access, request.SourcePatient, request.SourceIdentifiers, "source", cancellationToken);
        var targetId = await ResolveAsync(access, request.TargetPatient, request.TargetIdentifiers, "target", cancellationToken);
        if (sourceId == targetId)
        {
            throw MergeRefusedException.Of(422, OperationOutcome.IssueType.BusinessRule, $"The source and the target are both Patient/{sourceId}: a patient cannot be merged into itself.");
        }

        var source = await ReadPatientAsync(access, sourceId, "source", cancellationToken);
        var target = await ReadPatientAsync(access, targetId, "target", cancellationToken);
        if (ReplacedBy(source) is { } into)
        {
            throw MergeRefusedException.Of(422, OperationOutcome.IssueType.BusinessRule, $"The source Patient/{sourceId} was already merged into {into}.");
        }

        if (ReplacedBy(target) is { } targetInto)
        {
            throw MergeRefusedException.Of(422, OperationOutcome.IssueType.BusinessRule, $"The target Patient/{targetId} was itself merged into {targetInto}; merge into that record instead.");
        }

        if (target.Active == false)
        {
            throw MergeRefusedException.Of(422, OperationOutcome.IssueType.BusinessRule, $"The target Patient/{targetId} is inactive.");
        }

        if (request.ResultPatient is { } resultPatient && resultPatient.Id != targetId)
        {
            throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Invalid, $"result-patient must have the target's id '{targetId}'.");
        }

        var referrers = await fhir.FindReferrersAsync(access, "Patient", sourceId, MaxReferrers, cancellationToken);
        if (referrers.Hidden > 0)
        {
            throw MergeRefusedException.Of(403, OperationOutcome.IssueType.Forbidden, $"{referrers.Hidden} resources referencing Patient/{sourceId} are hidden from this caller; a merge must move all of them.");
        }

        if (referrers.Truncated)
        {
            throw MergeRefusedException.Of(422, OperationOutcome.IssueType.TooCostly, $"More than {MaxReferrers} resources reference Patient/{sourceId}; this merge would not fit in one transaction.");
        }

        var entries = new List<Bundle.EntryComponent>();
        var record = new MergeRecordRow
        {
            Id = Guid.CreateVersion7(),
            SourcePatientId = sourceId,
            TargetPatientId = targetId,
            Reason = request.Reason,
            ActorId = access.Actor.Id,
            ActorDisplay = access.Actor.Display,
            MergedAt = clock.GetUtcNow(),
            SourceVersionBefore = MergeSupport.VersionOf(source),
            TargetVersionBefore = MergeSupport.VersionOf(target),
            SourceWasActive = source.Active,
        };
        var repointed = new List<(string, string, IReadOnlyList<string>)>();
        foreach (var referrer in referrers.Resources.Where(r => !(r.ResourceType == "Patient" && r.Id == targetId)))
        {
            var copy = (Resource)referrer.Resource!.DeepCopy();
            var paths = PatientReferences.Repoint(copy, sourceId, targetId);
            if (paths.Count == 0)
            {
                continue; // an absolute URL to this server: not a local reference (docs/mpi.md)
            }

            entries.Add(MergeSupport.Put(copy, referrer.Version));
            repointed.Add((referrer.ResourceType, referrer.Id, paths));
            record.References.Add(new MergedReferenceRow { Ordinal = record.References.Count, ResourceType = referrer.ResourceType, ResourceId = referrer.Id, VersionBefore = referrer.Version, Paths = string.Join('\n', paths) });
        }

        var newSource = (Patient)source.DeepCopy();
        newSource.Active = false;
        newSource.Link.Add(new Patient.LinkComponent { Other = new ResourceReference($"Patient/{targetId}"), Type = Patient.LinkType.ReplacedBy });
        var newTarget = (Patient)(request.ResultPatient ?? target).DeepCopy();
        newTarget.Link.RemoveAll(l => l.Other?.Reference == $"Patient/{sourceId}");
        newTarget.Link.Add(new Patient.LinkComponent { Other = new ResourceReference($"Patient/{sourceId}"), Type = Patient.LinkType.Replaces });
        if (request.Preview)
        {
            return new MergeResult(null, newTarget, repointed, Preview: true);
        }

        entries.Add(MergeSupport.Put(newSource, record.SourceVersionBefore));
        entries.Add(MergeSupport.Put(newTarget, record.TargetVersionBefore));

        // Recorded before the transaction: should the host stop between the two, the pending row still names every
        // version the merge read, and the source's replaced-by link says it happened.
        db.Merges.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        Bundle response;
        try
        {
            response = await fhir.ProcessBundleAsync(access, new Bundle { Type = Bundle.BundleType.Transaction, Entry = entries }, cancellationToken);
        }
        catch (Exception e)
        {
            db.Merges.Remove(record);
            await db.SaveChangesAsync(CancellationToken.None);
            await MergeSupport.AuditAsync(audit, access, AuditOutcomes.Failed, "$merge", sourceId, targetId, $"merge refused by the repository: {e.Message}", CancellationToken.None);
            throw MergeSupport.Translate(e);
        }

        for (var i = 0; i < record.References.Count; i++)
        {
            record.References[i].VersionAfter = MergeSupport.Version(response.Entry[i]);
        }

        record.SourceVersionAfter = MergeSupport.Version(response.Entry[^2]);
        record.TargetVersionAfter = MergeSupport.Version(response.Entry[^1]);
        record.Status = MergeStatus.Completed;
        await db.SaveChangesAsync(CancellationToken.None);
        await MergeSupport.AuditAsync(audit, access, AuditOutcomes.Success, $"$merge merge={record.Id}", sourceId, targetId,
            $"merge {record.Id}: Patient/{sourceId} into Patient/{targetId}, {record.References.Count} resources re-pointed; reason: {request.Reason}", CancellationToken.None);
        await MergeSupport.PublishAsync(listeners, logger, new PatientIdentityChanged(PatientIdentityChangeKind.Merged, $"Patient/{targetId}", [sourceId], record.Id, clock.GetUtcNow(), access.Actor.Id), CancellationToken.None);
        newTarget.Meta = new Meta { VersionId = record.TargetVersionAfter?.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return new MergeResult(record.Id, newTarget, repointed, Preview: false);
    }

    private static string? ReplacedBy(Patient patient) =>
        patient.Link.FirstOrDefault(l => l.Type == Patient.LinkType.ReplacedBy)?.Other?.Reference;

    private async Task<string> ResolveAsync(FhirAccess access, string? reference, IReadOnlyList<Identifier> identifiers, string role, CancellationToken cancellationToken)
    {
        if (reference is not null)
        {
            var parts = reference.Split('/');
            return parts is ["Patient", var id] && id.Length is > 0 and <= 64
                ? id
                : throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Invalid, $"{role}-patient '{reference}' is not a reference like Patient/123.");
        }

        if (identifiers.Count == 0)
        {
            throw MergeRefusedException.Of(400, OperationOutcome.IssueType.Required, $"Either {role}-patient or {role}-patient-identifier is required.");
        }

        var query = identifiers.Select(i => new KeyValuePair<string, string>("identifier", $"{i.System}|{i.Value}")).ToList();
        var page = await fhir.SearchAsync(access, "Patient", query, cancellationToken);
        return page.Resources switch
        {
            [var only] => only.Id!,
            [] => throw MergeRefusedException.Of(422, OperationOutcome.IssueType.NotFound, $"No Patient has the {role}-patient-identifier given."),
            _ => throw MergeRefusedException.Of(422, OperationOutcome.IssueType.MultipleMatches, $"More than one Patient has the {role}-patient-identifier given."),
        };
    }

    private async Task<Patient> ReadPatientAsync(FhirAccess access, string id, string role, CancellationToken cancellationToken)
    {
        if (await fhir.ReadAsync(access, "Patient", id, cancellationToken) is Patient patient)
        {
            return patient;
        }

        var history = await fhir.HistoryAsync(access, "Patient", id, cancellationToken);
        throw history is [{ IsDeleted: true }, ..]
            ? MergeRefusedException.Of(410, OperationOutcome.IssueType.Deleted, $"The {role} Patient/{id} was deleted.")
            : MergeRefusedException.Of(404, OperationOutcome.IssueType.NotFound, $"The {role} Patient/{id} does not exist.");
    }
}
