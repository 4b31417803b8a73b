using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace YTeSo.Registry.Terminology.Operations;

/// <summary>
/// The in-parameters of an operation, from the query string (GET) or a Parameters body (POST): FHIR R4
/// operations.html#request: "the parameters are passed as URL parameters ... or in a Parameters resource".
/// </summary>
internal sealed class OperationInput
{
    private readonly Dictionary<string, List<Parameters.ParameterComponent>> _byName;

    private OperationInput(IEnumerable<Parameters.ParameterComponent> parameters)
    {
        _byName = parameters.Where(p => !string.IsNullOrEmpty(p.Name)).GroupBy(p => p.Name!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    public static OperationInput From(Parameters parameters) => new(parameters.Parameter);

    /// <summary>GET: every value is a string; <c>coding</c> may be written <c>system|code</c> (as a token search is).</summary>
    public static OperationInput From(IQueryCollection query) => new(query.SelectMany(q => q.Value.Select(v => Component(q.Key, v ?? string.Empty))));

    public static OperationInput Empty { get; } = new([]);

    public bool Has(string name) => _byName.ContainsKey(name);

    /// <summary>The first value of <paramref name="name"/> as text (a primitive of any type), or null.</summary>
    public string? String(string name) =>
        _byName.GetValueOrDefault(name)?.Select(p => p.Value switch
        {
            FhirBoolean b => b.Value is bool v ? (v ? "true" : "false") : null,
            Integer i => i.Value?.ToString(CultureInfo.InvariantCulture),
            PrimitiveType primitive => primitive.JsonValue?.ToString(),
            _ => null,
        }).FirstOrDefault(v => !string.IsNullOrEmpty(v));

    public Coding? Coding(string name) =>
        _byName.GetValueOrDefault(name)?.Select(p => p.Value switch
        {
            Coding coding => coding,
            PrimitiveType { JsonValue: string text } => ParseToken(text),
            _ => null,
        }).FirstOrDefault(c => c is not null);

    public CodeableConcept? CodeableConcept(string name) =>
        _byName.GetValueOrDefault(name)?.Select(p => p.Value as CodeableConcept).FirstOrDefault(c => c is not null);

    public Resource? Resource(string name) => _byName.GetValueOrDefault(name)?.Select(p => p.Resource).FirstOrDefault(r => r is not null);

    /// <summary>A boolean parameter; a value that is not true/false is a problem for the caller (400).</summary>
    public bool? Boolean(string name, List<string> problems)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (bool.TryParse(text, out var value))
        {
            return value;
        }

        problems.Add($"Parameter '{name}' must be true or false, not '{text}'.");
        return null;
    }

    /// <summary>A non-negative integer parameter (count, offset).</summary>
    public int? Integer(string name, List<string> problems)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        problems.Add($"Parameter '{name}' must be a non-negative integer, not '{text}'.");
        return null;
    }

    /// <summary>The day of a <c>date</c> parameter (a FHIR dateTime: the day is what a code list's validity needs).</summary>
    public DateOnly? Day(string name, List<string> problems)
    {
        var text = String(name);
        if (text is null)
        {
            return null;
        }

        if (Index.IndexedCodeSystem.Day(text) is { } day)
        {
            return day;
        }

        problems.Add($"Parameter '{name}' must be a date (yyyy-MM-dd, or a dateTime), not '{text}'.");
        return null;
    }

    private static Parameters.ParameterComponent Component(string name, string value) => new() { Name = name, Value = new FhirString(value) };

    private static Coding? ParseToken(string text)
    {
        var bar = text.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? new Coding(null, text) : new Coding(text[..bar], text[(bar + 1)..]);
    }
}
