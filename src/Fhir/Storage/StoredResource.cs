namespace YTeSo.Fhir.Storage;

/// <summary>One version of one resource as stored: its JSON body (null when the version is a deletion).</summary>
internal sealed record StoredResource(
    long Key, string ResourceType, string Id, int Version, DateTimeOffset LastUpdated, bool IsDeleted, string? Body)
{
    public static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}

/// <summary>The row a write needs to know about the current version of a resource.</summary>
internal readonly record struct CurrentVersion(long Key, int Version, bool IsDeleted);
