namespace YTeSo.Fhir.Indexing;

/// <summary>One search-index row of any kind, for the search parameter <see cref="ParamId"/>.</summary>
internal interface IIndexValue
{
    int ParamId { get; }
}

internal readonly record struct StringIndexValue(int ParamId, string Folded, string Exact) : IIndexValue;

internal readonly record struct TokenIndexValue(int ParamId, string? System, string? Code, string? Text) : IIndexValue;

internal readonly record struct DateIndexValue(int ParamId, long Low, long High) : IIndexValue;

/// <summary>A local reference keeps its type and id; an absolute one keeps the URL in <see cref="TargetId"/> and no type.</summary>
internal readonly record struct ReferenceIndexValue(int ParamId, string? TargetType, string TargetId) : IIndexValue;

internal readonly record struct NumberIndexValue(int ParamId, double Value) : IIndexValue;

internal readonly record struct QuantityIndexValue(int ParamId, string? System, string? Code, double? Low, double? High) : IIndexValue;

internal readonly record struct UriIndexValue(int ParamId, string Value) : IIndexValue;

/// <summary>Every search-index row one version of one resource produces.</summary>
internal sealed class ResourceIndex
{
    public List<StringIndexValue> Strings { get; } = [];
    public List<TokenIndexValue> Tokens { get; } = [];
    public List<DateIndexValue> Dates { get; } = [];
    public List<ReferenceIndexValue> References { get; } = [];
    public List<NumberIndexValue> Numbers { get; } = [];
    public List<QuantityIndexValue> Quantities { get; } = [];
    public List<UriIndexValue> Uris { get; } = [];

    /// <summary>Care relationships and consent decisions this resource establishes (table <c>patient_access</c>).</summary>
    public List<PatientAccessRow> Access { get; } = [];

    public int Count => Strings.Count + Tokens.Count + Dates.Count + References.Count + Numbers.Count + Quantities.Count + Uris.Count + Access.Count;
}
