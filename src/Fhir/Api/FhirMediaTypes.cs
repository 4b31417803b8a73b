namespace YTeSo.Fhir.Api;

/// <summary>FHIR R4 http.html#mime: the media types and the _format shorthands the server understands.</summary>
internal static class FhirMediaTypes
{
    public const string Json = "application/fhir+json";
    public const string Xml = "application/fhir+xml";
    public const string JsonPatch = "application/json-patch+json";
    public const string NdJson = "application/fhir+ndjson";

    /// <summary>Chooses XML only when asked for it (by _format or Accept); JSON is the default.</summary>
    public static bool WantsXml(string? format, string? accept)
    {
        if (!string.IsNullOrEmpty(format))
        {
            return format is "xml" or "text/xml" or "application/xml" or Xml;
        }

        return accept is not null && accept.Contains("xml", StringComparison.OrdinalIgnoreCase) && !accept.Contains("json", StringComparison.OrdinalIgnoreCase);
    }

    public static bool IsXmlBody(string? contentType) =>
        contentType is not null && contentType.Contains("xml", StringComparison.OrdinalIgnoreCase);

    public static bool IsSupportedFormat(string? format) =>
        string.IsNullOrEmpty(format) || format is "json" or "xml" or "text/xml" or "application/xml" or "application/json" or Json or Xml;
}
