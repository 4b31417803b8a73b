using Hl7.Fhir.Model;

using YTeSo.Fhir.Repository;

namespace YTeSo.Fhir.Ingest;

/// <summary>
/// What the importer writes all-or-nothing: one NDJSON line, or everything of one .json file. Either resources ready to
/// store with their ids (<see cref="Resources"/>), or a Bundle the repository must process itself because it needs the
/// database to plan (conditional entries, deletes, patches, batches), or the reason it was rejected.
/// </summary>
internal sealed record ImportUnit(ImportOrigin Origin, IReadOnlyList<PreparedResource> Resources, Bundle? ForRepository = null, string? Rejection = null)
{
    public static ImportUnit Rejected(ImportOrigin origin, string reason) => new(origin, [], Rejection: reason);
}
