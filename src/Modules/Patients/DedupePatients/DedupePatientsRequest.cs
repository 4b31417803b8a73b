namespace YTeSo.Patients.DedupePatients;

/// <summary>A batch deduplication over the whole database (<c>yteso mpi dedupe</c>).</summary>
/// <param name="DryRun">Work out and report every change, write none.</param>
/// <param name="BatchSize">Source rows written per database transaction.</param>
public sealed record DedupePatientsRequest(bool DryRun = false, int BatchSize = 500);

/// <summary>How far a run is: the stage (in words, for a progress display) and how far into it.</summary>
public sealed record DedupePatientsProgress(string Stage, long Done, long Total);

/// <summary>One source record whose link changes (or would, in a dry run).</summary>
public sealed record DedupeLinkChange(string PatientId, string? FromGoldenId, string ToGoldenId, string? FromOrigin, string ToOrigin);

/// <summary>What a run did (or, in a dry run, would do).</summary>
public sealed record DedupePatientsResponse
{
    public bool DryRun { get; init; }

    /// <summary>Source Patients deduplicated (every current Patient that is not merged into another).</summary>
    public int Records { get; init; }

    /// <summary>Patients the MPI had never seen (a bulk load from the command line, say), now given their source row.</summary>
    public int SourcesAdded { get; init; }

    /// <summary>Patients whose current version is newer than the one the MPI last matched.</summary>
    public int SourcesRefreshed { get; init; }

    /// <summary>Source rows of Patients deleted or merged into another since.</summary>
    public int SourcesRemoved { get; init; }

    /// <summary>Distinct golden records after the run.</summary>
    public int Persons { get; init; }

    /// <summary>Persons with two or more source records.</summary>
    public int Clusters { get; init; }

    public long Comparisons { get; init; }

    /// <summary>Sources already known that move to another golden record.</summary>
    public int LinksChanged { get; init; }

    /// <summary>Sources that stay in their golden record but whose origin or weight changes.</summary>
    public int OriginsChanged { get; init; }

    /// <summary>Automatic links left out because a reviewer's decision stands against them.</summary>
    public int OverruledLinks { get; init; }

    /// <summary>Golden records written (a new version), or in a dry run: to be recomposed.</summary>
    public int GoldenWritten { get; init; }

    public int GoldenDeleted { get; init; }

    public int ReviewItemsQueued { get; init; }

    /// <summary>Open review items closed as obsolete (the pair is now one person, or a record left).</summary>
    public int ReviewItemsObsoleted { get; init; }

    /// <summary>Sources the real-time linker changed while the run was working: left to it, not overwritten.</summary>
    public int SkippedChangedMeanwhile { get; init; }

    /// <summary>The first changes in patient id order (a dry run lists what it would do), at most <see cref="ListedChanges"/>.</summary>
    public IReadOnlyList<DedupeLinkChange> Changes { get; init; } = [];

    /// <summary>How many sources change golden record or origin (<see cref="Changes"/> lists the first of them).</summary>
    public int ChangeCount { get; init; }

    public TimeSpan Elapsed { get; init; }

    public bool NothingChanged =>
        SourcesAdded + SourcesRefreshed + SourcesRemoved + LinksChanged + OriginsChanged + GoldenWritten + GoldenDeleted + ReviewItemsQueued + ReviewItemsObsoleted == 0;

    public const int ListedChanges = 50;
}
