using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;

using Hl7.Fhir.Model;

using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Storage;
using YTeSo.Platform.Auditing;

namespace YTeSo.Fhir.Ingest;

/// <summary>
/// The bulk-ingest fast path behind <c>yteso import fhir</c>. One reader walks the files in order, the thread pool
/// prepares documents in parallel (<see cref="ImportUnitPreparer"/>), and a single writer stores prepared units in
/// large transactions while the next ones are being prepared. Each unit (an NDJSON line, a .json file) is
/// all-or-nothing: when a large transaction fails, its units are retried one by one so only the bad one is rejected.
/// Local references are checked once at the end, because Bulk Data files may arrive in any order.
/// </summary>
internal sealed class BulkImporter(FhirStore store, FhirRepository repository, ResourceWriter writer, ImportUnitPreparer preparer)
{
    /// <summary>Resources per database transaction: large enough to amortise the commit, small enough to retry.</summary>
    private const int ResourcesPerTransaction = 2000;

    /// <summary>Documents being prepared ahead of the writer; bounds memory to a few dozen files.</summary>
    private static readonly int PreparedAhead = Math.Max(8, Environment.ProcessorCount * 8);

    /// <summary>
    /// Imports under the operator's trusted access (<see cref="FhirAccess.System"/>): the fast path writes resources
    /// directly, so nothing else is accepted; the import is audited as one record, and Bundles that go through the
    /// repository are audited per entry.
    /// </summary>
    public async Task<ImportReport> ImportAsync(FhirAccess access, IEnumerable<ImportSource> sources, ImportProgress? progress, CancellationToken cancellationToken)
    {
        if (!Access.AccessSql.SeesEverything(access))
        {
            throw new InvalidOperationException("Bulk import is trusted platform work: it takes FhirAccess.System.");
        }

        progress ??= new ImportProgress();
        var report = new ImportReport();
        var clock = Stopwatch.StartNew();
        var state = new WriterState(access, report, progress);
        var prepared = Channel.CreateBounded<Task<ImportUnit>>(new BoundedChannelOptions(PreparedAhead) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadAsync(sources, progress, prepared.Writer, cancellationToken), cancellationToken);
        try
        {
            await foreach (var next in prepared.Reader.ReadAllAsync(cancellationToken))
            {
                await ConsumeAsync(state, await next, cancellationToken);
            }
        }
        finally
        {
            await reading;
        }

        await WriteBatchAsync(state, cancellationToken);
        report.Files = (int)progress.Files;
        report.DanglingReferences.AddRange(await FindDanglingAsync(state.References, cancellationToken));
        report.Elapsed = clock.Elapsed;
        await repository.Audit.SucceededAsync(
            access, AuditActions.Create, null, AuditFacts.None, $"bulk import: {report.Files} files, {report.Imported} stored, {report.Rejections.Count} rejected", cancellationToken);
        return report;
    }

    private async Task ReadAsync(IEnumerable<ImportSource> sources, ImportProgress progress, ChannelWriter<Task<ImportUnit>> output, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var (document, rejection) in ImportReader.Read(sources, progress))
            {
                var unit = document is null
                    ? Task.FromResult(ImportUnit.Rejected(rejection!.Origin, rejection.Reason))
                    : Task.Run(() => preparer.Prepare(document), cancellationToken);
                await output.WriteAsync(unit, cancellationToken);
            }

            output.Complete();
        }
        catch (Exception e)
        {
            output.Complete(e);
        }
    }

    private async Task ConsumeAsync(WriterState state, ImportUnit unit, CancellationToken cancellationToken)
    {
        if (unit.Rejection is not null)
        {
            state.Reject(unit.Origin, unit.Rejection);
            return;
        }

        if (unit.ForRepository is { } bundle)
        {
            await WriteBatchAsync(state, cancellationToken);
            await ProcessBundleAsync(state, unit.Origin, bundle, cancellationToken);
            return;
        }

        // A resource already waiting in this batch must be stored before its next version is looked up.
        if (unit.Resources.Any(r => state.BatchIds.Contains((r.Type, r.Id))))
        {
            await WriteBatchAsync(state, cancellationToken);
        }

        state.Add(unit);
        if (state.BatchResources >= ResourcesPerTransaction)
        {
            await WriteBatchAsync(state, cancellationToken);
        }
    }

    private async Task WriteBatchAsync(WriterState state, CancellationToken cancellationToken)
    {
        if (state.Batch.Count == 0)
        {
            return;
        }

        var batch = state.TakeBatch();
        try
        {
            await using var session = await store.BeginWriteAsync(cancellationToken);
            var (written, unchanged) = await WriteUnitsAsync(session, batch, cancellationToken);
            await session.CommitAsync(cancellationToken);
            state.Stored(batch, written, unchanged);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException && batch.Count > 1)
        {
            // Fall through: find the unit that failed by writing each on its own.
        }

        foreach (var unit in batch)
        {
            try
            {
                await using var session = await store.BeginWriteAsync(cancellationToken);
                var (written, unchanged) = await WriteUnitsAsync(session, [unit], cancellationToken);
                await session.CommitAsync(cancellationToken);
                state.Stored([unit], written, unchanged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                state.Reject(unit.Origin, $"not stored: {e.Message}");
            }
        }
    }

    /// <summary>Creates what is new, gives changed resources a new version, and skips what is already stored as it is.</summary>
    private async Task<(long Written, long Unchanged)> WriteUnitsAsync(WriteSession session, List<ImportUnit> units, CancellationToken cancellationToken)
    {
        var all = units.SelectMany(u => u.Resources).ToList();
        var current = await session.GetCurrentManyAsync(all.Select(r => (r.Type, r.Id)), forUpdate: true, cancellationToken);
        var existingBodies = current.Count == 0
            ? []
            : (await store.ReadByKeysAsync(session.Connection, session.Transaction, [.. current.Values.Where(c => !c.IsDeleted).Select(c => c.Key)], cancellationToken))
                .ToDictionary(s => s.Key, s => s.Body);
        long written = 0, unchanged = 0;
        foreach (var prepared in all)
        {
            if (!current.TryGetValue((prepared.Type, prepared.Id), out var version))
            {
                await session.InsertAsync(prepared.Type, prepared.Id, prepared.LastUpdated, prepared.Body, prepared.Index, cancellationToken);
                written++;
            }
            else if (!version.IsDeleted && existingBodies.GetValueOrDefault(version.Key) is { } body && SameContent(body, prepared.Body))
            {
                unchanged++;
            }
            else
            {
                var now = writer.Now();
                var next = writer.Prepare(repository.Serializers.ParseJson(prepared.Body), version.Version + 1, now);
                await session.ReplaceAsync(prepared.Type, prepared.Id, version.Key, version.Version + 1, now, next.Body, next.Index, cancellationToken);
                written++;
            }
        }

        return (written, unchanged);
    }

    /// <summary>Equal apart from meta.versionId and meta.lastUpdated, which every store sets itself.</summary>
    private static bool SameContent(string stored, string incoming)
    {
        static JsonNode? WithoutVersion(string json)
        {
            var node = JsonNode.Parse(json);
            if (node?["meta"] is JsonObject meta)
            {
                meta.Remove("versionId");
                meta.Remove("lastUpdated");
                if (meta.Count == 0)
                {
                    node.AsObject().Remove("meta");
                }
            }

            return node;
        }

        return JsonNode.DeepEquals(WithoutVersion(stored), WithoutVersion(incoming));
    }

    /// <summary>A Bundle that needs the database to plan goes through the repository exactly as POST /fhir would take it.</summary>
    private async Task ProcessBundleAsync(WriterState state, ImportOrigin origin, Bundle bundle, CancellationToken cancellationToken)
    {
        Bundle response;
        try
        {
            response = await repository.ProcessBundleAsync(state.Access, bundle, returnRepresentation: false, cancellationToken);
        }
        catch (Exception e) when (e is FhirOperationException or System.Data.Common.DbException)
        {
            state.Reject(origin, e.Message);
            return;
        }

        var stored = 0;
        for (var i = 0; i < response.Entry.Count; i++)
        {
            var status = response.Entry[i].Response?.Status ?? string.Empty;
            if (status.StartsWith("200", StringComparison.Ordinal) || status.StartsWith("201", StringComparison.Ordinal))
            {
                stored++;
            }
            else if (!status.StartsWith('2'))
            {
                var issue = response.Entry[i].Response?.Outcome is OperationOutcome outcome ? outcome.Issue.FirstOrDefault()?.Diagnostics : null;
                state.Reject(origin, $"Bundle.entry[{i}]: {status} {issue}".TrimEnd());
            }
        }

        state.Report.Imported += stored;
        state.Progress.Stored(stored);
    }

    private async Task<List<DanglingReference>> FindDanglingAsync(Dictionary<(string Type, string Id), Referrer> references, CancellationToken cancellationToken)
    {
        if (references.Count == 0)
        {
            return [];
        }

        await using var session = await store.BeginWriteAsync(cancellationToken);
        var existing = await session.FindExistingAsync(references.Keys, cancellationToken);
        return [.. references
            .Where(r => !existing.Contains(r.Key))
            .Select(r => new DanglingReference($"{r.Key.Type}/{r.Key.Id}", r.Value.Origin, r.Value.Path, r.Value.Count))
            .OrderBy(d => d.FirstReferrer.File, StringComparer.Ordinal).ThenBy(d => d.FirstReferrer.Line)];
    }

    private sealed class Referrer(ImportOrigin origin, string path)
    {
        public ImportOrigin Origin { get; } = origin;

        public string Path { get; } = path;

        public int Count { get; set; } = 1;
    }

    /// <summary>What the single writer keeps between units: the batch being filled, the report, references to check.</summary>
    private sealed class WriterState(FhirAccess access, ImportReport report, ImportProgress progress)
    {
        public FhirAccess Access => access;

        public ImportReport Report => report;

        public ImportProgress Progress => progress;

        public List<ImportUnit> Batch { get; private set; } = [];

        public HashSet<(string Type, string Id)> BatchIds { get; } = [];

        public int BatchResources { get; private set; }

        public Dictionary<(string Type, string Id), Referrer> References { get; } = [];

        public void Add(ImportUnit unit)
        {
            Batch.Add(unit);
            BatchResources += unit.Resources.Count;
            foreach (var r in unit.Resources)
            {
                BatchIds.Add((r.Type, r.Id));
            }
        }

        public List<ImportUnit> TakeBatch()
        {
            var batch = Batch;
            Batch = [];
            BatchIds.Clear();
            BatchResources = 0;
            return batch;
        }

        public void Stored(List<ImportUnit> units, long written, long unchanged)
        {
            report.Imported += written;
            report.Unchanged += unchanged;
            progress.Stored(written + unchanged);
            foreach (var reference in units.SelectMany(u => u.Resources.SelectMany(r => r.References.Select(x => (Unit: u, x.Type, x.Id, x.Path)))))
            {
                if (References.TryGetValue((reference.Type, reference.Id), out var referrer))
                {
                    referrer.Count++;
                }
                else
                {
                    References[(reference.Type, reference.Id)] = new Referrer(reference.Unit.Origin, reference.Path);
                }
            }
        }

        public void Reject(ImportOrigin origin, string reason)
        {
            report.Rejections.Add(new ImportRejection(origin, reason));
            progress.Reject();
        }
    }
}

