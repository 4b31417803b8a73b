using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Xml;

using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;

namespace YTeSo.Fhir.Serialization;

/// <summary>
/// The one set of Firely serializers the server uses (Firely: creating options per call is slow).
/// Parsing is strict: unknown elements, wrong datatypes and malformed values are errors the client must see.
/// </summary>
internal sealed class FhirSerializers
{
    /// <summary>Bodies larger than this are refused before parsing (FHIR has no limit; a province hub needs one).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    /// <summary>JSON nesting deeper than this is hostile; real resources stay far below it.</summary>
    public const int MaxDepth = 64;

    private readonly BaseFhirJsonDeserializer _jsonParser = new(ModelInfo.ModelInspector, new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private readonly BaseFhirJsonSerializer _jsonSerializer = new(ModelInfo.ModelInspector);
    private readonly BaseFhirXmlDeserializer _xmlParser = new(ModelInfo.ModelInspector, new DeserializerSettings().UsingMode(DeserializationMode.Strict));
    private readonly BaseFhirXmlSerializer _xmlSerializer = new(ModelInfo.ModelInspector);

    public Resource ParseJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            if (!_jsonParser.TryDeserializeResource(ref reader, out var resource, out var issues) || resource is null)
            {
                throw new FhirParseException(Describe(issues));
            }

            return resource;
        }
        catch (JsonException e)
        {
            throw new FhirParseException([$"The body is not valid JSON: {e.Message}"]);
        }
        catch (DeserializationFailedException e)
        {
            throw new FhirParseException(Describe(e.Exceptions));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException or NotSupportedException)
        {
            // Whatever else the parser trips over is still the client's malformed body, not a server fault.
            throw new FhirParseException([$"The body is not a FHIR resource: {e.Message}"]);
        }
    }

    public Resource ParseJson(string json) => ParseJson(Encoding.UTF8.GetBytes(json));

    public Resource ParseXml(string xml)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, MaxCharactersInDocument = MaxBodyBytes });
            if (!_xmlParser.TryDeserializeResource(reader, out var resource, out var issues) || resource is null)
            {
                throw new FhirParseException(Describe(issues));
            }

            return resource;
        }
        catch (XmlException e)
        {
            throw new FhirParseException([$"The body is not valid XML: {Shorten(e.Message)}"]);
        }
        catch (DeserializationFailedException e)
        {
            throw new FhirParseException(Describe(e.Exceptions));
        }
    }

    public string ToJson(Resource resource) => Encoding.UTF8.GetString(ToJsonBytes(resource));

    public byte[] ToJsonBytes(Resource resource, SummaryType summary = SummaryType.False, string[]? elements = null, bool pretty = false)
    {
        // Vietnamese text is written as UTF-8, not as \u escapes: the default encoder would escape every
        // diacritic. Relaxed escaping is safe here because responses are application/fhir+json, never HTML.
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = pretty, SkipValidation = true }))
        {
            _jsonSerializer.Serialize(resource, writer, summary, elements);
        }

        return buffer.ToArray();
    }

    public byte[] ToXmlBytes(Resource resource, SummaryType summary = SummaryType.False, string[]? elements = null, bool pretty = false) =>
        _xmlSerializer.SerializeToBytes(resource, summary, elements, pretty);

    private static List<string> Describe(IEnumerable<Exception>? issues) =>
        issues?.Select(i => Shorten(i.Message)).Distinct().Take(20).ToList() is { Count: > 0 } list ? list : ["The resource could not be parsed."];

    /// <summary>Parser messages quote the offending value; a 2 MB value must not come back in the error.</summary>
    private static string Shorten(string message) => message.Length <= 400 ? message : message[..400] + "…";
}

/// <summary>The body is not a well-formed FHIR resource; the messages say where and why.</summary>
internal sealed class FhirParseException(IReadOnlyList<string> messages) : Exception(string.Join("; ", messages))
{
    public IReadOnlyList<string> Messages { get; } = messages;
}
