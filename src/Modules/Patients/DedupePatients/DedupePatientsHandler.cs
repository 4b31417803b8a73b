using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using YTeSo.Fhir.Contracts;
using YTeSo.Patients.Dedupe;
using YTeSo.Patients.Domain.Matching;
using YTeSo.Patients.LinkPatients;
using YTeSo.Patients.Persistence;

namespace YTeSo.Patients.DedupePatients;

/// <summary>
/// <c>yteso mpi dedupe</c> (issue 4): deduplicates every source Patient at once and stores the result where the
/// real-time linker keeps its own, so that both work on one state.
/// <list type="number">
/// <item>Every current Patient gets a source row for its current version: the repository is paged through (modules
/// never read the FHIR tables), and only Patients the linker never saw or saw at an older version are read again.</item>
/// <item><see cref="BatchDeduplicator"/> clusters all sources; <see cref="DedupePlan"/> turns the clusters into links
/// that keep reviewers' decisions and stable golden ids.</item>
/// <item>Source rows are written in batches, one transaction each; possible matches are queued; then every golden record
/// whose membership changed is recomposed through <see cref="PatientLinker.RebuildGoldenAsync"/>.</item>
/// </list>
/// A second run over unchanged data changes nothing.
/// </summary>
internal sealed class DedupePatientsHandler(
    IFhirRepository fhir, PatientsDbContext db, MatchEngine engine, CommuneTranslator communes, PatientLinker linker, TimeProvider clock)
{
    private const int PageSize = 500;

    private static readonly FhirAccess Access = FhirAccess.System("yteso mpi dedupe");

    public async Task<DedupePatientsResponse> HandleAsync(DedupePatientsRequest request, IProgress<DedupePatientsProgress>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var snapshot = await db.Sources.AsNoTracking().ToDictionaryAsync(s => s.PatientId, StringComparer.Ordinal, cancellationToken);
        var goldenLinks = await GoldenLinksAsync(progress, cancellationToken);
        var orphans = Orphans(goldenLinks, snapshot);
        var (sources, synced) = await ReadSourcesAsync(snapshot, orphans, progress, cancellationToken);
        var current = sources.Select(s => s.PatientId).ToHashSet(StringComparer.Ordinal);
        var (stale, missed) = await StaleAsync(snapshot, current, cancellationToken);
        if (missed.Count > 0)
        {
            sources.AddRange(missed.Select(r => new DedupeSource(r.PatientId, PatientLinker.Deserialize(r), r.GoldenId, r.Origin, r.Weight)));
            sources.Sort((a, b) => string.CompareOrdinal(a.PatientId, b.PatientId));
        }

        var deduplicator = new BatchDeduplicator(engine);
        var stages = new Progress(progress);
        var result = await Task.Run(() => deduplicator.Run([.. sources.Select(s => s.Person)], stages, cancellationToken), cancellationToken);

        progress?.Report(new DedupePatientsProgress("Applying reviewers' decisions", 0, 1));
        var nonMatches = await db.NonMatches.AsNoTracking().Select(p => new { p.PatientA, p.PatientB }).ToListAsync(cancellationToken);
        var decisions = DedupePlan.Make(sources, result, engine, nonMatches.Select(p => (p.PatientA, p.PatientB)));
        progress?.Report(new DedupePatientsProgress("Applying reviewers' decisions", 1, 1));

        var writes = new List<(DedupeSource Source, PlannedLink Link)>();
        var changes = new List<DedupeLinkChange>();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        var (added, refreshed, moved, reorigined) = (0, 0, 0, 0);
        foreach (var source in sources)
        {
            var link = decisions.Links[source.PatientId];
            var isSynced = synced.ContainsKey(source.PatientId);
            var known = snapshot.ContainsKey(source.PatientId);
            if (!known)
            {
                added++;
                touched.Add(link.GoldenId);
            }
            else if (source.GoldenId is { } before && before != link.GoldenId)
            {
                moved++;
                touched.Add(before);
                touched.Add(link.GoldenId);
            }
            else if (source.Origin != link.Origin || source.Weight != link.Weight)
            {
                reorigined++;

                // The origin decides the link's assurance in the golden record; a new weight alone does not show there.
                if (source.Origin != link.Origin)
                {
                    touched.Add(link.GoldenId);
                }
            }
            else if (!isSynced)
            {
                continue;
            }

            if (isSynced)
            {
                refreshed += known ? 1 : 0;
                touched.Add(link.GoldenId); // the source's content changed, so may its golden record's
            }

            writes.Add((source, link));
            if (!known || source.GoldenId != link.GoldenId || source.Origin != link.Origin)
            {
                changes.Add(new DedupeLinkChange(source.PatientId, source.GoldenId, link.GoldenId, source.Origin, link.Origin));
            }
        }

        touched.UnionWith(stale.Select(s => s.GoldenId));
        var members = decisions.Links.GroupBy(l => l.Value.GoldenId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(l => l.Key).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        // Golden records that do not list exactly their planned sources: a run stopped between saving the links and
        // recomposing, rows lost, or a golden record no source names any more (deleted, not left behind).
        touched.UnionWith(members.Where(m => !goldenLinks.TryGetValue(m.Key, out var linked) || !linked.Patients.SetEquals(m.Value)).Select(m => m.Key));
        touched.UnionWith(goldenLinks.Keys.Where(g => !members.ContainsKey(g)));
        var (newItems, obsolete) = await ReviewChangesAsync(decisions, synced.Keys, cancellationToken);
        var response = new DedupePatientsResponse
        {
            DryRun = request.DryRun,
            Records = sources.Count,
            SourcesAdded = added,
            SourcesRefreshed = refreshed,
            SourcesRemoved = stale.Count,
            Persons = members.Count,
            Clusters = decisions.Clusters,
            Comparisons = result.Counts.Comparisons,
            LinksChanged = moved,
            OriginsChanged = reorigined,
            OverruledLinks = decisions.OverruledLinks,
            ReviewItemsQueued = newItems.Count,
            ReviewItemsObsoleted = obsolete.Count,
            Changes = [.. changes.Take(DedupePatientsResponse.ListedChanges)],
            ChangeCount = changes.Count,
        };

        if (request.DryRun)
        {
            return response with
            {
                GoldenWritten = touched.Count(members.ContainsKey),
                GoldenDeleted = touched.Count(g => !members.ContainsKey(g)),
                Elapsed = clock.Elapsed,
            };
        }

        var skipped = await WriteSourcesAsync(writes, synced, snapshot, request.BatchSize, progress, cancellationToken);
        await RemoveStaleAsync(stale, request.BatchSize, cancellationToken);
        await WriteReviewItemsAsync(newItems, obsolete, request.BatchSize, cancellationToken);
        var (written, deleted) = await RebuildGoldenRecordsAsync(touched, members, goldenLinks, progress, cancellationToken);
        return response with { SkippedChangedMeanwhile = skipped, GoldenWritten = written, GoldenDeleted = deleted, Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// Pages through every Patient. A source row at the current version gives its stored person; any other Patient is
    /// read again (commune codes translated, as the linker does). Merged-away Patients (link replaced-by) are no source.
    /// </summary>
    private async Task<(List<DedupeSource> Sources, Dictionary<string, (Domain.PersonRecord Person, int Version)> Synced)> ReadSourcesAsync(
        Dictionary<string, SourceRecordRow> snapshot, Dictionary<string, string> orphans, IProgress<DedupePatientsProgress>? progress, CancellationToken cancellationToken)
    {
        const string stage = "Reading Patients";
        var sources = new List<DedupeSource>(snapshot.Count);
        var synced = new Dictionary<string, (Domain.PersonRecord, int)>(StringComparer.Ordinal);
        IReadOnlyList<KeyValuePair<string, string>>? parameters =
            [new("_count", PageSize.ToString(CultureInfo.InvariantCulture)), new("_total", "accurate")];
        long total = 0, done = 0;
        while (parameters is not null)
        {
            var page = await fhir.SearchAsync(Access, "Patient", parameters, cancellationToken);
            total = page.Total ?? total;
            foreach (var patient in page.Resources.OfType<Patient>())
            {
                done++;
                if (patient.Id is not { } id || patient.Link.Any(l => l.Type == Patient.LinkType.ReplacedBy))
                {
                    continue;
                }

                var version = int.TryParse(patient.Meta?.VersionId, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
                snapshot.TryGetValue(id, out var row);
                if (row is not null && row.Version >= version)
                {
                    sources.Add(new DedupeSource(row.PatientId, PatientLinker.Deserialize(row), row.GoldenId, row.Origin, row.Weight));
                    continue;
                }

                var person = await communes.ReadAsync(patient, cancellationToken);
                synced[id] = (person, version);
                sources.Add(row is null
                    ? new DedupeSource(id, person, orphans.GetValueOrDefault(id), null, null)
                    : new DedupeSource(id, person, row.GoldenId, row.Origin, row.Weight));
            }

            progress?.Report(new DedupePatientsProgress(stage, done, Math.Max(total, done)));

            // Only the first page counts the matches; counting again on every page would cost a scan each.
            parameters = page.NextPageParameters?.Where(p => p.Key != "_total").Append(new("_total", "none")).ToList();
        }

        sources.Sort((a, b) => string.CompareOrdinal(a.PatientId, b.PatientId));
        return (sources, synced);
    }

    /// <summary>
    /// Every golden record (tagged Person) and the source Patients it links, paged through the repository: what the run
    /// compares its plan with, so that golden records out of step with the links are recomposed whatever left them so.
    /// </summary>
    private async Task<Dictionary<string, GoldenLinks>> GoldenLinksAsync(IProgress<DedupePatientsProgress>? progress, CancellationToken cancellationToken)
    {
        const string stage = "Reading golden records";
        var links = new Dictionary<string, GoldenLinks>(StringComparer.Ordinal);
        IReadOnlyList<KeyValuePair<string, string>>? parameters =
        [
            new("_tag", $"{GoldenRecord.TagSystem}|{GoldenRecord.TagCode}"),
            new("_count", PageSize.ToString(CultureInfo.InvariantCulture)),
            new("_total", "accurate"),
        ];
        long total = 0;
        while (parameters is not null)
        {
            var page = await fhir.SearchAsync(Access, "Person", parameters, cancellationToken);
            total = page.Total ?? total;
            foreach (var person in page.Resources.OfType<Person>())
            {
                if (person.Id is { } id)
                {
                    links[id] = new GoldenLinks(person.Meta?.VersionId, person.Link.Select(l => l.Target?.Reference).OfType<string>()
                        .Where(r => r.StartsWith("Patient/", StringComparison.Ordinal))
                        .Select(r => r["Patient/".Length..])
                        .ToHashSet(StringComparer.Ordinal));
                }
            }

            progress?.Report(new DedupePatientsProgress(stage, links.Count, Math.Max(total, links.Count)));
            parameters = page.NextPageParameters?.Where(p => p.Key != "_total").Append(new("_total", "none")).ToList();
        }

        return links;
    }

    /// <summary>
    /// For Patients without a source row: the golden record that links them although no row names it (the MPI's rows
    /// were lost, the Persons, which other systems may point at, were not). They start from it, so its id survives.
    /// </summary>
    private static Dictionary<string, string> Orphans(Dictionary<string, GoldenLinks> goldenLinks, Dictionary<string, SourceRecordRow> snapshot)
    {
        var known = snapshot.Values.Select(r => r.GoldenId).ToHashSet(StringComparer.Ordinal);
        var orphans = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (goldenId, golden) in goldenLinks.Where(g => !known.Contains(g.Key)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var patientId in golden.Patients.Where(p => !snapshot.ContainsKey(p)))
            {
                orphans.TryAdd(patientId, goldenId);
            }
        }

        return orphans;
    }

    /// <summary>
    /// Source rows whose Patient the scan did not meet. Each is read once more before it is dropped: a Patient written
    /// during the scan may have moved in the search order, and losing its row would lose its link; such a row takes part
    /// as stored (the linker handles its newer version).
    /// </summary>
    private async Task<(List<SourceRecordRow> Stale, List<SourceRecordRow> Missed)> StaleAsync(
        Dictionary<string, SourceRecordRow> snapshot, HashSet<string> current, CancellationToken cancellationToken)
    {
        var (stale, missed) = (new List<SourceRecordRow>(), new List<SourceRecordRow>());
        foreach (var row in snapshot.Values.Where(r => !current.Contains(r.PatientId)).OrderBy(r => r.PatientId, StringComparer.Ordinal))
        {
            if (await fhir.ReadAsync(Access, "Patient", row.PatientId, cancellationToken) is not Patient patient
                || patient.Link.Any(l => l.Type == Patient.LinkType.ReplacedBy))
            {
                stale.Add(row);
            }
            else
            {
                missed.Add(row);
            }
        }

        return (stale, missed);
    }

    private async Task<(List<ReviewItemRow> New, List<long> Obsolete)> ReviewChangesAsync(
        DedupeDecisions decisions, IEnumerable<string> refreshed, CancellationToken cancellationToken)
    {
        var open = await db.ReviewItems.AsNoTracking().Where(i => i.Status == "open")
            .Select(i => new { i.Id, i.PatientId, i.CandidateId }).ToListAsync(cancellationToken);
        var planned = decisions.Reviews.Select(r => DedupePlan.Ordered(r.PatientId, r.CandidateId)).ToHashSet();
        var changed = refreshed.ToHashSet(StringComparer.Ordinal);
        var obsolete = new List<long>();
        var stillOpen = new HashSet<(string, string)>();
        foreach (var item in open)
        {
            var pair = DedupePlan.Ordered(item.PatientId, item.CandidateId);
            var gone = !decisions.Links.TryGetValue(item.PatientId, out var a) | !decisions.Links.TryGetValue(item.CandidateId, out var b);

            // Obsolete: a record left, the two are now one person, or a record changed and the pair is no longer possible.
            if (gone || a!.GoldenId == b!.GoldenId || ((changed.Contains(item.PatientId) || changed.Contains(item.CandidateId)) && !planned.Contains(pair)))
            {
                obsolete.Add(item.Id);
            }
            else
            {
                stillOpen.Add(pair);
            }
        }

        var now = clock.GetUtcNow();
        var items = decisions.Reviews
            .Where(r => stillOpen.Add(DedupePlan.Ordered(r.PatientId, r.CandidateId)))
            .Select(r => new ReviewItemRow
            {
                PatientId = r.PatientId,
                CandidateId = r.CandidateId,
                Weight = r.Result.Weight,
                Probability = r.Result.Probability,
                Rule = r.Result.Rule,
                Conflict = r.Conflict,
                Fields = JsonSerializer.Serialize(r.Result.Fields, PatientLinker.Json),
                Status = "open",
                CreatedAt = now,
            })
            .ToList();
        return (items, obsolete);
    }

    /// <summary>
    /// Writes the source rows, one transaction per batch. A row the real-time linker changed since the snapshot (the web
    /// host may be running) is left as the linker wrote it: its decision is newer than this run's.
    /// </summary>
    private async Task<int> WriteSourcesAsync(
        List<(DedupeSource Source, PlannedLink Link)> writes,
        Dictionary<string, (Domain.PersonRecord Person, int Version)> synced,
        Dictionary<string, SourceRecordRow> snapshot,
        int batchSize,
        IProgress<DedupePatientsProgress>? progress,
        CancellationToken cancellationToken)
    {
        const string stage = "Saving links";
        var skipped = 0;
        var done = 0;
        progress?.Report(new DedupePatientsProgress(stage, 0, writes.Count));
        foreach (var batch in writes.Chunk(Math.Max(1, batchSize)))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var ids = batch.Select(w => w.Source.PatientId).ToList();
            var rows = await db.Sources.Where(s => ids.Contains(s.PatientId)).ToDictionaryAsync(s => s.PatientId, StringComparer.Ordinal, cancellationToken);
            var rekeyed = new List<string>();
            var now = clock.GetUtcNow();
            foreach (var (source, link) in batch)
            {
                rows.TryGetValue(source.PatientId, out var row);
                snapshot.TryGetValue(source.PatientId, out var before);
                if (!Unchanged(row, before))
                {
                    skipped++;
                    continue;
                }

                if (row is null)
                {
                    row = new SourceRecordRow { PatientId = source.PatientId, GoldenId = link.GoldenId, Person = "", Origin = link.Origin };
                    db.Sources.Add(row);
                }

                if (synced.TryGetValue(source.PatientId, out var fresh))
                {
                    row.Version = fresh.Version;
                    row.Person = JsonSerializer.Serialize(fresh.Person, PatientLinker.Json);
                    row.FacilityCode = fresh.Person.FacilityCode;
                    rekeyed.Add(source.PatientId);
                }

                row.GoldenId = link.GoldenId;
                row.Origin = link.Origin;
                row.Weight = link.Weight;
                row.UpdatedAt = now;
            }

            // The blocking keys are the real-time linker's candidate index: a refreshed source must be findable by its new keys.
            await db.BlockingKeys.Where(k => rekeyed.Contains(k.PatientId)).ExecuteDeleteAsync(cancellationToken);
            db.BlockingKeys.AddRange(rekeyed.SelectMany(id => engine.BlockingKeys(synced[id].Person).Distinct(StringComparer.Ordinal)
                .Select(k => new BlockingKeyRow { Key = k, PatientId = id })));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
            done += batch.Length;
            progress?.Report(new DedupePatientsProgress(stage, done, writes.Count));
        }

        return skipped;
    }

    private static bool Unchanged(SourceRecordRow? now, SourceRecordRow? before) =>
        now is null ? before is null : before is not null && now.Version == before.Version && now.GoldenId == before.GoldenId && now.Origin == before.Origin;

    private async Task RemoveStaleAsync(List<SourceRecordRow> stale, int batchSize, CancellationToken cancellationToken)
    {
        foreach (var batch in stale.Chunk(Math.Max(1, batchSize)))
        {
            var ids = batch.Select(s => s.PatientId).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.BlockingKeys.Where(k => ids.Contains(k.PatientId)).ExecuteDeleteAsync(cancellationToken);
            await db.Sources.Where(s => ids.Contains(s.PatientId)).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    private async Task WriteReviewItemsAsync(List<ReviewItemRow> items, List<long> obsolete, int batchSize, CancellationToken cancellationToken)
    {
        foreach (var batch in obsolete.Chunk(Math.Max(1, batchSize)))
        {
            await db.ReviewItems.Where(i => batch.Contains(i.Id) && i.Status == "open")
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.Status, "obsolete"), cancellationToken);
        }

        foreach (var batch in items.Chunk(Math.Max(1, batchSize)))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.ReviewItems.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>
    /// Recomposes each golden record whose membership changed (emptied ones are deleted). The linker's rebuild writes a
    /// new version only when the content differs; the versions before and after say what it did.
    /// </summary>
    private async Task<(int Written, int Deleted)> RebuildGoldenRecordsAsync(
        HashSet<string> touched,
        Dictionary<string, HashSet<string>> members,
        Dictionary<string, GoldenLinks> scanned,
        IProgress<DedupePatientsProgress>? progress,
        CancellationToken cancellationToken)
    {
        const string stage = "Golden records";
        var (written, deleted, done) = (0, 0, 0);
        progress?.Report(new DedupePatientsProgress(stage, 0, touched.Count));
        foreach (var goldenId in touched.Order(StringComparer.Ordinal))
        {
            // The version the scan saw (one read fewer per record; a record the linker wrote since counts as written).
            var before = scanned.GetValueOrDefault(goldenId)?.Version;
            if (before is not null || members.ContainsKey(goldenId))
            {
                await linker.RebuildGoldenAsync(goldenId, cancellationToken);
                var after = (await fhir.ReadAsync(Access, "Person", goldenId, cancellationToken))?.Meta?.VersionId;
                written += after is not null && after != before ? 1 : 0;
                deleted += after is null && before is not null ? 1 : 0;
            }

            progress?.Report(new DedupePatientsProgress(stage, ++done, touched.Count));
        }

        return (written, deleted);
    }

    /// <summary>A golden record as the run found it: its version and the source Patients it links.</summary>
    private sealed record GoldenLinks(string? Version, HashSet<string> Patients);

    /// <summary>The deduplicator's stages, in words, for the caller's progress display.</summary>
    private sealed class Progress(IProgress<DedupePatientsProgress>? target) : IProgress<DedupeProgress>
    {
        public void Report(DedupeProgress value) =>
            target?.Report(new DedupePatientsProgress(
                value.Stage switch
                {
                    DedupeStage.Preparing => "Preparing records",
                    DedupeStage.Blocking => "Blocking",
                    DedupeStage.Comparing => "Comparing pairs",
                    DedupeStage.Clustering or DedupeStage.Done => "Clustering",
                    _ => value.Stage.ToString(),
                },
                value.Stage == DedupeStage.Done ? 1 : value.Done,
                value.Stage == DedupeStage.Done ? 1 : value.Total));
    }
}
