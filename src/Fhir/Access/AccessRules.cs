using Hl7.Fhir.Model;

using YTeSo.Fhir.Contracts;
using YTeSo.Fhir.Repository;

namespace YTeSo.Fhir.Access;

/// <summary>
/// The SMART App Launch v2 scope check (scopes-and-launch-context.html: <c>c r u d s</c> per resource type) for each
/// repository interaction, and the statistics-only rule. A refusal is a 403 OperationOutcome naming the missing scope.
/// </summary>
internal static class AccessRules
{
    /// <summary>Throws 403 unless <paramref name="access"/> allows <paramref name="needed"/> on <paramref name="type"/>.</summary>
    public static void Require(FhirAccess access, string type, FhirInteractions needed)
    {
        if (access.AggregatesOnly)
        {
            throw Forbidden($"This account sees statistics only: search {type} with _summary=count.");
        }

        if (!access.Allows(type, needed))
        {
            throw Forbidden($"This request needs scope */{type}.{Letters(needed)}.");
        }
    }

    /// <summary>A search: needs Search on the type; statistics accounts may only count (<c>_summary=count</c>).</summary>
    public static void RequireSearch(FhirAccess access, string type, bool countOnly)
    {
        if (access.AggregatesOnly && !countOnly)
        {
            throw Forbidden($"This account sees statistics only: search {type} with _summary=count.");
        }

        if (!access.Allows(type, FhirInteractions.Search))
        {
            throw Forbidden($"This request needs scope */{type}.{Letters(FhirInteractions.Search)}.");
        }
    }

    /// <summary>The SMART v2 letters of a set of interactions, in the standard order c r u d s.</summary>
    public static string Letters(FhirInteractions interactions)
    {
        var letters = new System.Text.StringBuilder();
        foreach (var (flag, letter) in new[] { (FhirInteractions.Create, 'c'), (FhirInteractions.Read, 'r'), (FhirInteractions.Update, 'u'), (FhirInteractions.Delete, 'd'), (FhirInteractions.Search, 's') })
        {
            if (interactions.HasFlag(flag))
            {
                letters.Append(letter);
            }
        }

        return letters.ToString();
    }

    public static FhirOperationException Forbidden(string message) => new(403, OperationOutcome.IssueType.Forbidden, message);
}
