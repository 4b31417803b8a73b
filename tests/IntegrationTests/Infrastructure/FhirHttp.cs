using System.Net;
using System.Text;
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
}
