using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace YTeSo.IntegrationTests.Infrastructure;

/// <summary>Small helpers to send FHIR JSON over HTTP and parse the answer with Firely.</summary>
internal static class FhirHttp
{
    private static readonly FhirJsonDeserializer Parser = new();
    private static readonly BaseFhirJsonSerializer Serializer = new(ModelInfo.ModelInspector);

    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/fhir+json");

    public static StringContent Json(Resource resource) => Json(Serializer.SerializeToString(resource));

    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response)
        where T : Resource
    {
        var text = await response.Content.ReadAsStringAsync();
        return Parser.Deserialize<T>(text);
    }

    public static async Task<(HttpStatusCode Status, T Resource)> SendAsync<T>(this HttpClient client, HttpMethod method, string url, Resource? body = null)
        where T : Resource
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.ReadAsync<T>());
    }

    public static async Task<T> CreateAsync<T>(this HttpClient client, T resource)
        where T : Resource
    {
        using var response = await client.PostAsync(resource.TypeName, Json(resource));
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"Create {resource.TypeName} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return await response.ReadAsync<T>();
    }

    public static async Task<Bundle> SearchAsync(this HttpClient client, string query)
    {
        using var response = await client.GetAsync(query);
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {query} answered {(int)response.StatusCode}: {text}");
        }

        return Parser.Deserialize<Bundle>(text);
    }

    public static List<string> MatchIds(this Bundle bundle) =>
        [.. bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource.Id)];

    /// <summary>Kicks off a Bulk Data export (<c>Prefer: respond-async</c>) and returns its status URL.</summary>
    public static async Task<Uri> StartExportAsync(this HttpClient client, string kickOff)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, kickOff);
        request.Headers.Add("Prefer", "respond-async");
        using var started = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return started.Content.Headers.ContentLocation ?? started.Headers.GetValues("Content-Location").Select(v => new Uri(v)).Single();
    }

    /// <summary>Polls an export's status URL until its manifest is ready (at most a minute).</summary>
    public static async Task<JsonNode> WaitForExportAsync(this HttpClient client, Uri statusUrl)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            using var status = await client.GetAsync(statusUrl);
            if (status.StatusCode == HttpStatusCode.OK)
            {
                return JsonNode.Parse(await status.Content.ReadAsStringAsync())!;
            }

            Assert.Equal(HttpStatusCode.Accepted, status.StatusCode);
            await System.Threading.Tasks.Task.Delay(100);
        }

        throw new TimeoutException("The export did not complete within a minute.");
    }
}
