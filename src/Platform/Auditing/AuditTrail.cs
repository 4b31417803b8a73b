using System.Threading.Channels;

using Microsoft.Extensions.Logging;

namespace YTeSo.Platform.Auditing;

/// <summary>
/// The trail's single writer, with group commit: callers queue a record and wait; the writer takes everything
/// queued (up to <see cref="MaxBatch"/>), chains it onto the stored head and commits it in one transaction, then
/// releases every waiter of that batch. One fsync serves hundreds of requests, and the chain has exactly one author.
/// See docs/decisions/0007-audit-trail.md.
/// </summary>
internal sealed partial class AuditTrail(AuditStore store, TimeProvider time, ILogger<AuditTrail> logger) : IAuditTrail, IAsyncDisposable
{
    public const int MaxBatch = 500;

    // Bounded: when the database is slower than the callers, callers wait here instead of the queue growing
    // without limit in memory.
    private readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(20_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private readonly Lock _starting = new();
    private Task? _writer;

    /// <summary>
    /// Queues the record and completes once it is committed. Throws what the commit threw, so the caller answers
    /// with an error instead of answering unaudited. Cancelling stops the wait, not the record: a queued record is
    /// still committed.
    /// </summary>
    public async ValueTask RecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(record.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Outcome);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Actor.Id);
        ArgumentNullException.ThrowIfNull(record.Actor.Display);

        var pending = new Pending(AuditChain.Clean(record));
        StartWriter();
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException e)
        {
            throw new ObjectDisposedException("The audit trail has shut down; the record was not stored.", e);
        }

        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking records, commits everything already queued, and waits for that commit.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? writer;
        lock (_starting)
        {
            writer = _writer;
        }

        if (writer is not null)
        {
            await writer;
        }
    }

    private void StartWriter()
    {
        if (Volatile.Read(ref _writer) is not null)
        {
            return;
        }

        lock (_starting)
        {
            _writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await CommitAsync(batch);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetResult();
                }
            }
#pragma warning disable CA1031 // every failure goes to the waiters, who refuse their requests; the writer lives on
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogCommitFailed(logger, e, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Committed.TrySetException(e);
                }
            }
        }
    }

    // The head is read inside the append transaction, under the append lock, rather than kept in memory: the chain
    // continues from whatever is stored (after a restart, a failed commit, or another process's appends).
    private async Task CommitAsync(List<Pending> batch)
    {
        var cancellationToken = CancellationToken.None;
        await using var connection = await store.OpenAsync(cancellationToken);
        await using var transaction = await store.Database.BeginAppendAsync(connection, cancellationToken);
        var (seq, lastTicks, previous) = await AuditStore.ReadHeadAsync(connection, transaction, cancellationToken);

        // One time for the batch, never before the head's: seq order and time order agree, so a time range is a seq
        // range for auditors even when the system clock steps back.
        var recordedAt = new DateTimeOffset(Math.Max(time.GetUtcNow().UtcTicks, lastTicks), TimeSpan.Zero);
        var rows = new List<StoredAuditRecord>(batch.Count);
        foreach (var pending in batch)
        {
            seq++;
            var hash = AuditChain.Hash(previous, seq, recordedAt.UtcTicks, pending.Record);
            rows.Add(new StoredAuditRecord(seq, recordedAt, pending.Record, Convert.ToHexStringLower(previous), Convert.ToHexStringLower(hash)));
            previous = hash;
        }

        await store.Database.InsertAsync(connection, transaction, rows, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Audit commit of {Count} records failed; their requests are refused")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    private sealed class Pending(AuditRecord record)
    {
        public AuditRecord Record { get; } = record;

        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
