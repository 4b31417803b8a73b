using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Api;

/// <summary>One entry of a search or history Bundle as stored: its full URL, the stored JSON body and search.mode.</summary>
internal readonly record struct StoredEntry(string? FullUrl, string Body, string Mode);

/// <summary>
/// Writes a searchset Bundle of stored resources as plain JSON without parsing them: the stored bodies already carry
/// meta.versionId and meta.lastUpdated (stamped on write), so each one is copied into the Bundle as it is. Parsing
/// every match into Firely objects and serializing it again was most of a search's cost. Only plain JSON takes this
/// path (FhirResponse.IsPlainJson); _summary, _elements, _pretty and XML still go through the serializer.
/// </summary>
internal static class SearchsetJson
{
    private const int FlushThreshold = 32 * 1024;

    private static readonly JsonWriterOptions Options = new()
    {
        // Same escaping as FhirSerializers: UTF-8 Vietnamese, not \u escapes (responses are never HTML).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    public static async Task WriteAsync(
        HttpContext context, long? total, IReadOnlyList<(string Relation, string Url)> links, IEnumerable<StoredEntry> entries, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = FhirMediaTypes.Json + "; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("resourceType", "Bundle");
            writer.WriteString("id", Guid.CreateVersion7().ToString());
            writer.WriteStartObject("meta");
            writer.WriteString("lastUpdated", DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK", CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteString("type", "searchset");
            if (total is { } count)
            {
                writer.WriteNumber("total", count);
            }

            writer.WriteStartArray("link");
            foreach (var (relation, url) in links)
            {
                writer.WriteStartObject();
                writer.WriteString("relation", relation);
                writer.WriteString("url", url);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            var any = false;
            foreach (var entry in entries)
            {
                if (!any)
                {
                    writer.WriteStartArray("entry");
                    any = true;
                }

                writer.WriteStartObject();
                if (entry.FullUrl is not null)
                {
                    writer.WriteString("fullUrl", entry.FullUrl);
                }

                writer.WritePropertyName("resource");
                writer.WriteRawValue(entry.Body, skipInputValidation: true);
                writer.WriteStartObject("search");
                writer.WriteString("mode", entry.Mode);
                writer.WriteEndObject();
                writer.WriteEndObject();
                if (writer.BytesPending > FlushThreshold)
                {
                    // Large pages go out as they are written rather than all at once from one big buffer.
                    writer.Flush();
                    await context.Response.BodyWriter.FlushAsync(cancellationToken);
                }
            }

            if (any)
            {
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(cancellationToken);
    }

    public static StoredEntry Entry(string baseUrl, StoredResource stored, string mode) =>
        new($"{baseUrl}/{stored.ResourceType}/{stored.Id}", stored.Body!, mode);
}
