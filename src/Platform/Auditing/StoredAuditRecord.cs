namespace YTeSo.Platform.Auditing;

/// <summary>A record as the trail stored it: its place in the chain, when it was committed, and its hashes.</summary>
/// <param name="Seq">Position in the chain, from 1, without gaps.</param>
/// <param name="RecordedAt">When the writer committed it (UTC; never earlier than the record before it).</param>
/// <param name="Record">What was recorded.</param>
/// <param name="PreviousHash">The hash of record <c>Seq - 1</c> (64 zeros for the first), lower-case hex.</param>
/// <param name="Hash">SHA-256 over <paramref name="PreviousHash"/> and this record's canonical form, lower-case hex.</param>
public sealed record StoredAuditRecord(long Seq, DateTimeOffset RecordedAt, AuditRecord Record, string PreviousHash, string Hash);
