namespace YTeSo.Platform.Auditing;

/// <summary>What an auditor searches the trail for; every criterion given must match.</summary>
public sealed record AuditFilter
{
    /// <summary>Recorded at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Recorded before this instant (exclusive).</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>The actor's id (<see cref="AuditActor.Id"/>), exactly.</summary>
    public string? ActorId { get; init; }

    /// <summary>A patient id listed in <see cref="AuditRecord.PatientIds"/>, exactly.</summary>
    public string? PatientId { get; init; }

    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public string? Action { get; init; }

    /// <summary>One of <see cref="AuditOutcomes"/>.</summary>
    public string? Outcome { get; init; }

    /// <summary>Only records of emergency (break-glass) access.</summary>
    public bool BreakGlassOnly { get; init; }
}

/// <summary>One page of a search, newest first.</summary>
/// <param name="Records">At most the requested count, in descending seq.</param>
/// <param name="NextBefore">Pass as <c>beforeSeq</c> for the next (older) page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<StoredAuditRecord> Records, long? NextBefore);

/// <summary>Searches the trail for auditors: newest first, paged by seq (a page costs the same at any depth).</summary>
public sealed class AuditQuery
{
    /// <summary>The largest page <see cref="SearchAsync"/> returns.</summary>
    public const int MaxCount = 1000;

    private readonly AuditStore _store;

    internal AuditQuery(AuditStore store)
    {
        _store = store;
    }

    /// <summary>Records matching <paramref name="filter"/> with seq below <paramref name="beforeSeq"/> (all when null).</summary>
    public async Task<AuditPage> SearchAsync(AuditFilter filter, long? beforeSeq, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        count = Math.Min(count, MaxCount);

        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();

        // A patient search is driven by audit_patient's (patient_id, seq) key, walked backwards from beforeSeq;
        // every other search by the trail's seq (or the actor/time index the planner picks).
        var from = "audit_trail t";
        var where = new List<string>();
        if (filter.PatientId is not null)
        {
            from = "audit_patient p JOIN audit_trail t ON t.seq = p.seq";
            where.Add("p.patient_id = @patient");
            AuditStore.AddParameter(command, "@patient", filter.PatientId);
        }

        var seq = filter.PatientId is null ? "t.seq" : "p.seq";
        if (beforeSeq is { } before)
        {
            where.Add($"{seq} < @before");
            AuditStore.AddParameter(command, "@before", before);
        }

        Add(filter.From?.UtcTicks, "t.recorded_at >= @from");
        Add(filter.To?.UtcTicks, "t.recorded_at < @to");
        Add(filter.ActorId, "t.actor_id = @actor");
        Add(filter.Action, "t.action = @action");
        Add(filter.Outcome, "t.outcome = @outcome");
        if (filter.BreakGlassOnly)
        {
            where.Add("t.break_glass");
        }

        var columns = string.Join(", ", AuditDatabase.Columns.Split(", ").Select(c => "t." + c));
        command.CommandText = $"""
            SELECT {columns} FROM {from}
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : "")}
            ORDER BY {seq} DESC LIMIT {count + 1}
            """;
        var records = new List<StoredAuditRecord>(count + 1);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                records.Add(AuditStore.ReadRow(reader));
            }
        }

        if (records.Count <= count)
        {
            return new AuditPage(records, null);
        }

        records.RemoveAt(count);
        return new AuditPage(records, records[^1].Seq);

        void Add(object? value, string condition)
        {
            if (value is not null)
            {
                where.Add(condition);
                AuditStore.AddParameter(command, "@" + condition.Split('@')[1], value);
            }
        }
    }
}
