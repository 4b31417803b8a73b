using YTeSo.Fhir.Indexing;

namespace YTeSo.Fhir.Search;

/// <summary>FHIR R4 search.html#prefix: comparison prefixes for number, date and quantity.</summary>
internal enum Comparator
{
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Sa,
    Eb,
    Ap,
}

/// <summary>
/// One search criterion: a parameter (possibly chained), its modifier, and the values that are ORed together.
/// Repeating a parameter in the query ANDs the criteria.
/// </summary>
internal sealed record SearchCriterion(
    string ResourceType,
    SearchParameter? Parameter,
    string Code,
    string? Modifier,
    IReadOnlyList<string> Values)
{
    /// <summary>For "subject:Patient.name=x": the chained criterion evaluated on the target type(s).</summary>
    public IReadOnlyList<SearchCriterion>? Chain { get; init; }

    /// <summary>For "_has:Observation:patient:code=x": the referring type, its reference parameter and its criterion.</summary>
    public (string ReferringType, SearchParameter ReferenceParameter, SearchCriterion Criterion)? ReverseChain { get; init; }
}

internal sealed record SortKey(string Code, SearchParameter? Parameter, bool Descending);

internal sealed record IncludeSpec(string SourceType, SearchParameter? Parameter, string? TargetType, bool Wildcard);

internal enum TotalMode
{
    Default,
    None,
    Accurate,
}

/// <summary>A parsed search request for one resource type.</summary>
internal sealed class SearchQuery
{
    public required string ResourceType { get; init; }
    public List<SearchCriterion> Criteria { get; } = [];
    public List<SortKey> Sort { get; } = [];
    public List<IncludeSpec> Includes { get; } = [];
    public List<IncludeSpec> RevIncludes { get; } = [];
    public int Count { get; set; } = SearchLimits.DefaultCount;
    public TotalMode Total { get; set; } = TotalMode.Default;
    public string? Summary { get; set; }
    public IReadOnlyList<string>? Elements { get; set; }
    public string? Cursor { get; set; }

    /// <summary>Parameters the server did not understand; with Prefer: handling=lenient they are reported, not applied.</summary>
    public List<string> Ignored { get; } = [];

    /// <summary>The criteria and result parameters as received (less paging), to rebuild self and next links.</summary>
    public List<KeyValuePair<string, string>> Echo { get; } = [];
}

internal static class SearchLimits
{
    public const int DefaultCount = 20;
    public const int MaxCount = 1000;
    public const int MaxIncluded = 2000;
}

/// <summary>A search request that cannot be run as asked: becomes a 400 OperationOutcome.</summary>
internal sealed class SearchException(string message) : Exception(message);
