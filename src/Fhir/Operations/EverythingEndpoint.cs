using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using YTeSo.Fhir.Api;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Operations;

/// <summary>
/// Patient/[id]/$everything (FHIR R4 patient-operation-everything.html): the patient, every resource that refers to
/// the patient, and the resources those refer to (practitioners, organizations, medications...), with _since,
/// _type and _count paging.
/// </summary>
internal static class EverythingEndpoint
{
    public static async System.Threading.Tasks.Task Handle(HttpContext context, string id, FhirRepository repository, FhirResponse response)
    {
        var query = context.Request.Query;
        var types = query["_type"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        DateTimeOffset? since = null;
        if (!string.IsNullOrEmpty(query["_since"]))
        {
            since = Indexing.FhirDateRange.TryParse(query["_since"], out var range)
                ? new DateTimeOffset(range.Low, TimeSpan.Zero)
                : throw FhirOperationException.BadRequest($"_since '{query["_since"]}' is not a FHIR instant.");
        }

        var count = int.TryParse(query["_count"], NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? Math.Clamp(c, 1, 1000) : 100;
        var offset = int.TryParse(query["_offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;

        var (patient, page, total) = await repository.EverythingAsync(context.GetFhirAccess(), id, types, since, offset, count, context.Request.QueryString.Value ?? string.Empty, context.RequestAborted);

        var baseUrl = FhirEndpoints.BaseUrl(context.Request);
        var bundle = new Bundle { Type = Bundle.BundleType.Searchset, Id = Guid.CreateVersion7().ToString(), Total = total };
        var self = $"{baseUrl}/Patient/{id}/$everything?_count={count}" + (types.Count > 0 ? "&_type=" + string.Join(',', types) : string.Empty)
            + (since is null ? string.Empty : "&_since=" + Uri.EscapeDataString(query["_since"].ToString()));
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{self}&_offset={offset}" });
        if (offset + page.Count < total)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{self}&_offset={offset + page.Count}" });
        }

        foreach (var stored in page)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{stored.ResourceType}/{stored.Id}",
                Resource = repository.Parse(stored),
                Search = new Bundle.SearchComponent { Mode = stored.Key == patient.Key ? Bundle.SearchEntryMode.Match : Bundle.SearchEntryMode.Include },
            });
        }

        await response.WriteAsync(context, 200, bundle, context.RequestAborted);
    }

    /// <summary>
    /// The patient's key first, then referring resources, then what they refer to; ordered by key for stable paging.
    /// Only rows where <paramref name="visible"/> (the caller's access condition on alias r) holds.
    /// </summary>
    internal static async Task<List<long>> KeysAsync(FhirStore store, StoredResource patient, string? visible, SqlParameters p, CancellationToken cancellationToken)
    {
        await using var connection = await store.Database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $$"""
            WITH referring AS (
                SELECT DISTINCT x.resource_key FROM idx_reference x WHERE x.target_type = 'Patient' AND x.target_id = @id
            ),
            referred AS (
                SELECT DISTINCT t.resource_key FROM idx_reference y
                JOIN resources t ON t.resource_type = y.target_type AND t.resource_id = y.target_id
                WHERE y.resource_key IN (SELECT resource_key FROM referring) AND y.target_type <> 'Patient'
            )
            SELECT r.resource_key FROM resources r
            WHERE r.is_deleted = 0 AND (r.resource_key IN (SELECT resource_key FROM referring) OR r.resource_key IN (SELECT resource_key FROM referred))
            {{(visible is null ? string.Empty : "AND " + visible)}}
            ORDER BY r.resource_key
            """;
        FhirStore.AddParameter(command, "@id", patient.Id);
        p.ApplyTo(command);
        var keys = new List<long> { patient.Key };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetInt64(0);
            if (key != patient.Key)
            {
                keys.Add(key);
            }
        }

        return keys;
    }
}
