using System.Data.Common;
using System.Globalization;

namespace YTeSo.Platform.Auditing;

/// <summary>A point of the chain: a seq and the hash stored there, written <c>SEQ:HASH</c>. Operators record the head elsewhere (anchoring).</summary>
public sealed record AuditHead(long Seq, string Hash)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Seq}:{Hash}");

    /// <summary>Parses <c>SEQ:HASH</c> (hash in hex, 64 digits).</summary>
    public static bool TryParse(string text, out AuditHead head)
    {
        head = new AuditHead(0, "");
        var parts = text.Split(':');
        if (parts.Length != 2
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            || seq < 1
            || parts[1].Length != AuditChain.HashLength * 2
            || !parts[1].All(char.IsAsciiHexDigit))
        {
            return false;
        }

        head = new AuditHead(seq, parts[1].ToLowerInvariant());
        return true;
    }
}

/// <summary>Which check a record failed.</summary>
public enum AuditBreak
{
    /// <summary>A seq is missing: a record was deleted (or the rows were renumbered).</summary>
    SequenceGap,

    /// <summary>The record's prev_hash is not the hash of the record before it: records were removed, reordered or inserted.</summary>
    PreviousHashMismatch,

    /// <summary>The record's content (or seq or time) no longer hashes to its stored hash: it was changed after it was written.</summary>
    HashMismatch,

    /// <summary>The patient index (audit_patient) does not list exactly the record's patients: a search by patient would lie.</summary>
    PatientIndexMismatch,

    /// <summary>The record at the anchored seq has another hash: the chain was rewritten after the anchor was taken.</summary>
    AnchorMismatch,

    /// <summary>The chain is shorter than the anchored seq: records after some point were removed.</summary>
    AnchorMissing,
}

/// <summary>The verifier's answer.</summary>
/// <param name="Records">Records checked (up to the first break).</param>
/// <param name="Head">The last record checked when intact (seq 0 on an empty trail).</param>
/// <param name="BrokenSeq">The first seq that failed a check; null when intact.</param>
/// <param name="Break">Which check failed; null when intact.</param>
/// <param name="Message">One sentence for an operator.</param>
public sealed record AuditVerification(long Records, AuditHead Head, long? BrokenSeq, AuditBreak? Break, string Message)
{
    /// <summary>True when every check passed.</summary>
    public bool Intact => Break is null;
}

/// <summary>
/// Walks the whole chain in seq order, streaming, and reports the first broken link. The trail's guarantee: a
/// changed, removed, inserted or reordered record is found here, whatever the triggers allowed.
/// </summary>
public sealed class AuditVerifier
{
    private readonly AuditStore _store;

    internal AuditVerifier(AuditStore store)
    {
        _store = store;
    }

    /// <summary>The current last record (seq 0 and 64 zeros when the trail is empty).</summary>
    public async Task<AuditHead> ReadHeadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        var (seq, _, hash) = await AuditStore.ReadHeadAsync(connection, null, cancellationToken);
        return new AuditHead(seq, Convert.ToHexStringLower(hash));
    }

    /// <summary>
    /// Checks every record up to the current head: seq contiguous from 1, prev_hash equal to the previous hash, hash
    /// recomputed from the content, patient index consistent, and, when given, that <paramref name="expectedHead"/>
    /// (an anchor recorded earlier) is still in the chain.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(AuditHead? expectedHead, CancellationToken cancellationToken)
    {
        // Both streams stop at the head read now; records appended meanwhile are left to the next run, so the two
        // connections' snapshots cannot disagree about a batch committed between their queries.
        var head = await ReadHeadAsync(cancellationToken);
        await using var patients = await PatientIndex.OpenAsync(_store, head.Seq, cancellationToken);
        var previous = AuditChain.Genesis;
        long checkedSeq = 0;
        await foreach (var row in _store.ReadForwardAsync(0, null, null, cancellationToken))
        {
            if (row.Seq > head.Seq)
            {
                break;
            }

            var expectedSeq = checkedSeq + 1;
            if (row.Seq != expectedSeq)
            {
                return Broken(expectedSeq, AuditBreak.SequenceGap, $"seq {expectedSeq} is missing (the next record is {row.Seq})");
            }

            if (await patients.SkipOrphansBeforeAsync(row.Seq, cancellationToken) is { } orphan)
            {
                return Broken(orphan, AuditBreak.PatientIndexMismatch, $"the patient index lists seq {orphan}, which is not in the chain");
            }

            if (row.PreviousHash != Convert.ToHexStringLower(previous))
            {
                return Broken(row.Seq, AuditBreak.PreviousHashMismatch, "its prev_hash is not the hash of the record before it");
            }

            var hash = AuditChain.Hash(previous, row.Seq, row.RecordedAt.UtcTicks, row.Record);
            if (Convert.ToHexStringLower(hash) != row.Hash)
            {
                return Broken(row.Seq, AuditBreak.HashMismatch, "its content does not match its hash");
            }

            if (!await patients.MatchesAsync(row, cancellationToken))
            {
                return Broken(row.Seq, AuditBreak.PatientIndexMismatch, "the patient index does not list exactly its patients");
            }

            if (expectedHead is { } anchor && anchor.Seq == row.Seq && anchor.Hash != row.Hash)
            {
                return Broken(row.Seq, AuditBreak.AnchorMismatch, $"its hash is {row.Hash}, the anchor says {anchor.Hash}");
            }

            previous = hash;
            checkedSeq = row.Seq;
        }

        if (await patients.SkipOrphansBeforeAsync(long.MaxValue, cancellationToken) is { } trailing)
        {
            return Broken(trailing, AuditBreak.PatientIndexMismatch, $"the patient index lists seq {trailing}, which is not in the chain");
        }

        if (expectedHead is { } expected && expected.Seq > checkedSeq)
        {
            return Broken(expected.Seq, AuditBreak.AnchorMissing, $"the chain ends at seq {checkedSeq}, before the anchor");
        }

        var verifiedHead = new AuditHead(checkedSeq, Convert.ToHexStringLower(previous));
        return new AuditVerification(
            checkedSeq,
            verifiedHead,
            null,
            null,
            string.Create(CultureInfo.InvariantCulture, $"{checkedSeq:N0} records, chain intact; head {verifiedHead}"));

        AuditVerification Broken(long seq, AuditBreak kind, string why) => new(
            checkedSeq,
            new AuditHead(checkedSeq, Convert.ToHexStringLower(previous)),
            seq,
            kind,
            string.Create(CultureInfo.InvariantCulture, $"Chain broken at seq {seq} ({kind}): {why}. {checkedSeq:N0} records before it are intact."));
    }

    /// <summary>audit_patient read in seq order beside the trail, a merge walk over two streams.</summary>
    private sealed class PatientIndex : IAsyncDisposable
    {
        private readonly DbConnection _connection;
        private readonly DbCommand _command;
        private readonly DbDataReader _reader;
        private (long Seq, string Id)? _next;

        private PatientIndex(DbConnection connection, DbCommand command, DbDataReader reader)
        {
            _connection = connection;
            _command = command;
            _reader = reader;
        }

        public static async Task<PatientIndex> OpenAsync(AuditStore store, long headSeq, CancellationToken cancellationToken)
        {
            var connection = await store.OpenAsync(cancellationToken);
            var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, patient_id FROM audit_patient WHERE seq <= @head ORDER BY seq";
            AuditStore.AddParameter(command, "@head", headSeq);
            var index = new PatientIndex(connection, command, await command.ExecuteReaderAsync(cancellationToken));
            await index.AdvanceAsync(cancellationToken);
            return index;
        }

        /// <summary>The first index row whose seq is below <paramref name="seq"/> (a record that is not in the chain), if any.</summary>
        public async Task<long?> SkipOrphansBeforeAsync(long seq, CancellationToken cancellationToken)
        {
            if (_next is { } next && next.Seq < seq)
            {
                await AdvanceAsync(cancellationToken);
                return next.Seq;
            }

            return null;
        }

        public async Task<bool> MatchesAsync(StoredAuditRecord row, CancellationToken cancellationToken)
        {
            var indexed = new HashSet<string>(StringComparer.Ordinal);
            while (_next is { } next && next.Seq == row.Seq)
            {
                indexed.Add(next.Id);
                await AdvanceAsync(cancellationToken);
            }

            return indexed.SetEquals(AuditDatabase.PatientIds(row));
        }

        public async ValueTask DisposeAsync()
        {
            await _reader.DisposeAsync();
            await _command.DisposeAsync();
            await _connection.DisposeAsync();
        }

        private async Task AdvanceAsync(CancellationToken cancellationToken) =>
            _next = await _reader.ReadAsync(cancellationToken) ? (_reader.GetInt64(0), _reader.GetString(1)) : null;
    }
}
