using System.Security.Claims;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.LinkPatients;
using YTeSo.Patients.MergePatients;
using YTeSo.Patients.Persistence;
using YTeSo.Platform.Auditing;

namespace YTeSo.Patients.ReviewMatches;

/// <summary>What a steward decides about a possible match.</summary>
internal enum ReviewDecision
{
    /// <summary>The same person: both records' groups become one golden record, and the matcher never splits them.</summary>
    Link,

    /// <summary>Not the same person: the pair is never linked again, and is split if it had been.</summary>
    NotSame,

    /// <summary>The same person registered twice at one place: one record is merged into the other (Patient/$merge).</summary>
    Merge,
}

/// <summary>One open possible match as the queue lists it (from the MPI's own tables).</summary>
internal sealed record ReviewItemSummary(
    long Id, double Probability, string? Rule, string? Conflict, DateTimeOffset CreatedAt, string PatientId, string CandidateId, PersonRecord? Patient, PersonRecord? Candidate);

/// <summary>One item with both records as the facilities wrote them, read through the repository with the steward's access.</summary>
internal sealed record ReviewCase(
    long Id,
    string Status,
    double Probability,
    string? Rule,
    string? Conflict,
    IReadOnlyList<FieldComparison> Fields,
    string PatientId,
    Patient? Patient,
    string CandidateId,
    Patient? Candidate,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? Reason);

/// <summary>A decision that could not be taken; nothing was changed. <see cref="Invalid"/>: the request itself was incomplete.</summary>
internal sealed class ReviewRefusedException(string message, bool invalid = false) : Exception(message)
{
    public bool Invalid { get; } = invalid;
}

/// <summary>
/// The MPI review queue (issue 4): possible matches the linker could not decide, listed for a steward who compares the
/// two records side by side and decides. Every view and every decision is in the audit trail under the steward, with the
/// reason they gave. Links and splits made here are sticky (<c>origin = reviewer</c>): the matcher never undoes them.
/// </summary>
internal sealed class MatchReviewQueue(
    PatientsDbContext db, IFhirRepository fhir, PatientLinker linker, MpiLock mpiLock, MergePatientsHandler merges, IAuditTrail audit, TimeProvider clock)
{
    public const int MaxReasonLength = 1000;

    /// <summary>The steward (a client with the MPI scope or a staff session in the steward's role) acting province-wide.</summary>
    public static bool MayReview(ClaimsPrincipal user, FhirAccess access) =>
        MergeSupport.IsSteward(user) && access.Patients is null && access.Allows("Patient", FhirInteractions.Read | FhirInteractions.Search);

    /// <summary>Open items, most probable first, and how many are open in all.</summary>
    public async Task<(IReadOnlyList<ReviewItemSummary> Items, int Open)> OpenAsync(FhirAccess access, int take, CancellationToken cancellationToken)
    {
        var open = await db.ReviewItems.CountAsync(i => i.Status == "open", cancellationToken);
        var rows = await db.ReviewItems.AsNoTracking().Where(i => i.Status == "open")
            .OrderByDescending(i => i.Probability).ThenBy(i => i.Id).Take(take).ToListAsync(cancellationToken);
        var ids = rows.SelectMany(r => new[] { r.PatientId, r.CandidateId }).Distinct(StringComparer.Ordinal).ToList();
        var sources = await db.Sources.AsNoTracking().Where(s => ids.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId, cancellationToken);
        PersonRecord? Person(string id) => sources.TryGetValue(id, out var row) ? PatientLinker.Deserialize(row) : null;

        // The list shows names and birth dates of patients: a read of personal data like any other.
        await audit.RecordAsync(
            new AuditRecord(AuditActions.Search, AuditOutcomes.Success, access.Actor, "Patient", [.. ids.Select(i => $"Patient/{i}")], ids, Query: "mpi-review-queue"),
            cancellationToken);
        return ([.. rows.Select(r => new ReviewItemSummary(r.Id, r.Probability, r.Rule, r.Conflict, r.CreatedAt, r.PatientId, r.CandidateId, Person(r.PatientId), Person(r.CandidateId)))], open);
    }

    /// <summary>The item and both records (the repository audits each read); null when there is no such item.</summary>
    public async Task<ReviewCase?> CaseAsync(FhirAccess access, long id, CancellationToken cancellationToken)
    {
        var row = await db.ReviewItems.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, cancellationToken);
        if (row is null)
        {
            return null;
        }

        var patient = await fhir.ReadAsync(access, "Patient", row.PatientId, cancellationToken) as Patient;
        var candidate = await fhir.ReadAsync(access, "Patient", row.CandidateId, cancellationToken) as Patient;
        var fields = JsonSerializer.Deserialize<List<FieldComparison>>(row.Fields, PatientLinker.Json) ?? [];
        return new ReviewCase(row.Id, row.Status, row.Probability, row.Rule, row.Conflict, fields, row.PatientId, patient, row.CandidateId, candidate, row.DecidedBy, row.DecidedAt, row.Reason);
    }

    /// <summary>
    /// Takes the decision on an open item. <paramref name="survivorId"/> (one of the pair) is the record that stays in a
    /// merge. Refused with a message, changing nothing, when the item is no longer open, the reason is missing, or the
    /// merge is refused.
    /// </summary>
    public async Task DecideAsync(FhirAccess access, long id, ReviewDecision decision, string? survivorId, string? reason, CancellationToken cancellationToken)
    {
        reason = reason?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            throw new ReviewRefusedException("A decision needs a reason (what in the records shows it).", invalid: true);
        }

        if (reason.Length > MaxReasonLength)
        {
            throw new ReviewRefusedException($"The reason is longer than {MaxReasonLength} characters.", invalid: true);
        }

        var item = await db.ReviewItems.FirstOrDefaultAsync(i => i.Id == id, cancellationToken)
            ?? throw new ReviewRefusedException($"There is no review item {id}.");
        if (item.Status != "open")
        {
            throw new ReviewRefusedException(item.Status == "obsolete"
                ? "One of the two records changed since this item was queued; the matcher has looked at it again."
                : $"This item was already decided ({item.Status}) by {item.DecidedBy}.");
        }

        var (patientId, candidateId) = (item.PatientId, item.CandidateId);
        var moves = new List<(string Patient, string? From, string? To)>();
        switch (decision)
        {
            case ReviewDecision.Link:
                using (await mpiLock.EnterAsync(cancellationToken))
                {
                    moves.AddRange(await LinkLockedAsync(patientId, candidateId, cancellationToken));
                }

                break;
            case ReviewDecision.NotSame:
                using (await mpiLock.EnterAsync(cancellationToken))
                {
                    moves.AddRange(await SeparateLockedAsync(access, patientId, candidateId, reason, cancellationToken));
                }

                break;
            case ReviewDecision.Merge:
                if (survivorId != patientId && survivorId != candidateId)
                {
                    throw new ReviewRefusedException("Choose which of the two records stays.", invalid: true);
                }

                var goner = survivorId == patientId ? candidateId : patientId;
                try
                {
                    await merges.HandleAsync(access, new MergePatientsRequest($"Patient/{goner}", [], $"Patient/{survivorId}", [], null, Preview: false, reason), cancellationToken);
                }
                catch (MergeRefusedException e)
                {
                    throw new ReviewRefusedException(e.Message);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(decision), decision, null);
        }

        var status = decision switch { ReviewDecision.Link => "linked", ReviewDecision.NotSame => "not-same", _ => "merged" };
        var now = clock.GetUtcNow();

        // The same pair queued the other way round, or twice, is decided with it.
        var decided = await db.ReviewItems
            .Where(i => i.Status == "open" && ((i.PatientId == patientId && i.CandidateId == candidateId) || (i.PatientId == candidateId && i.CandidateId == patientId)))
            .ToListAsync(cancellationToken);
        foreach (var row in decided.Append(item).Distinct())
        {
            (row.Status, row.DecidedBy, row.DecidedAt, row.Reason) = (status, access.Actor.Display ?? access.Actor.Id, now, reason);
        }

        await db.SaveChangesAsync(cancellationToken);
        await audit.RecordAsync(
            new AuditRecord(AuditActions.Operation, AuditOutcomes.Success, access.Actor, "Patient", [$"Patient/{patientId}", $"Patient/{candidateId}"], [patientId, candidateId],
                Query: $"mpi-review item={id} decision={status}" + (decision == ReviewDecision.Merge ? $" survivor=Patient/{survivorId}" : ""), Detail: reason),
            cancellationToken);
        foreach (var (patient, from, to) in moves)
        {
            await linker.PublishMoveAsync(patient, from, to, access.Actor.Id, cancellationToken);
        }
    }

    /// <summary>Both records' groups become the candidate's golden record; the pair is marked as a reviewer's link.</summary>
    private async Task<List<(string, string?, string?)>> LinkLockedAsync(string patientId, string candidateId, CancellationToken cancellationToken)
    {
        var (patient, candidate) = await PairAsync(patientId, candidateId, cancellationToken);
        var from = patient.GoldenId;
        var to = candidate.GoldenId;
        var moved = from == to ? [] : await db.Sources.Where(s => s.GoldenId == from).ToListAsync(cancellationToken);
        foreach (var member in moved)
        {
            member.GoldenId = to;
        }

        (patient.Origin, candidate.Origin) = ("reviewer", "reviewer");
        (patient.UpdatedAt, candidate.UpdatedAt) = (clock.GetUtcNow(), clock.GetUtcNow());

        // A pair once refused and now declared the same: the refusal no longer stands. One transaction with the move,
        // so a crash leaves either both or neither.
        var (a, b) = Ordered(patientId, candidateId);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.NonMatches.Where(n => n.PatientA == a && n.PatientB == b).ExecuteDeleteAsync(cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        await linker.RebuildGoldenAsync(to, cancellationToken);
        if (from != to)
        {
            await linker.RebuildGoldenAsync(from, cancellationToken);
        }

        return [.. moved.Select(m => (m.PatientId, (string?)from, (string?)to))];
    }

    /// <summary>Records the refusal; if the two are in one group now, the item's record leaves it for a person of its own.</summary>
    private async Task<List<(string, string?, string?)>> SeparateLockedAsync(FhirAccess access, string patientId, string candidateId, string reason, CancellationToken cancellationToken)
    {
        var (patient, candidate) = await PairAsync(patientId, candidateId, cancellationToken);
        var (a, b) = Ordered(patientId, candidateId);
        if (!await db.NonMatches.AnyAsync(n => n.PatientA == a && n.PatientB == b, cancellationToken))
        {
            db.NonMatches.Add(new NonMatchRow { PatientA = a, PatientB = b, DecidedBy = access.Actor.Id, DecidedAt = clock.GetUtcNow(), Reason = reason });
        }

        List<(string, string?, string?)> moves = [];
        if (patient.GoldenId == candidate.GoldenId)
        {
            var from = patient.GoldenId;
            (patient.GoldenId, patient.Origin, patient.Weight) = (Guid.CreateVersion7().ToString(), "reviewer", null);
            moves.Add((patientId, from, patient.GoldenId));
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var (_, from, to) in moves)
        {
            await linker.RebuildGoldenAsync(to!, cancellationToken);
            await linker.RebuildGoldenAsync(from!, cancellationToken);
        }

        return moves;
    }

    private async Task<(SourceRecordRow Patient, SourceRecordRow Candidate)> PairAsync(string patientId, string candidateId, CancellationToken cancellationToken)
    {
        var patient = await db.Sources.FindAsync([patientId], cancellationToken);
        var candidate = await db.Sources.FindAsync([candidateId], cancellationToken);
        if (patient is null || candidate is null)
        {
            throw new ReviewRefusedException("One of the two records has left the index (deleted or merged) since this item was queued.");
        }

        return (patient, candidate);
    }

    private static (string A, string B) Ordered(string x, string y) => string.CompareOrdinal(x, y) <= 0 ? (x, y) : (y, x);
}
