using YTeSo.Patients.Domain.Matching;

namespace YTeSo.Patients.Dedupe;

/// <summary>How to run a batch deduplication.</summary>
internal sealed record DedupeOptions
{
    /// <summary>
    /// A block with more records than this (a very common name with a common birth year, a shared phone of a clinic)
    /// is not compared all-pairs, which would be quadratic, but by sorted neighbourhood: its records in name order,
    /// each compared with the next <see cref="Window"/>. The result lists every such block.
    /// </summary>
    public int MaxBlockSize { get; init; } = 200;

    public int Window { get; init; } = 8;

    /// <summary>Threads comparing blocks; all cores when null.</summary>
    public int? MaxDegreeOfParallelism { get; init; }
}

internal enum DedupeStage
{
    Preparing,
    Blocking,
    Comparing,
    Clustering,
    Done,
}

/// <summary>Progress of a run: the stage, and how far into it (records, or blocks while comparing).</summary>
internal sealed record DedupeProgress(DedupeStage Stage, long Done, long Total);

/// <summary>A pair for a reviewer: both source records, the matcher's verdict, and why it was not linked automatically.</summary>
internal sealed record ReviewPair(string A, string B, MatchResult Result, string Reason);

/// <summary>A block that was too large to compare all-pairs, with its key and size.</summary>
internal sealed record OversizedBlock(string Key, int Size);

/// <summary>
/// A facility's duplicates: records in a cluster with another record of the same facility (it registered the person
/// twice), and records in a cluster with another facility's (the person is known elsewhere).
/// </summary>
internal sealed record FacilityDuplicates(string FacilityCode, int Records, int DuplicatedWithin, int KnownElsewhere)
{
    public double DuplicateRate => Records == 0 ? 0 : (double)DuplicatedWithin / Records;
}

internal sealed record DedupeCounts(
    int Records,
    int Blocks,
    int OversizedBlocks,
    long Comparisons,
    int AutomaticLinks,
    int RefusedLinks,
    int ReviewPairs,
    int Clusters,
    int RecordsInClusters);

/// <summary>
/// The outcome: clusters of source record keys that are one person (automatic links only), the review queue
/// (possible matches, and automatic links refused because they would join two personal ids), and the counts.
/// </summary>
internal sealed record DedupeResult(
    IReadOnlyList<IReadOnlyList<string>> Clusters,
    IReadOnlyList<ReviewPair> ReviewQueue,
    IReadOnlyList<OversizedBlock> OversizedBlocks,
    IReadOnlyList<FacilityDuplicates> Facilities,
    DedupeCounts Counts,
    TimeSpan Elapsed);
