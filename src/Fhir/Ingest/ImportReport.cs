namespace YTeSo.Fhir.Ingest;

/// <summary>Where something in an import came from: a file (inside an archive: "archive.tgz/entry"), and the line for NDJSON.</summary>
internal readonly record struct ImportOrigin(string File, int Line = 0)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}

/// <summary>A line or file that was not imported, and why. Nothing of it was written.</summary>
internal sealed record ImportRejection(ImportOrigin Origin, string Reason);

/// <summary>A local reference whose target was not in the store when the import ended.</summary>
internal sealed record DanglingReference(string Target, ImportOrigin FirstReferrer, string Path, int Referrers)
{
    public override string ToString() =>
        $"{Target} does not exist; referred to {Referrers} time(s), first by {FirstReferrer} ({Path})";
}

/// <summary>What an import did.</summary>
internal sealed class ImportReport
{
    /// <summary>Resource versions written (created, or changed and so given a new version).</summary>
    public long Imported { get; set; }

    /// <summary>Resources already stored with the same content: re-running an import writes nothing new.</summary>
    public long Unchanged { get; set; }

    public int Files { get; set; }

    public List<ImportRejection> Rejections { get; } = [];

    public List<DanglingReference> DanglingReferences { get; } = [];

    public TimeSpan Elapsed { get; set; }
}

/// <summary>Live counters for a progress display; written by the importer, read from any thread.</summary>
internal sealed class ImportProgress
{
    private long _bytesRead;
    private long _files;
    private long _resources;
    private long _rejected;

    public long BytesRead => Interlocked.Read(ref _bytesRead);

    public long Files => Interlocked.Read(ref _files);

    public long Resources => Interlocked.Read(ref _resources);

    public long Rejected => Interlocked.Read(ref _rejected);

    internal void AddBytes(long count) => Interlocked.Add(ref _bytesRead, count);

    internal void FileDone() => Interlocked.Increment(ref _files);

    internal void Stored(long count) => Interlocked.Add(ref _resources, count);

    internal void Reject() => Interlocked.Increment(ref _rejected);
}
