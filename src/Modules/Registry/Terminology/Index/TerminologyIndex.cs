using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using YTeSo.Fhir.Contracts;

namespace YTeSo.Registry.Terminology.Index;

/// <summary>
/// Every CodeSystem, ValueSet and ConceptMap of the FHIR store, held in memory so the operations answer without a
/// database round trip (issue 5: $expand over the full ICD-10 list in well under 20 ms). Built on first use and again
/// after <see cref="Invalidate"/>, which the change handler calls when any of them is written
/// (<see cref="TerminologyChangeHandler"/>). Reference data is small (ICD-10 is about 12,000 concepts), so a rebuild
/// reads everything again rather than patching.
/// </summary>
internal sealed class TerminologyIndex(IFhirRepository fhir, TimeProvider clock, ILogger<TerminologyIndex> logger) : IDisposable
{
    internal static readonly FhirAccess System = FhirAccess.System("Terminology index");

    /// <summary>Vietnam keeps UTC+7 all year: "today" for a code list is the day in Vietnam.</summary>
    private static readonly TimeSpan VietnamOffset = TimeSpan.FromHours(7);

    private readonly SemaphoreSlim _loading = new(1, 1);
    private volatile TerminologySnapshot? _current;
    private int _generation;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().ToOffset(VietnamOffset).DateTime);

    public void Invalidate() => Interlocked.Increment(ref _generation);

    public void Dispose() => _loading.Dispose();

    public async ValueTask<TerminologySnapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        var snapshot = _current;
        if (snapshot is not null && snapshot.Generation == Volatile.Read(ref _generation))
        {
            return snapshot;
        }

        await _loading.WaitAsync(cancellationToken);
        try
        {
            var generation = Volatile.Read(ref _generation);
            if (_current is { } loaded && loaded.Generation == generation)
            {
                return loaded;
            }

            var started = clock.GetTimestamp();
            var codeSystems = await ReadAllAsync<CodeSystem>("CodeSystem", cancellationToken);
            var valueSets = await ReadAllAsync<ValueSet>("ValueSet", cancellationToken);
            var conceptMaps = await ReadAllAsync<ConceptMap>("ConceptMap", cancellationToken);
            var built = new TerminologySnapshot(
                generation,
                [.. codeSystems.Where(c => !string.IsNullOrEmpty(c.Url)).Select(IndexedCodeSystem.Of)],
                [.. valueSets.Select(IndexedValueSet.From)],
                [.. conceptMaps.Select(IndexedConceptMap.From)]);
            logger.LogInformation("Terminology index built: {CodeSystems} code system versions ({Concepts} concepts), {ValueSets} value sets, {ConceptMaps} concept maps in {Elapsed} ms.",
                codeSystems.Count, built.ConceptCount, valueSets.Count, conceptMaps.Count, (int)clock.GetElapsedTime(started).TotalMilliseconds);
            _current = built;
            return built;
        }
        finally
        {
            _loading.Release();
        }
    }

    private async Task<List<T>> ReadAllAsync<T>(string type, CancellationToken cancellationToken)
        where T : Resource
    {
        var all = new List<T>();
        IEnumerable<KeyValuePair<string, string>>? parameters = [new("_count", "1000")];
        while (parameters is not null)
        {
            var page = await fhir.SearchAsync(System, type, parameters, cancellationToken);
            all.AddRange(page.Resources.OfType<T>());
            parameters = page.NextPageParameters;
        }

        return all;
    }
}

/// <summary>One consistent view of the stored terminology resources.</summary>
internal sealed class TerminologySnapshot
{
    private readonly Dictionary<string, List<IndexedCodeSystem>> _codeSystems;
    private readonly Dictionary<string, List<IndexedValueSet>> _valueSetsByUrl;
    private readonly Dictionary<string, IndexedValueSet> _valueSetsById;
    private readonly Dictionary<string, List<IndexedConceptMap>> _conceptMapsByUrl;
    private readonly Dictionary<string, IndexedConceptMap> _conceptMapsById;
    private readonly Dictionary<string, IndexedCodeSystem> _codeSystemsById;

    public TerminologySnapshot(int generation, List<IndexedCodeSystem> codeSystems, List<IndexedValueSet> valueSets, List<IndexedConceptMap> conceptMaps)
    {
        Generation = generation;
        ConceptCount = codeSystems.Sum(c => c.Concepts.Count);
        _codeSystems = codeSystems.GroupBy(c => c.Url, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _codeSystemsById = codeSystems.ToDictionary(c => c.Resource.Id ?? string.Empty, StringComparer.Ordinal);
        _valueSetsByUrl = valueSets.Where(v => v.Url is not null).GroupBy(v => v.Url!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _valueSetsById = valueSets.ToDictionary(v => v.Resource.Id ?? string.Empty, StringComparer.Ordinal);
        _conceptMapsByUrl = conceptMaps.Where(m => m.Url is not null).GroupBy(m => m.Url!, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        _conceptMapsById = conceptMaps.ToDictionary(m => m.Resource.Id ?? string.Empty, StringComparer.Ordinal);
    }

    public int Generation { get; }

    public int ConceptCount { get; }

    public IEnumerable<IndexedConceptMap> ConceptMaps => _conceptMapsById.Values;

    public bool HasCodeSystem(string url) => _codeSystems.ContainsKey(url);

    public IndexedCodeSystem? CodeSystemById(string id) => _codeSystemsById.GetValueOrDefault(id);

    public IndexedValueSet? ValueSetById(string id) => _valueSetsById.GetValueOrDefault(id);

    public IndexedConceptMap? ConceptMapById(string id) => _conceptMapsById.GetValueOrDefault(id);

    /// <summary>The value set with this url (and version, when given; otherwise the highest version).</summary>
    public IndexedValueSet? ValueSet(string url, string? version) =>
        Pick(_valueSetsByUrl.GetValueOrDefault(url), version, v => v.Version);

    public IndexedConceptMap? ConceptMap(string url, string? version) =>
        Pick(_conceptMapsByUrl.GetValueOrDefault(url), version, m => m.Version);

    /// <summary>
    /// The version of <paramref name="url"/> to use: the one named by <paramref name="version"/>, otherwise the one in
    /// force on <paramref name="day"/> (the latest to take effect when several are). Among versions in force, a real list
    /// beats a sample (experimental = true), so importing the full ICD-10 list replaces the shipped sample without
    /// deleting it. Null with <paramref name="problem"/> saying why.
    /// </summary>
    public IndexedCodeSystem? CodeSystem(string url, string? version, DateOnly day, out string? problem)
    {
        problem = null;
        if (!_codeSystems.TryGetValue(url, out var versions))
        {
            problem = $"Unknown code system '{url}'.";
            return null;
        }

        if (version is not null)
        {
            var named = versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.Ordinal));
            if (named is null)
            {
                problem = $"Code system '{url}' has no version '{version}' (known: {string.Join(", ", versions.Select(v => v.Version ?? "(none)"))}).";
            }

            return named;
        }

        var inForce = versions
            .Where(v => v.InForceOn(day) && v.Resource.Status != PublicationStatus.Retired)
            .OrderBy(v => v.Resource.Experimental == true ? 1 : 0)
            .ThenByDescending(v => v.From ?? DateOnly.MinValue)
            .FirstOrDefault();
        if (inForce is null)
        {
            problem = $"No version of code system '{url}' is in force on {day:yyyy-MM-dd} (versions: {string.Join("; ", versions.Select(v => v.Describe()))}).";
        }

        return inForce;
    }

    private static T? Pick<T>(List<T>? candidates, string? version, Func<T, string?> versionOf)
        where T : class =>
        candidates is null ? null
        : version is null ? candidates.OrderByDescending(versionOf, StringComparer.Ordinal).First()
        : candidates.FirstOrDefault(c => string.Equals(versionOf(c), version, StringComparison.Ordinal));
}
