using YTeSo.Fhir.Contracts;

namespace YTeSo.Access.Authorization;

/// <summary>
/// One SMART on FHIR clinical scope: <c>context/Type.permissions</c> (SMART App Launch 2.0 §scopes-and-launch-context):
/// context is <c>patient</c>, <c>user</c> or <c>system</c>; Type is a resource type or <c>*</c>; permissions are
/// the v2 letters <c>c r u d s</c> in that order, or the v1 words <c>read</c> (= rs) and <c>write</c> (= cud).
/// </summary>
internal sealed record SmartScope(string Context, string ResourceType, FhirInteractions Interactions)
{
    public const string Patient = "patient";
    public const string User = "user";
    public const string System = "system";

    private static readonly (char Letter, FhirInteractions Interaction)[] Letters =
    [
        ('c', FhirInteractions.Create), ('r', FhirInteractions.Read), ('u', FhirInteractions.Update),
        ('d', FhirInteractions.Delete), ('s', FhirInteractions.Search),
    ];

    /// <summary>Parses one scope; null when it is not a clinical scope (openid, launch/patient, offline_access...).</summary>
    public static SmartScope? TryParse(string scope)
    {
        var slash = scope.IndexOf('/', StringComparison.Ordinal);
        var dot = scope.LastIndexOf('.');
        if (slash <= 0 || dot < slash + 2 || dot == scope.Length - 1)
        {
            return null;
        }

        var context = scope[..slash];
        if (context is not (Patient or User or System))
        {
            return null;
        }

        var type = scope[(slash + 1)..dot];
        if (type != "*" && !Hl7.Fhir.Model.ModelInfo.IsKnownResource(type))
        {
            return null;
        }

        var interactions = ParsePermissions(scope[(dot + 1)..]);
        return interactions == FhirInteractions.None ? null : new SmartScope(context, type, interactions);
    }

    private static FhirInteractions ParsePermissions(string text)
    {
        switch (text)
        {
            case "read": return FhirInteractions.Read | FhirInteractions.Search;
            case "write": return FhirInteractions.Create | FhirInteractions.Update | FhirInteractions.Delete;
            case "*": return FhirInteractions.All;
        }

        // v2: letters in the canonical order c, r, u, d, s, each at most once.
        var result = FhirInteractions.None;
        var next = 0;
        foreach (var letter in text)
        {
            var index = Array.FindIndex(Letters, next, l => l.Letter == letter);
            if (index < 0)
            {
                return FhirInteractions.None;
            }

            result |= Letters[index].Interaction;
            next = index + 1;
        }

        return result;
    }

    /// <summary>True when this scope grants everything <paramref name="other"/> asks for (same context).</summary>
    public bool Covers(SmartScope other) =>
        Context == other.Context && (ResourceType == "*" || ResourceType == other.ResourceType) && (Interactions & other.Interactions) == other.Interactions;

    /// <summary>The v2 text of this scope.</summary>
    public override string ToString() =>
        $"{Context}/{ResourceType}.{new string([.. Letters.Where(l => Interactions.HasFlag(l.Interaction)).Select(l => l.Letter)])}";

    /// <summary>
    /// What <paramref name="requested"/> may receive out of <paramref name="allowed"/>: each requested scope narrowed to
    /// what the allowed ones cover (e.g. asking <c>system/Observation.cruds</c> with only <c>system/*.rs</c> allowed
    /// yields <c>system/Observation.rs</c>). Scopes that end with nothing are dropped.
    /// </summary>
    public static IReadOnlyList<SmartScope> Grant(IEnumerable<SmartScope> requested, IReadOnlyCollection<SmartScope> allowed)
    {
        var granted = new List<SmartScope>();
        foreach (var ask in requested)
        {
            var permitted = allowed
                .Where(a => a.Context == ask.Context && (a.ResourceType == "*" || a.ResourceType == ask.ResourceType))
                .Aggregate(FhirInteractions.None, (acc, a) => acc | a.Interactions);
            var interactions = ask.Interactions & permitted;
            if (interactions != FhirInteractions.None)
            {
                granted.Add(ask with { Interactions = interactions });
            }
        }

        return granted;
    }

    /// <summary>The scopes as the repository's per-type interaction table.</summary>
    public static Dictionary<string, FhirInteractions> ToTable(IEnumerable<SmartScope> scopes)
    {
        var table = new Dictionary<string, FhirInteractions>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            table[scope.ResourceType] = table.GetValueOrDefault(scope.ResourceType) | scope.Interactions;
        }

        return table;
    }
}
