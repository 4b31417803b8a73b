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
internal sealed class FhirSerializers : Contracts.IFhirJson
{
    /// <summary>JSON nesting deeper than this is hostile; real resources stay far below it.</summary>
    public const int MaxDepth = 64;

    private static readonly DeserializerSettings ParserSettings =
        new DeserializerSettings().UsingMode(DeserializationMode.Strict) with { ExceptionFilter = TolerableContentIssues.IsTolerable };

    private readonly BaseFhirJsonDeserializer _jsonParser = new(ModelInfo.ModelInspector, ParserSettings);
    private readonly ExactDecimalJsonSerializer _jsonSerializer = new();
    private readonly BaseFhirXmlDeserializer _xmlParser = new(ModelInfo.ModelInspector, ParserSettings);
    private readonly BaseFhirXmlSerializer _xmlSerializer = new(ModelInfo.ModelInspector);

    public Resource ParseJson(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        try
        {
            TolerableContentIssues.TakeDecimalBeyondRangeFlag();
            if (!_jsonParser.TryDeserializeResource(ref reader, out var resource, out var issues) || resource is null)
            {
                throw new FhirParseException(Describe(issues));
            }

            return KeepExactDecimals(resource);
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
            using var reader = XmlReader.Create(new StringReader(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            TolerableContentIssues.TakeDecimalBeyondRangeFlag();
            if (!_xmlParser.TryDeserializeResource(reader, out var resource, out var issues) || resource is null)
            {
                throw new FhirParseException(Describe(issues));
            }

            return KeepExactDecimals(resource);
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

    Resource Contracts.IFhirJson.Parse(string json)
    {
        try
        {
            return ParseJson(json);
        }
        catch (FhirParseException e)
        {
            throw new Contracts.FhirFormatException(e.Messages);
        }
    }

    string Contracts.IFhirJson.Serialize(Resource resource) => ToJson(resource);

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

    public byte[] ToXmlBytes(Resource resource, SummaryType summary = SummaryType.False, string[]? elements = null, bool pretty = false)
    {
        // XML carries every primitive as attribute text, so an exact decimal becomes that text (on a copy).
        if (FhirTree.Descendants(resource).Any(n => n.Node is FhirDecimal { JsonValue: ExactDecimalText }))
        {
            resource = (Resource)resource.DeepCopy();
            foreach (var (node, _) in FhirTree.Descendants(resource))
            {
                if (node is FhirDecimal { JsonValue: ExactDecimalText exact } number)
                {
                    number.JsonValue = exact.Text;
                }
            }
        }

        return _xmlSerializer.SerializeToBytes(resource, summary, elements, pretty);
    }

    /// <summary>
    /// json.html#primitive: a decimal keeps its exact value and precision. One beyond System.Decimal's range was parsed
    /// as text; mark it so the serializer writes it back as the same JSON number, not as a string.
    /// </summary>
    private static Resource KeepExactDecimals(Resource resource)
    {
        if (TolerableContentIssues.TakeDecimalBeyondRangeFlag())
        {
            foreach (var (node, _) in FhirTree.Descendants(resource))
            {
                if (node is FhirDecimal { JsonValue: string text })
                {
                    ((FhirDecimal)node).JsonValue = new ExactDecimalText(text);
                }
            }
        }

        return resource;
    }

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

/// <summary>A FHIR decimal beyond System.Decimal's range, kept as the exact text the client sent.</summary>
internal sealed record ExactDecimalText(string Text)
{
    public override string ToString() => Text;
}

/// <summary>Firely's JSON serializer, writing <see cref="ExactDecimalText"/> back as the JSON number it came as.</summary>
internal sealed class ExactDecimalJsonSerializer() : BaseFhirJsonSerializer(ModelInfo.ModelInspector)
{
    protected override void SerializePrimitiveValue(object? value, Utf8JsonWriter writer)
    {
        if (value is ExactDecimalText exact)
        {
            writer.WriteRawValue(exact.Text);
        }
        else
        {
            base.SerializePrimitiveValue(value, writer);
        }
    }
}
