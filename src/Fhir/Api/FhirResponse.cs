using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;
using YTeSo.Fhir.Serialization;
using YTeSo.Fhir.Storage;

namespace YTeSo.Fhir.Api;

/// <summary>
/// Writes FHIR responses: content negotiation (JSON or XML, _pretty, _summary, _elements) and the version headers
/// of http.html#versioning (ETag W/"n", Last-Modified, Location).
/// </summary>
internal sealed class FhirResponse(FhirSerializers serializers)
{
    public async Task WriteAsync(HttpContext context, int status, Resource? resource, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        if (resource is null)
        {
            return;
        }

        var (xml, pretty, summary, elements) = Options(context.Request);
        var bytes = xml
            ? serializers.ToXmlBytes(resource, summary, elements, pretty)
            : serializers.ToJsonBytes(resource, summary, elements, pretty);
        context.Response.ContentType = (xml ? FhirMediaTypes.Xml : FhirMediaTypes.Json) + "; charset=utf-8";
        await context.Response.Body.WriteAsync(bytes, cancellationToken);
    }

    /// <summary>Reads are the hottest path: plain JSON reads send the stored body without parsing it.</summary>
    public async Task WriteStoredAsync(HttpContext context, int status, StoredResource stored, Func<Resource> parse, CancellationToken cancellationToken)
    {
        SetVersionHeaders(context, stored);
        if (IsPlainJson(context.Request))
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = FhirMediaTypes.Json + "; charset=utf-8";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(stored.Body!), cancellationToken);
            return;
        }

        await WriteAsync(context, status, parse(), cancellationToken);
    }

    /// <summary>JSON as stored: no XML, _pretty, _summary or _elements, so stored bodies can be sent without parsing.</summary>
    public static bool IsPlainJson(HttpRequest request)
    {
        var (xml, pretty, summary, elements) = Options(request);
        return !xml && !pretty && summary == SummaryType.False && elements is null;
    }

    public static void SetVersionHeaders(HttpContext context, StoredResource stored)
    {
        context.Response.Headers.ETag = $"W/\"{stored.Version}\"";
        context.Response.Headers.LastModified = stored.LastUpdated.ToString("R", CultureInfo.InvariantCulture);
    }

    private static (bool Xml, bool Pretty, SummaryType Summary, string[]? Elements) Options(HttpRequest request)
    {
        var query = request.Query;
        var xml = FhirMediaTypes.WantsXml(query["_format"], request.Headers.Accept);
        var pretty = query["_pretty"] == "true";
        var summary = query["_summary"].ToString() switch
        {
            "true" => SummaryType.True,
            "text" => SummaryType.Text,
            "data" => SummaryType.Data,
            "count" => SummaryType.Count,
            _ => SummaryType.False,
        };
        var elementsText = query["_elements"].ToString();
        // search.html#elements: id and meta always stay, so the subset can still be identified and versioned.
        var elements = string.IsNullOrEmpty(elementsText)
            ? null
            : elementsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Append("id").Append("meta").Distinct().ToArray();
        return (xml, pretty, summary, elements);
    }
}
