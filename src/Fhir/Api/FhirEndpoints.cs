using System.Globalization;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Operations;
using YTeSo.Fhir.Repository;
using YTeSo.Fhir.Search;
using YTeSo.Fhir.Serialization;

namespace YTeSo.Fhir.Api;

/// <summary>The FHIR R4 RESTful API (http.html): the route table, then one small handler per interaction.</summary>
internal static class FhirEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, string prefix)
    {
        var api = endpoints.MapGroup(prefix).AddEndpointFilter<FhirErrorFilter>().WithTags("FHIR").DisableAntiforgery();

        // The CapabilityStatement is public (http.html#capabilities); everything else needs the caller's access.
        api.MapGet("/metadata", Capabilities).AllowAnonymous();
        var fhir = api.MapGroup(string.Empty).AddEndpointFilter<FhirAccessFilter>();
        fhir.MapPost("/", Bundle);
        fhir.MapGet("/_history", SystemHistory);
        fhir.MapGet("/$export", ExportEndpoints.Start);
        fhir.MapGet("/$export-status/{job}", ExportEndpoints.Status);
        fhir.MapDelete("/$export-status/{job}", ExportEndpoints.Cancel);
        fhir.MapGet("/$export-file/{job}/{file}", ExportEndpoints.File);
        fhir.MapGet("/Patient/$export", ExportEndpoints.StartPatient);
        fhir.MapGet("/Patient/{id}/$everything", EverythingEndpoint.Handle);

        fhir.MapGet("/{type}", Search);
        fhir.MapPost("/{type}/_search", SearchByPost);
        fhir.MapPost("/{type}", Create);
        fhir.MapPut("/{type}", ConditionalUpdate);
        fhir.MapDelete("/{type}", ConditionalDelete);
        fhir.MapGet("/{type}/_history", TypeHistory);
        fhir.MapGet("/{type}/$export", ExportEndpoints.StartType);
        fhir.MapGet("/{type}/{id}", Read);
        fhir.MapPut("/{type}/{id}", Update);
        fhir.MapPatch("/{type}/{id}", Patch);
        fhir.MapDelete("/{type}/{id}", Delete);
        fhir.MapGet("/{type}/{id}/_history", InstanceHistory);
        fhir.MapGet("/{type}/{id}/_history/{version}", VRead);
    }

    private static async Task Capabilities(HttpContext context, CapabilityStatementBuilder builder, FhirResponse response) =>
        await response.WriteAsync(context, 200, builder.Build(BaseUrl(context.Request)), context.RequestAborted);

    private static async Task Read(HttpContext context, string type, string id, FhirRepository repository, FhirResponse response)
    {
        var stored = await repository.ReadCurrentAsync(context.GetFhirAccess(), type, id, context.RequestAborted);
        await response.WriteStoredAsync(context, 200, stored, () => repository.Parse(stored), context.RequestAborted);
    }

    private static async Task VRead(HttpContext context, string type, string id, string version, FhirRepository repository, FhirResponse response)
    {
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw FhirOperationException.NotFound($"'{version}' is not a version of {type}/{id}.");
        }

        var stored = await repository.ReadVersionAsync(context.GetFhirAccess(), type, id, number, context.RequestAborted);
        await response.WriteStoredAsync(context, 200, stored, () => repository.Parse(stored), context.RequestAborted);
    }

    private static async Task Create(HttpContext context, string type, FhirRepository repository, FhirResponse response, RequestBodyReader bodies)
    {
        repository.EnsureType(type);
        var resource = await bodies.ReadResourceAsync(context.Request, context.RequestAborted);
        if (resource.TypeName != type)
        {
            throw FhirOperationException.BadRequest($"The body is a {resource.TypeName} but the URL is for {type}.");
        }

        var result = await repository.CreateAsync(context.GetFhirAccess(), resource, context.Request.Headers["If-None-Exist"].FirstOrDefault(), context.RequestAborted);
        await WriteResultAsync(context, result, repository, response);
    }

    private static async Task Update(HttpContext context, string type, string id, FhirRepository repository, FhirResponse response, RequestBodyReader bodies)
    {
        repository.EnsureType(type);
        var resource = await bodies.ReadResourceAsync(context.Request, context.RequestAborted);
        var result = await repository.UpdateAsync(context.GetFhirAccess(), type, id, resource, IfMatch(context.Request), context.RequestAborted);
        await WriteResultAsync(context, result, repository, response);
    }

    private static async Task ConditionalUpdate(HttpContext context, string type, FhirRepository repository, FhirResponse response, RequestBodyReader bodies)
    {
        repository.EnsureType(type);
        var criteria = Criteria(context.Request, "update");
        var resource = await bodies.ReadResourceAsync(context.Request, context.RequestAborted);
        if (resource.TypeName != type)
        {
            throw FhirOperationException.BadRequest($"The body is a {resource.TypeName} but the URL is for {type}.");
        }

        var result = await repository.ConditionalUpdateAsync(context.GetFhirAccess(), type, criteria, resource, IfMatch(context.Request), context.RequestAborted);
        await WriteResultAsync(context, result, repository, response);
    }

    private static async Task Patch(HttpContext context, string type, string id, FhirRepository repository, FhirResponse response, RequestBodyReader bodies)
    {
        repository.EnsureType(type);
        var contentType = context.Request.ContentType ?? string.Empty;
        if (!contentType.StartsWith(FhirMediaTypes.JsonPatch, StringComparison.OrdinalIgnoreCase))
        {
            throw new FhirOperationException(415, OperationOutcome.IssueType.NotSupported, $"PATCH takes {FhirMediaTypes.JsonPatch} (JSON Patch, RFC 6902), not '{contentType}'.");
        }

        var patch = await bodies.ReadTextAsync(context.Request, context.RequestAborted);
        var result = await repository.PatchAsync(context.GetFhirAccess(), type, id, patch, IfMatch(context.Request), context.RequestAborted);
        await WriteResultAsync(context, result, repository, response);
    }

    private static async Task Delete(HttpContext context, string type, string id, FhirRepository repository)
    {
        repository.EnsureType(type);
        var result = await repository.DeleteAsync(context.GetFhirAccess(), type, id, context.RequestAborted);
        if (result.Stored is { } stored)
        {
            context.Response.Headers.ETag = $"W/\"{stored.Version}\"";
        }

        context.Response.StatusCode = 204;
    }

    private static async Task ConditionalDelete(HttpContext context, string type, FhirRepository repository)
    {
        repository.EnsureType(type);
        await repository.ConditionalDeleteAsync(context.GetFhirAccess(), type, Criteria(context.Request, "delete"), context.RequestAborted);
        context.Response.StatusCode = 204;
    }

    private static async Task Search(HttpContext context, string type, FhirRepository repository, FhirResponse response)
    {
        var parameters = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty)));
        await SearchAsync(context, type, parameters, repository, response);
    }

    private static async Task SearchByPost(HttpContext context, string type, FhirRepository repository, FhirResponse response)
    {
        // search.html#search: POST [type]/_search with application/x-www-form-urlencoded, same semantics as GET.
        var parameters = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            parameters.AddRange(form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? string.Empty))));
        }

        await SearchAsync(context, type, parameters, repository, response);
    }

    private static async Task SearchAsync(HttpContext context, string type, IEnumerable<KeyValuePair<string, string>> parameters, FhirRepository repository, FhirResponse response)
    {
        var strict = context.Request.Headers["Prefer"].Any(p => p?.Contains("handling=strict", StringComparison.OrdinalIgnoreCase) == true);
        var query = repository.ParseSearch(type, parameters, strict);
        var outcome = await repository.SearchAsync(context.GetFhirAccess(), query, context.RequestAborted);
        var baseUrl = BaseUrl(context.Request);
        List<(string Relation, string Url)> links = [("self", $"{baseUrl}/{type}{ToQuery(query.Echo)}")];
        if (outcome.NextCursor is not null)
        {
            links.Add(("next", $"{baseUrl}/{type}{ToQuery([.. query.Echo, new("_cursor", outcome.NextCursor)])}"));
        }

        if (FhirResponse.IsPlainJson(context.Request))
        {
            var entries = outcome.Matches.Select(m => SearchsetJson.Entry(baseUrl, m, "match"))
                .Concat(outcome.Included.Select(i => SearchsetJson.Entry(baseUrl, i, "include")));
            if (query.Ignored.Count > 0)
            {
                entries = entries.Append(new StoredEntry(null, repository.Serializers.ToJson(Outcomes.Warnings(query.Ignored)), "outcome"));
            }

            await SearchsetJson.WriteAsync(context, outcome.Total, links, entries, context.RequestAborted);
            return;
        }

        var bundle = new Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.Searchset, Id = Guid.CreateVersion7().ToString(), Total = (int?)outcome.Total };
        bundle.Meta = new Meta { LastUpdated = DateTimeOffset.UtcNow };
        bundle.Link.AddRange(links.Select(l => new Bundle.LinkComponent { Relation = l.Relation, Url = l.Url }));
        foreach (var match in outcome.Matches)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/{match.ResourceType}/{match.Id}", Resource = repository.Parse(match), Search = new Bundle.SearchComponent { Mode = Hl7.Fhir.Model.Bundle.SearchEntryMode.Match } });
        }

        foreach (var included in outcome.Included)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{baseUrl}/{included.ResourceType}/{included.Id}", Resource = repository.Parse(included), Search = new Bundle.SearchComponent { Mode = Hl7.Fhir.Model.Bundle.SearchEntryMode.Include } });
        }

        if (query.Ignored.Count > 0)
        {
            bundle.Entry.Add(new Bundle.EntryComponent { Resource = Outcomes.Warnings(query.Ignored), Search = new Bundle.SearchComponent { Mode = Hl7.Fhir.Model.Bundle.SearchEntryMode.Outcome } });
        }

        await response.WriteAsync(context, 200, bundle, context.RequestAborted);
    }

    private static Task SystemHistory(HttpContext context, FhirRepository repository, FhirResponse response) =>
        HistoryAsync(context, null, null, repository, response);

    private static Task TypeHistory(HttpContext context, string type, FhirRepository repository, FhirResponse response) =>
        HistoryAsync(context, type, null, repository, response);

    private static Task InstanceHistory(HttpContext context, string type, string id, FhirRepository repository, FhirResponse response) =>
        HistoryAsync(context, type, id, repository, response);

    private static async Task HistoryAsync(HttpContext context, string? type, string? id, FhirRepository repository, FhirResponse response)
    {
        var query = context.Request.Query;
        var since = ParseInstant(query["_since"], "_since");
        var till = ParseInstant(query["_till"], "_till") ?? DateTimeOffset.UtcNow;
        var count = ParseInt(query["_count"], "_count", SearchLimits.DefaultCount, SearchLimits.MaxCount);
        var offset = ParseInt(query["_offset"], "_offset", 0, int.MaxValue);
        var (page, total) = await repository.HistoryAsync(context.GetFhirAccess(), type, id, since, till, offset, count, context.RequestAborted);
        var baseUrl = BaseUrl(context.Request);
        var path = type is null ? string.Empty : id is null ? $"/{type}" : $"/{type}/{id}";
        var bundle = new Bundle { Type = Hl7.Fhir.Model.Bundle.BundleType.History, Id = Guid.CreateVersion7().ToString(), Total = (int)Math.Min(total, int.MaxValue) };
        var tillText = till.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
        var common = $"_count={count}&_till={Uri.EscapeDataString(tillText)}" + (since is null ? string.Empty : $"&_since={Uri.EscapeDataString(since.Value.ToString("O", CultureInfo.InvariantCulture))}");
        bundle.Link.Add(new Bundle.LinkComponent { Relation = "self", Url = $"{baseUrl}{path}/_history?{common}&_offset={offset}" });
        if (offset + page.Count < total)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = $"{baseUrl}{path}/_history?{common}&_offset={offset + page.Count}" });
        }

        foreach (var version in page)
        {
            var entry = new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{version.ResourceType}/{version.Id}",
                Request = new Bundle.RequestComponent
                {
                    Method = version.IsDeleted ? Hl7.Fhir.Model.Bundle.HTTPVerb.DELETE : version.Version == 1 ? Hl7.Fhir.Model.Bundle.HTTPVerb.POST : Hl7.Fhir.Model.Bundle.HTTPVerb.PUT,
                    Url = version.Version == 1 && !version.IsDeleted ? version.ResourceType : $"{version.ResourceType}/{version.Id}",
                },
                Response = new Bundle.ResponseComponent
                {
                    Status = version.IsDeleted ? "204" : version.Version == 1 ? "201" : "200",
                    Etag = $"W/\"{version.Version}\"",
                    LastModified = version.LastUpdated,
                },
            };
            if (version.Body is not null)
            {
                entry.Resource = repository.Parse(version);
            }

            bundle.Entry.Add(entry);
        }

        await response.WriteAsync(context, 200, bundle, context.RequestAborted);
    }

    private static async Task Bundle(HttpContext context, FhirRepository repository, FhirResponse response, RequestBodyReader bodies)
    {
        var resource = await bodies.ReadResourceAsync(context.Request, context.RequestAborted);
        if (resource is not Bundle bundle)
        {
            throw FhirOperationException.BadRequest($"POST to the base URL takes a Bundle, not a {resource.TypeName}.");
        }

        // Transaction responses carry only status, location and ETag unless the client asks for the resources.
        var representation = context.Request.Headers["Prefer"].Any(p => p?.Contains("return=representation", StringComparison.OrdinalIgnoreCase) == true);
        var result = await repository.ProcessBundleAsync(context.GetFhirAccess(), bundle, representation, context.RequestAborted);
        await response.WriteAsync(context, 200, result, context.RequestAborted);
    }

    private static async Task WriteResultAsync(HttpContext context, WriteResult result, FhirRepository repository, FhirResponse response)
    {
        var stored = result.Stored!;
        FhirResponse.SetVersionHeaders(context, stored);
        if (result.Status == 201)
        {
            context.Response.Headers.Location = $"{BaseUrl(context.Request)}/{stored.ResourceType}/{stored.Id}/_history/{stored.Version}";
        }

        switch (ReturnPreference(context.Request))
        {
            case "minimal":
                context.Response.StatusCode = result.Status;
                break;
            case "OperationOutcome":
                await response.WriteAsync(context, result.Status, Outcomes.Information($"{stored.ResourceType}/{stored.Id} version {stored.Version} stored."), context.RequestAborted);
                break;
            default:
                await response.WriteStoredAsync(context, result.Status, stored, () => result.Resource ?? repository.Parse(stored), context.RequestAborted);
                break;
        }
    }

    /// <summary>http.html#ops: Prefer: return=minimal | representation | OperationOutcome.</summary>
    private static string ReturnPreference(HttpRequest request)
    {
        foreach (var prefer in request.Headers["Prefer"])
        {
            foreach (var part in (prefer ?? string.Empty).Split(',', ';'))
            {
                var trimmed = part.Trim();
                if (trimmed.StartsWith("return=", StringComparison.OrdinalIgnoreCase))
                {
                    return trimmed["return=".Length..].Trim('"');
                }
            }
        }

        return "representation";
    }

    private static int? IfMatch(HttpRequest request)
    {
        var value = request.Headers.IfMatch.FirstOrDefault();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var digits = value.Replace("W/", string.Empty, StringComparison.Ordinal).Trim().Trim('"');
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw FhirOperationException.BadRequest($"If-Match '{value}' is not a version ETag like W/\"3\".");
    }

    private static string Criteria(HttpRequest request, string interaction)
    {
        var criteria = request.QueryString.HasValue ? request.QueryString.Value![1..] : string.Empty;
        var filtered = string.Join('&', criteria.Split('&').Where(p => !p.StartsWith("_format=", StringComparison.Ordinal) && !p.StartsWith("_pretty=", StringComparison.Ordinal)));
        return filtered.Length > 0
            ? filtered
            : throw FhirOperationException.BadRequest($"A conditional {interaction} needs search criteria in the query string.");
    }

    private static DateTimeOffset? ParseInstant(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return Indexing.FhirDateRange.TryParse(value, out var range)
            ? new DateTimeOffset(range.Low, TimeSpan.Zero)
            : throw FhirOperationException.BadRequest($"{name} '{value}' is not a FHIR instant.");
    }

    private static int ParseInt(string? value, string name, int fallback, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return fallback;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? Math.Min(number, max)
            : throw FhirOperationException.BadRequest($"{name} must be a whole number, not '{value}'.");
    }

    internal static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";

    private static string ToQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var text = Repository.QueryString.Format(parameters);
        return text.Length == 0 ? string.Empty : "?" + text;
    }
}

/// <summary>Reads request bodies with a size limit, in JSON or XML as Content-Type says.</summary>
internal sealed class RequestBodyReader(FhirSerializers serializers, FhirOptions options)
{
    public async Task<Resource> ReadResourceAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var bytes = await ReadBytesAsync(request, cancellationToken);
        if (bytes.Length == 0)
        {
            throw FhirOperationException.BadRequest("The request has no body; a FHIR resource was expected.");
        }

        return FhirMediaTypes.IsXmlBody(request.ContentType)
            ? serializers.ParseXml(Encoding.UTF8.GetString(bytes))
            : serializers.ParseJson(bytes);
    }

    public async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await ReadBytesAsync(request, cancellationToken));

    private async Task<byte[]> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxBodyBytes)
        {
            throw new FhirOperationException(413, OperationOutcome.IssueType.TooLong, $"The body is larger than {options.MaxBodyMegabytes} MB.");
        }

        // Kestrel's own limit (30 MB) would cut the connection without an OperationOutcome; ours applies instead.
        if (request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.MaxBodyBytes + 1L;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > options.MaxBodyBytes)
            {
                throw new FhirOperationException(413, OperationOutcome.IssueType.TooLong, $"The body is larger than {options.MaxBodyMegabytes} MB.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <summary>Turns every failure inside the FHIR API into an OperationOutcome with the right status; never a bare 500 page.</summary>
internal sealed class FhirErrorFilter(FhirResponse response, Microsoft.Extensions.Logging.ILogger<FhirErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        try
        {
            if (!FhirMediaTypes.IsSupportedFormat(http.Request.Query["_format"]))
            {
                throw new FhirOperationException(406, OperationOutcome.IssueType.NotSupported, $"_format '{http.Request.Query["_format"]}' is not supported (json or xml).");
            }

            return await next(context);
        }
        catch (FhirOperationException e)
        {
            await WriteAsync(http, e.Status, e.ToOutcome());
        }
        catch (FhirParseException e)
        {
            await WriteAsync(http, 400, Outcomes.Error(OperationOutcome.IssueType.Structure, e.Messages));
        }
        catch (SearchException e)
        {
            await WriteAsync(http, 400, Outcomes.Error(OperationOutcome.IssueType.Invalid, [e.Message]));
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(http, e.StatusCode, Outcomes.Error(OperationOutcome.IssueType.Invalid, [e.Message]));
        }
        catch (System.Data.Common.DbException e) when (IsConflict(e))
        {
            // Two writers created the same Type/id at once (update-as-create); the loser retries or reads.
            await WriteAsync(http, 409, Outcomes.Error(OperationOutcome.IssueType.Conflict, ["The resource was changed by another request at the same time; retry."]));
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nothing to answer
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unexpected failure in {Method} {Path}", http.Request.Method, http.Request.Path);
            await WriteAsync(http, 500, Outcomes.Error(OperationOutcome.IssueType.Exception, ["An unexpected error occurred; nothing was written. The server log has the details."]));
        }

        return Results.Empty;
    }

    internal static bool IsConflict(System.Data.Common.DbException e) =>
        e is Npgsql.PostgresException { SqlState: "23505" or "40001" or "40P01" } || (e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 19 });

    private async Task WriteAsync(HttpContext http, int status, OperationOutcome outcome)
    {
        if (http.Response.HasStarted)
        {
            return;
        }

        http.Response.Clear();
        await response.WriteAsync(http, status, outcome, http.RequestAborted);
    }
}
