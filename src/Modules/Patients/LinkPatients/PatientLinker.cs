using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Contracts;
using YTeSo.Patients.Domain;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.MergePatients;
using YTeSo.Patients.Persistence;

namespace YTeSo.Patients.LinkPatients;

/// <summary>
/// Real-time linking (issue 4): every Patient written, by the FHIR API, a bundle or an import, reaches
/// <see cref="HandleAsync"/> through the repository's change outbox. The source is reduced to a
/// <see cref="PersonRecord"/>, compared with the records sharing a blocking key, and linked to the golden record of its
/// best automatic match, or given a golden record of its own; possible matches go to the review queue. Idempotent: a
/// version already matched is skipped, so the outbox may hand a change over twice.
/// </summary>
internal sealed class PatientLinker(
    IFhirRepository fhir,
    PatientsDbContext db,
    MatchEngine engine,
    CommuneTranslator communes,
    MpiLock mpiLock,
    IEnumerable<IPatientIdentityListener> listeners,
    TimeProvider clock,
    ILogger<PatientLinker> logger)
    : IResourceChangeHandler
{
    public const string Consumer = "mpi";

    /// <summary>A blocking key shared by more records than this says little (a common name in a big commune): capped.</summary>
    private const int MaxCandidatesPerKey = 200;

    internal static readonly FhirAccess System = FhirAccess.System("Master patient index");

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Where the record being linked came from and went to, published once the lock is released.</summary>
    private readonly List<(string? From, string? To)> _moves = [];

    public async Task HandleAsync(IReadOnlyList<ResourceChange> changes, CancellationToken cancellationToken)
    {
        foreach (var change in changes.Where(c => c.ResourceType == "Patient").DistinctBy(c => c.Id))
        {
            await LinkAsync(change.Id, cancellationToken);
        }
    }

    /// <summary>Matches the current version of one source Patient and updates links, golden records and the queue.</summary>
    public async Task<LinkOutcome> LinkAsync(string patientId, CancellationToken cancellationToken)
    {
        var patient = await fhir.ReadAsync(System, "Patient", patientId, cancellationToken) as Patient;

        // A Patient deleted before the MPI saw it: nothing to undo.
        if (patient is null && !await db.Sources.AnyAsync(s => s.PatientId == patientId, cancellationToken))
        {
            return LinkOutcome.Skipped;
        }

        LinkOutcome outcome;
        using (await mpiLock.EnterAsync(cancellationToken))
        {
            outcome = await LinkLockedAsync(patientId, patient, cancellationToken);
        }

        // Outside the lock: a listener may write a Patient, whose change comes back here.
        foreach (var (from, to) in _moves)
        {
            await PublishMoveAsync(patientId, from, to, System.Actor.Id, cancellationToken);
        }

        _moves.Clear();
        return outcome;
    }

    private async Task<LinkOutcome> LinkLockedAsync(string patientId, Patient? patient, CancellationToken cancellationToken)
    {
        var existing = await db.Sources.FindAsync([patientId], cancellationToken);
        var version = int.TryParse(patient?.Meta?.VersionId, out var v) ? v : 0;
        if (patient is not null && existing is not null && existing.Version >= version)
        {
            return LinkOutcome.Skipped;
        }

        // A deleted record, or one merged into another (Patient.link replaced-by): it is no longer a person's source.
        if (patient is null || patient.Link.Any(l => l.Type == Patient.LinkType.ReplacedBy))
        {
            if (existing is not null)
            {
                await RemoveAsync(existing, cancellationToken);
            }

            return LinkOutcome.Removed;
        }

        var record = await communes.ReadAsync(patient, cancellationToken);
        var prepared = MatchEngine.Prepare(record);
        var keys = engine.BlockingKeys(prepared).Distinct(StringComparer.Ordinal).ToList();
        var candidates = await CandidatesAsync(patientId, keys, cancellationToken);
        var refused = await RefusedPairsAsync(patientId, cancellationToken);
        var scored = candidates
            .Where(c => !refused.Contains(c.PatientId))
            .Select(c => (Row: c, Result: engine.Compare(prepared, MatchEngine.Prepare(Deserialize(c)))))
            .Where(x => x.Result.Grade != MatchGrade.NoMatch)
            .OrderByDescending(x => x.Result.Weight)
            .ToList();

        var matches = scored.Where(x => x.Result.Grade == MatchGrade.Match).ToList();
        var formerGolden = existing?.GoldenId;
        string golden;
        string origin;
        double? weight = null;
        if (existing is { Origin: "reviewer" })
        {
            // A reviewer's decision stands until a reviewer changes it.
            (golden, origin, weight) = (existing.GoldenId, existing.Origin, existing.Weight);
        }
        else if (matches.Count > 0)
        {
            var best = existing is not null && matches.FirstOrDefault(m => m.Row.GoldenId == existing.GoldenId) is { Row: not null } same ? same : matches[0];
            (golden, origin, weight) = (best.Row.GoldenId, "auto", best.Result.Weight);
        }
        else if (existing is not null && !await HasOtherMembersAsync(existing.GoldenId, patientId, cancellationToken))
        {
            (golden, origin) = (existing.GoldenId, "new");
        }
        else
        {
            (golden, origin) = (Guid.CreateVersion7().ToString(), "new");
        }

        var now = clock.GetUtcNow();
        var row = existing ?? new SourceRecordRow { PatientId = patientId, GoldenId = golden, Person = "", Origin = origin };
        if (existing is null)
        {
            db.Sources.Add(row);
        }

        row.Version = version;
        row.GoldenId = golden;
        row.Origin = origin;
        row.Weight = weight;
        row.Person = JsonSerializer.Serialize(record, Json);
        row.FacilityCode = record.FacilityCode;
        row.UpdatedAt = now;
        await db.BlockingKeys.Where(k => k.PatientId == patientId).ExecuteDeleteAsync(cancellationToken);
        db.BlockingKeys.AddRange(keys.Select(k => new BlockingKeyRow { Key = k, PatientId = patientId }));

        // Possible matches (and automatic matches of other golden records) that no one has decided yet.
        await db.ReviewItems.Where(i => i.Status == "open" && (i.PatientId == patientId || i.CandidateId == patientId))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, "obsolete"), cancellationToken);
        foreach (var (candidate, result) in scored.Where(x => x.Row.GoldenId != golden).DistinctBy(x => x.Row.GoldenId).Take(10))
        {
            db.ReviewItems.Add(new ReviewItemRow
            {
                PatientId = patientId,
                CandidateId = candidate.PatientId,
                Weight = result.Weight,
                Probability = result.Probability,
                Rule = result.Rule,
                Conflict = result.Conflict,
                Fields = JsonSerializer.Serialize(result.Fields, Json),
                Status = "open",
                CreatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await RebuildGoldenAsync(golden, cancellationToken);
        if (formerGolden is not null && formerGolden != golden)
        {
            await RebuildGoldenAsync(formerGolden, cancellationToken);
        }

        _moves.Add((formerGolden, golden));

        logger.LogDebug("Patient/{Patient} linked to golden {Golden} ({Origin}); {Possible} possible matches queued.", patientId, golden, origin, scored.Count - matches.Count);
        return origin == "new" ? LinkOutcome.NewPerson : LinkOutcome.Linked;
    }

    /// <summary>
    /// Derives the golden record again from its current sources and stores it (a new version when anything changed);
    /// with no source left it is deleted. Runs after the MPI tables are saved, and a rerun gives the same result, so a
    /// crash in between is repaired when the outbox hands the change over again.
    /// </summary>
    public async Task RebuildGoldenAsync(string goldenId, CancellationToken cancellationToken)
    {
        var members = await db.Sources.Where(s => s.GoldenId == goldenId).Select(s => new { s.PatientId, s.Origin }).ToListAsync(cancellationToken);
        // One search per 100 members rather than a read each: a person is usually one to three records, and each
        // repository call is an audit record the write waits for.
        var byMatcher = members.ToDictionary(m => m.PatientId, m => m.Origin == "auto", StringComparer.Ordinal);
        var sources = new List<GoldenRecord.Source>(members.Count);
        foreach (var chunk in members.Chunk(100))
        {
            var page = await fhir.SearchAsync(System, "Patient", [new("_id", string.Join(',', chunk.Select(m => m.PatientId))), new("_count", "100")], cancellationToken);
            sources.AddRange(page.Resources.OfType<Patient>().Select(p => new GoldenRecord.Source(p, byMatcher[p.Id!])));
        }

        var entry = new Bundle.EntryComponent();
        if (sources.Count == 0)
        {
            entry.Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.DELETE, Url = $"Person/{goldenId}" };
        }
        else
        {
            var composed = GoldenRecord.Compose(goldenId, sources);
            if (await fhir.ReadAsync(System, "Person", goldenId, cancellationToken) is Person current && SameContent(current, composed))
            {
                return;
            }

            entry.Resource = composed;
            entry.Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"Person/{goldenId}" };
        }

        await fhir.ProcessBundleAsync(System, new Bundle { Type = Bundle.BundleType.Transaction, Entry = [entry] }, cancellationToken);
    }

    private async Task RemoveAsync(SourceRecordRow existing, CancellationToken cancellationToken)
    {
        db.Sources.Remove(existing);
        await db.BlockingKeys.Where(k => k.PatientId == existing.PatientId).ExecuteDeleteAsync(cancellationToken);
        await db.ReviewItems.Where(i => i.Status == "open" && (i.PatientId == existing.PatientId || i.CandidateId == existing.PatientId))
            .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, "obsolete"), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await RebuildGoldenAsync(existing.GoldenId, cancellationToken);
        _moves.Add((existing.GoldenId, null));
    }

    /// <summary>
    /// Tells the listeners that a source left one person and/or joined another, after the MPI's tables and the golden
    /// records are written. Only groups with other members count: a record alone in its person links nothing.
    /// </summary>
    public async Task PublishMoveAsync(string patientId, string? fromGolden, string? toGolden, string actorId, CancellationToken cancellationToken)
    {
        if (fromGolden == toGolden)
        {
            return;
        }

        var now = clock.GetUtcNow();
        if (fromGolden is not null && await HasOtherMembersAsync(fromGolden, patientId, cancellationToken))
        {
            await MergeSupport.PublishAsync(listeners, logger, new PatientIdentityChanged(PatientIdentityChangeKind.Unlinked, $"Person/{fromGolden}", [patientId], null, now, actorId), cancellationToken);
        }

        if (toGolden is not null && await HasOtherMembersAsync(toGolden, patientId, cancellationToken))
        {
            await MergeSupport.PublishAsync(listeners, logger, new PatientIdentityChanged(PatientIdentityChangeKind.Linked, $"Person/{toGolden}", [patientId], null, now, actorId), cancellationToken);
        }
    }

    private async Task<List<SourceRecordRow>> CandidatesAsync(string patientId, List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return [];
        }

        // One round trip: the records sharing each key (at most MaxCandidatesPerKey per key), as one UNION ALL joined
        // to their source rows. A link makes about a dozen queries, so each saved round trip shows (docs/benchmarks.md).
        IQueryable<string>? sharing = null;
        foreach (var key in keys)
        {
            var one = db.BlockingKeys.Where(k => k.Key == key && k.PatientId != patientId).Select(k => k.PatientId).Take(MaxCandidatesPerKey);
            sharing = sharing is null ? one : sharing.Concat(one);
        }

        var ids = await sharing!.ToListAsync(cancellationToken);
        var rows = new List<SourceRecordRow>(ids.Count);
        foreach (var chunk in ids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            rows.AddRange(await db.Sources.AsNoTracking().Where(s => chunk.Contains(s.PatientId)).ToListAsync(cancellationToken));
        }

        return rows;
    }

    private async Task<HashSet<string>> RefusedPairsAsync(string patientId, CancellationToken cancellationToken)
    {
        var pairs = await db.NonMatches.Where(p => p.PatientA == patientId || p.PatientB == patientId).ToListAsync(cancellationToken);
        return [.. pairs.Select(p => p.PatientA == patientId ? p.PatientB : p.PatientA)];
    }

    private Task<bool> HasOtherMembersAsync(string goldenId, string patientId, CancellationToken cancellationToken) =>
        db.Sources.AnyAsync(s => s.GoldenId == goldenId && s.PatientId != patientId, cancellationToken);

    internal static PersonRecord Deserialize(SourceRecordRow row) => JsonSerializer.Deserialize<PersonRecord>(row.Person, Json)!;

    private static bool SameContent(Person current, Person composed)
    {
        var a = (Person)current.DeepCopy();
        a.Meta = composed.Meta;
        return a.IsExactly(composed);
    }
}

public enum LinkOutcome
{
    Skipped,
    Linked,
    NewPerson,
    Removed,
}

/// <summary>
/// One linker at a time in this process: two records of one person arriving together must not both start a golden
/// record. (One host per database; several hosts would take a database lock here instead.)
/// </summary>
internal sealed class MpiLock : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Release(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
